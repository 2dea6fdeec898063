import type { DateTime } from 'luxon';
import type { OutOfOffice } from './model.ts';
import { ownText } from './own-text.ts';
import {
  closestYear,
  type DateFields,
  type DateLocale,
  type FoundDate,
  findDate,
  localDay,
} from './text-dates.ts';

/**
 * Reading an out-of-office reply or a bounce from its text alone: an inline-forwarded message has
 * lost the headers (Auto-Submitted, multipart/report) that classify-message.ts reads.
 * Transparent phrase lists: extend them here and in out-of-office.test.ts together.
 */

/** Subjects an auto-reply is sent with, at the start ("Automatic reply: Lunch?", "Out of Office"). */
export const outOfOfficeSubjects: readonly RegExp[] = [
  /^\[?(?:automatic reply|auto[- ]?reply|auto[- ]?response|automatic response|out of (?:the )?office(?: auto ?reply)?|ooo)\s*(?:[:\]]|$)/i,
  /^\[?(?:abwesenheitsnotiz|automatische antwort|abwesend|nicht im büro)\s*(?:[:\]]|$)/i,
  /^\[?(?:réponse automatique|absente?(?: du bureau)?|absence)\s*(?:[:\]]|$)/i,
  /^\[?(?:respuesta automática|respuesta automatica|fuera de la oficina|ausente)\s*(?:[:\]]|$)/i,
];

/** Wording only an auto-reply uses: any one of these makes the text an out-of-office reply. */
export const autoReplyPhrases: readonly RegExp[] = [
  /\bauto(?:matic(?:ally generated)?|mated)[- ](?:reply|response)\b/i,
  /\bauto-?reply\b/i,
  /\b(?:limited|no|intermittent|occasional|sporadic|restricted) access to (?:my )?(?:e-?mails?|messages|the internet)\b/i,
  /\b(?:reply|respond|get back to you|answer|attend to|deal with)\b[^.!?\n]{0,60}\b(?:(?:upon|on|after) my return|when I return)\b/i,
  /\b(?:in|during) my absence\b/i,
  /\bfor (?:urgent|immediate|pressing) (?:matters|issues|requests|enquiries|inquiries|questions|assistance|news matters)\b/i,
  /\bthank you for your (?:e-?mail|message)\b[^?\n]{0,40}\b(?:out of (?:the )?office|away|on (?:leave|vacation|holiday))\b/i,
  /\b(?:Abwesenheitsnotiz|automatische Antwort)\b/i,
  /\b(?:nach meiner Rückkehr|während meiner Abwesenheit|in dringenden Fällen)\b/i,
  /\b(?:keinen|eingeschränkten|nur eingeschränkt(?:en)?) Zugriff auf (?:meine )?E-?Mails\b/i,
  /\bréponse automatique\b/i,
  /(?:\bà mon retour|\ben mon absence|\bpendant mon absence|\ben cas d['’]urgence)\b/i,
  /\b(?:accès (?:limité|restreint) (?:à|aux) (?:mes )?|pas accès à (?:mes |ma )?)(?:e-?mails|courriels|messages|messagerie)\b/i,
  /\b(?:respuesta automática|a mi (?:regreso|vuelta)|en caso de urgencia|durante mi ausencia)\b/i,
  /\bacceso limitado (?:al|a mi) correo\b/i,
];

/**
 * A first-person statement of being away right now. People write these too ("I'm away next week,
 * can we meet before?"), so alone they make an out-of-office reply only when the text asks nothing.
 */
export const awayStatements: readonly RegExp[] = [
  /\bI(?:'m|’m| am)(?: currently| presently| now)? (?:out of (?:the )?office|away|on (?:annual |parental |maternity |paternity |sick |study )?(?:leave|vacation|holidays?|sabbatical)|travell?ing)\b/i,
  /\bich bin (?:derzeit |zurzeit |momentan |aktuell |leider )*(?:nicht im Büro|abwesend|im Urlaub|außer Haus|nicht erreichbar|auf Dienstreise)\b/i,
  /\bje suis (?:actuellement |présentement )?(?:absente?|en congés?|en vacances|en déplacement|hors du bureau)\b/i,
  /\bestoy (?:actualmente )?(?:fuera de la oficina|de vacaciones|ausente|de viaje)\b/i,
];

/**
 * Where a text names the end of the absence, per language: the date starts right after the cue.
 * `range` cues count only with a range ("from 1 to 5 December": the 5th); `confirm` must follow the
 * date ("ab dem 7.12. wieder im Büro").
 */
export const returnCues: readonly {
  locale: DateLocale;
  cue: RegExp;
  range?: true;
  confirm?: RegExp;
}[] = [
  { locale: 'en', cue: /\b(?:until|till|til|through|thru)(?: and including)?\s+/gi },
  {
    locale: 'en',
    cue: /\bback(?: (?:in|at|to) (?:the|my) (?:office|desk|work))?(?: (?:on|from))?\s+/gi,
  },
  {
    locale: 'en',
    cue: /\b(?:returning|return|returns)(?: to (?:the|my) (?:office|desk|work))?(?: (?:on|from))?\s+/gi,
  },
  { locale: 'en', cue: /\b(?:available|reachable)(?: again)? (?:on|from)\s+/gi },
  { locale: 'en', cue: /\bout of (?:the )?office(?: on)?\s+(?!from\b)/gi },
  { locale: 'en', cue: /\b(?:from|between)\s+/gi, range: true },
  { locale: 'de', cue: /\bbis\s+(?:einschließlich\s+|inklusive\s+|inkl\.\s+)?(?:zum\s+|am\s+)?/gi },
  {
    locale: 'de',
    cue: /\b(?:zurück|wieder (?:im Büro|erreichbar|da|zurück))\s+(?:am|ab)\s+(?:dem\s+)?/gi,
  },
  {
    locale: 'de',
    cue: /\bab\s+(?:dem\s+)?/gi,
    confirm: /^[\s,]*(?:bin ich\s+)?(?:wieder|zurück)\b/i,
  },
  { locale: 'de', cue: /\bvom\s+/gi, range: true },
  { locale: 'fr', cue: /\bjusqu['’]\s?(?:au|à|a)\s+(?:et y compris\s+)?(?:le\s+)?/gi },
  {
    locale: 'fr',
    cue: /\b(?:de retour|retour(?: prévu)?|je reviendrai|je serai de retour)(?: au bureau)?\s+(?:(?:le|à partir du|dès le)\s+)?/gi,
  },
  { locale: 'fr', cue: /\bdu\s+/gi, range: true },
  { locale: 'es', cue: /\bhasta\s+(?:el\s+)?(?:día\s+)?/gi },
  {
    locale: 'es',
    cue: /\b(?:de (?:vuelta|regreso)|regreso|regresaré|volveré)(?: (?:a|en) la oficina)?\s+(?:el\s+)?(?:día\s+)?/gi,
  },
  { locale: 'es', cue: /\bdel\s+/gi, range: true },
];

/** Subjects of a non-delivery report, at the start ("Undeliverable: Lunch?"). */
export const deliveryFailureSubjects: readonly RegExp[] = [
  /^(?:\*+\s*)?(?:delivery status notification|undeliver(?:able|ed)\b|returned mail\b|failure notice\b)/i,
  /^(?:mail|message|email) delivery (?:failed|failure|has failed)\b/i,
  /^(?:delivery (?:failure|has failed|notification: delivery has failed|report)|mail could not be delivered)\b/i,
  /^(?:sorry, your message could not be delivered|there was an error sending your mail|notice: mail delivery status|mail system error|message you sent blocked|\[postmaster\])/i,
  /^(?:unzustellbar|nicht zustellbar|zustellung fehlgeschlagen)\b/i,
  /^(?:non remis|non distribuable|échec de (?:la )?remise)\b/i,
  /^(?:no se puede entregar|no entregado|no se pudo entregar)\b/i,
];

/** The words a non-delivery report opens with, as mail servers write them (spaces normalised). */
export const deliveryFailurePhrases: readonly RegExp[] = [
  /\bdelivery to the following recipients? failed\b/i,
  /\bdelivery has failed to these recipients\b/i,
  /\b(?:your|this|the) (?:e-?mail |mail )?message(?: to \S+)? (?:couldn't|could not|cannot|can not|wasn't|was not) (?:be )?(?:delivered|sent|relayed)\b/i,
  /\b(?:your|the) message (?:below )?(?:was not able to be|could not be) delivered\b/i,
  /\bmessage that you (?:have )?sent could not be delivered\b/i,
  /\b(?:message|mail) to (?:<[^>]*>|\S+@\S+) was undeliverable\b/i,
  /\b(?:could not|couldn't|was unable to|wasn't able to|unable to) deliver (?:your )?(?:message|mail)\b/i,
  /\ban error occurred while trying to deliver the mail\b/i,
  /\b(?:there was an error|we had trouble) delivering your (?:mail|message)\b/i,
  /\bcould not be delivered to: /i,
  /\bto the following (?:address(?:es)?|recipients?) could not be delivered\b/i,
  /\bthe (?:e-?mail|message) you sent\b[^.]{0,60}\bhas not been delivered\b/i,
  /\bthe following addresses had (?:permanent fatal errors|permanent delivery errors|delivery problems)\b/i,
  /\bthis is the mail system at host\b/i,
  /\bthis is the mailer-daemon\b/i,
  /\bcreated automatically by mail delivery software\b/i,
  /\b(?:this is an automatically generated |this is a )delivery status notification\b/i,
  /\*\* ?(?:address not found|message not delivered) ?\*\*/i,
  /\bkonnte nicht (?:an (?:folgende|die folgenden) Empfänger )?zugestellt werden\b/i,
  /\bn['’]a pas pu être (?:remis|distribué|délivré)\b/i,
  /\bno se (?:ha )?pud(?:o|ido) entregar\b/i,
];

/** "Fwd:", "FW:", "WG:", "TR:", "RV:" in front of a forwarded subject. */
const forwardPrefixes = /^(?:\s*(?:fwd?|fw|wg|tr|rv|enc|i)\s*:\s*)+/i;

/**
 * What an out-of-office reply says, or null when the text is not one.
 *
 * It is one (unless it is a delivery-failure report) when its subject starts like an auto-reply ("Automatic reply:", "Out of Office:",
 * "Abwesenheitsnotiz:", "Réponse automatique :", "Respuesta automática:"), or its own text (quotes
 * and signature left out) uses auto-reply wording (`autoReplyPhrases`), or says the writer is away
 * now (`awayStatements`) and asks nothing.
 *
 * `returnsOn` is the day the text names as the end of the absence: the first day back ("back on
 * Monday 7 December", "returning 12/3") or the last day away ("until 3 December", "bis 3.12."), the
 * text rarely says which. Either way, the first business day strictly after it is never a day the
 * person may still be away: the caller moves the due date there. A day without a year is the one
 * closest to `sentAt`; a day of the month alone ("the 3rd") is the next one after `sentAt`; a
 * weekday alone ("back Monday") the next one after the sending day. Days are counted in `timeZone`.
 * null when no date is named, when it is before the sending day, or more than a year after it.
 */
export function readOutOfOffice(input: {
  subject: string;
  text: string;
  sentAt: Date;
  timeZone: string;
}): OutOfOffice | null {
  if (isDeliveryFailureText(input.subject, input.text)) return null;
  const subject = input.subject.replace(forwardPrefixes, '').trim();
  const own = ownText(input.text) || input.text;
  const bySubject = outOfOfficeSubjects.some((pattern) => pattern.test(subject));
  const byWording = autoReplyPhrases.some((pattern) => pattern.test(own));
  const byStatement = !own.includes('?') && awayStatements.some((pattern) => pattern.test(own));
  if (!bySubject && !byWording && !byStatement) return null;
  const sentDay = localDay(input.sentAt, input.timeZone);
  const named = returnDay(own, sentDay, input) ?? returnDay(subject, sentDay, input);
  if (!named) return { returnsOn: null };
  const tooLate = named > sentDay.plus({ years: 1 });
  return { returnsOn: named < sentDay || tooLate ? null : named.toISODate() };
}

/** Whether a text (an inline-forwarded message that lost its headers) is a delivery-failure report. */
export function isDeliveryFailureText(subject: string, text: string): boolean {
  const bare = subject.replace(forwardPrefixes, '').trim();
  const flat = text.replace(/\s+/g, ' ');
  return (
    deliveryFailureSubjects.some((pattern) => pattern.test(bare)) ||
    deliveryFailurePhrases.some((pattern) => pattern.test(flat))
  );
}

/** Words a date reader may leave between a cue and the date ("back on the 3rd", "bis zum 3.12."). */
const fillers = /^[\s,]*(?:(?:on|the|le|el|am|den|dem|der)\s+)?$/i;

/** The day the first cue followed by a date names. */
function returnDay(
  text: string,
  sentDay: DateTime,
  input: { sentAt: Date; timeZone: string },
): DateTime | null {
  const cues = returnCues
    .flatMap(({ cue, ...rest }) =>
      [...text.matchAll(cue)].map((match) => ({ at: match.index + match[0].length, ...rest })),
    )
    .sort((a, b) => a.at - b.at);
  for (const { at, locale, range, confirm } of cues) {
    const after = text.slice(at, at + 80);
    const found = findDate(after, {
      locales: [locale],
      reference: input.sentAt,
      timeZone: input.timeZone,
      partial: true,
    });
    if (!found || !fillers.test(after.slice(0, found.index))) continue;
    if (range && !found.end) continue;
    if (confirm && !confirm.test(after.slice(found.index + found.text.length))) continue;
    const day = dayOf(found, sentDay);
    if (day) return day;
  }
  return null;
}

/** The calendar day a found date names (a range's end), completed from the sending day. */
function dayOf(found: FoundDate, sentDay: DateTime): DateTime | null {
  const fields: DateFields = found.end?.day
    ? { ...found.end, month: found.end.month ?? found.month }
    : found;
  const { day, month, year, weekday } = fields;
  if (day !== null && month !== null) {
    const resolvedYear = year ?? closestYear(month, day, sentDay);
    const named = sentDay.set({ year: resolvedYear, month, day });
    return named.isValid && named.day === day ? named : null;
  }
  if (day !== null) {
    // A day of the month alone: the next such day after the sending day, in a month that has it.
    for (let ahead = 0; ahead <= 12; ahead++) {
      const month = sentDay.startOf('month').plus({ months: ahead });
      if (day > (month.daysInMonth ?? 0)) continue;
      const named = month.set({ day });
      if (named > sentDay) return named;
    }
    return null;
  }
  if (weekday !== null) return sentDay.plus({ days: (weekday - sentDay.weekday + 7) % 7 || 7 });
  return null;
}

/** Where a delivery report starts quoting the message it returns: addresses below are not the failed ones. */
const returnedMessage =
  /^(?:-+ ?(?:original message|forwarded message|ursprüngliche nachricht|message d'origine|mensaje original) ?-+|original message headers:?|-+ ?(?:this is a copy of|below this line is a copy of) .*|reporting-mta:.*|received:.*|from:.*|(?:to|an|à|para):.*|subject:.*|betreff:.*|objet ?:.*|asunto:.*|date:.*)$/im;
const recipientField =
  /^\s*(?:final|original)-recipient:\s*(?:rfc822;)?\s*<?([^\s<>;]+@[^\s<>;]+?)>?\s*$/gim;
const anAddress = /[\p{L}\p{N}._%+'-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu;
/** Mailboxes that send reports, never the address a report is about. */
const reporter =
  /^(?:mailer-daemon|postmaster|mail-daemon|noreply|no-reply|do-not-reply|donotreply|bounces?)(?:[+@]|$)/i;

/**
 * The addresses a delivery-failure report says could not be reached: its Final-Recipient or
 * Original-Recipient fields, else the addresses its explanation names before it quotes the message
 * it returns ("Your message wasn't delivered to raj@old.example because…", "Delivery has failed to
 * these recipients: …", "<raj@old.example>: host … said: 550"). Report senders are left out.
 */
export function bouncedAddresses(text: string): string[] {
  const fields = [...text.matchAll(recipientField)].map((m) => m[1] ?? '');
  const cut = returnedMessage.exec(text);
  const explanation = cut ? text.slice(0, cut.index) : text;
  const found = fields.length > 0 ? fields : [...explanation.matchAll(anAddress)].map((m) => m[0]);
  return [...new Set(found.map((a) => a.toLowerCase().replace(/\.+$/, '')))].filter(
    (address) => !reporter.test(address),
  );
}
