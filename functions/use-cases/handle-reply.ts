import { isUsersAddress } from '#domain/build-logged-message.ts';
import { classifyMessage } from '#domain/classify-message.ts';
import {
  deleteConfirmationDays,
  deleteConfirmationRef,
  isDeleteConfirmation,
} from '#domain/delete-confirmation.ts';
import { stripControls, truncate } from '#domain/digest.ts';
import type { HelpItem } from '#domain/help-first.ts';
import { normaliseMessageId, shortKey } from '#domain/ids.ts';
import { domainOf } from '#domain/mailbox.ts';
import {
  type InboundEnvelope,
  type Outcome,
  type ParsedEmail,
  rejected,
  type User,
} from '#domain/model.ts';
import type {
  Clock,
  DigestItemRef,
  DigestRecord,
  DigestStore,
  Logger,
  MailAttachment,
  Mailer,
  SettingsChange,
  SteeringStore,
  UserStore,
} from '#domain/ports.ts';
import {
  answerHtml,
  dayLabel,
  forgotText,
  helpText,
  itemLabel,
  problemsText,
  settingsText,
} from '#domain/reply-answer.ts';
import {
  type Command,
  type LineProblem,
  readCommands,
  type Target,
} from '#domain/reply-commands.ts';
import {
  noDigestRef,
  type ReplyTokens,
  replyAddressDays,
  type TokenClaims,
} from '#domain/reply-token.ts';
import { judgeSender, refuseSender } from '#domain/sender-auth.ts';
import { nextDigestFor } from '#domain/sending-state.ts';
import { steerKeys } from '#domain/steering.ts';
import type { DeleteMyData } from './delete-my-data.ts';
import type { ExportData } from './export-data.ts';
import type { ForgetContact } from './forget-contact.ts';
import type { Relationships } from './help-first.ts';

/** At most this many answers per user per hour: two robots, or a user's mail loop, stop here. */
export const confirmationsPerHour = 5;

export interface ReplyMail {
  email: ParsedEmail;
  envelope: InboundEnvelope;
  /** The token of the `reply+TOKEN@D` address it was sent to. */
  token: string;
}

export type HandleReply = (mail: ReplyMail) => Promise<Outcome>;

export interface HandleReplyDeps {
  users: Pick<UserStore, 'getUser' | 'findUserByAddress'>;
  digests: Pick<DigestStore, 'getDigest' | 'scheduleDigest' | 'pauseDigests' | 'resumeDigests'>;
  steering: SteeringStore;
  relationships: (user: User, asOf?: Date) => Promise<Relationships>;
  tokens: ReplyTokens;
  mailer: Mailer;
  clock: Clock;
  logger: Logger;
  mailDomain: string;
  /** Where answers come from (on AWS the identity SES may send as); `digest@` the inbound domain by default. */
  fromAddress?: string;
  /** `export`, `forget` and `delete my data`; without them each is answered as not available. */
  account?: AccountCommands;
}

/** The use cases behind the account commands. */
export interface AccountCommands {
  forget: ForgetContact;
  exportData: ExportData;
  deleteMyData: DeleteMyData;
}

const helpKindLabels: Record<string, string> = {
  promise: 'your promise',
  'favour-owed': 'a favour to return',
  'give-before-ask': 'your ask',
  'going-quiet': 'keeping in touch',
};

/** One thing a command acts on: what it is keyed by, and how the answer names it. */
interface Thing {
  key: string;
  label: string;
}

/**
 * A reply to a digest or an answer: the user steering givefirst by mail.
 *
 * Primary course:
 * 1. Never answer a robot: auto-submitted mail, bounces, lists and givefirst's own mail are refused.
 * 2. Read the token of `reply+TOKEN@D`: it must be genuine, unexpired and of a kind that takes
 *    commands; its user must be the sender, who must pass sender authentication as for logging.
 *    An expired token gets one "too old" answer (to an authenticated user), nothing else.
 * 3. Record the mail once (the same mail delivered twice is applied and answered once).
 * 4. Read its commands and apply each: items by number through the digest the token names, or by
 *    name or address; settings move the schedule index at once.
 * 5. Answer once, briefly: what changed, then the lines not understood (a few answers an hour at
 *    most, marked `Auto-Submitted`, with a fresh token as Reply-To).
 */
export function makeHandleReply(deps: HandleReplyDeps): HandleReply {
  const { users, digests, steering, tokens, mailer, clock, logger, mailDomain } = deps;
  const from = `givefirst <${deps.fromAddress ?? `digest@${mailDomain}`}>`;

  return async function handleReply({ email, envelope, token }) {
    const now = clock();
    const { classification, because } = classifyMessage(email);
    if (classification !== 'personal') return rejected(classification, because);
    if (!email.from) return rejected('no-from-address', 'the From header has no usable address');
    if (email.fromAmbiguity) return rejected('ambiguous-from', email.fromAmbiguity);
    if (domainOf(email.from.address) === mailDomain.toLowerCase()) {
      return rejected('from-givefirst', 'mail from givefirst itself is never answered');
    }
    const judge = () =>
      judgeSender({
        verdicts: envelope.verdicts,
        fromAddress: (email.from as { address: string }).address,
        authenticationResults: email.authenticationResults,
      });

    const reading = tokens.read(token, now);
    if (!reading.ok && reading.why === 'expired') {
      const user = await users.findUserByAddress(email.from.address);
      if (!user) return rejected('expired-reply-token', 'an expired reply address, from no user');
      const judgement = judge();
      if (!judgement.ok) return refuseSender(judgement, user.userId);
      const key = mailKey(email);
      if (
        (await steering.beginCommandMail(user.userId, key, envelope.receiptId, now)) !== 'duplicate'
      ) {
        await answer(user, email, key, noDigestRef, [
          'This digest is too old to act on; reply to a newer one.',
        ]);
      }
      return rejected('expired-reply-token', 'the reply address has expired', user.userId);
    }
    if (!reading.ok) return rejected('bad-reply-token', `the reply address is ${reading.why}`);
    const { claims } = reading;
    if (claims.kind !== 'digest' && claims.kind !== 'confirmation') {
      return rejected('bad-reply-token', `a ${claims.kind} address takes no commands`);
    }
    const user = await users.getUser(claims.userId);
    if (!user) return rejected('bad-reply-token', 'the reply address names no user');
    if (!isUsersAddress(email.from.address, user)) {
      return rejected(
        'not-the-token-user',
        `${email.from.address} is not the user this reply address belongs to`,
      );
    }
    const judgement = judge();
    if (!judgement.ok) return refuseSender(judgement, user.userId);

    const key = mailKey(email);
    const begun = await steering.beginCommandMail(user.userId, key, envelope.receiptId, now);
    if (begun === 'duplicate') return { status: 'duplicate', userId: user.userId, messageKey: key };

    const read = readCommands(
      { text: email.text, subject: email.subject },
      { now, timeZone: user.timeZone, signedBy: email.from ?? undefined },
    );
    if (
      deps.account &&
      isDeleteConfirmation(claims) &&
      read.commands.some((c) => c.verb === 'confirm-delete')
    ) {
      // Everything goes, whatever else the mail says; the goodbye is its one answer.
      const { goodbye } = await deps.account.deleteMyData(user, {
        receiptId: envelope.receiptId,
        messageId: email.messageId,
        from,
      });
      return {
        status: 'steered',
        userId: user.userId,
        commands: read.commands.length,
        notUnderstood: 0,
        confirmed: goodbye,
      };
    }
    const applied = await applyCommands(user, claims, read.commands, now);
    const problems = [...applied.problems, ...read.problems];
    const lines = [...applied.lines, ...problemsText(problems, read.unread)];
    if (read.commands.length === 0 && problems.length === 0) {
      lines.push('There was no command in your reply.', '', helpText);
    }
    // An unsubscribe is confirmed once: a second one, digests already stopped, is not answered.
    const repeatUnsubscribe =
      user.pausedAt &&
      read.commands.every((c) => c.verb === 'unsubscribe') &&
      problems.length === 0;
    // Only the answer to `delete my data` carries the delete confirmation's ref on.
    const ref = applied.deleteAsked
      ? deleteConfirmationRef
      : isDeleteConfirmation(claims)
        ? noDigestRef
        : claims.ref;
    const confirmed = repeatUnsubscribe
      ? false
      : await answer(
          user,
          email,
          key,
          ref,
          lines,
          applied.deleteAsked ? deleteConfirmationDays : replyAddressDays,
          applied.attachments,
        );
    logger.info('reply commands', {
      userId: user.userId,
      commands: read.commands.length,
      notUnderstood: problems.length,
      confirmed,
    });
    return {
      status: 'steered',
      userId: user.userId,
      commands: read.commands.length,
      notUnderstood: problems.length + read.unread,
      confirmed,
    };
  };

  /** Sends the one answer to a command mail, if it is the first and the hour allows it. */
  async function answer(
    user: User,
    email: ParsedEmail,
    key: string,
    ref: string,
    lines: string[],
    days = replyAddressDays,
    attachments: MailAttachment[] = [],
  ): Promise<boolean> {
    if (!(await steering.claimConfirmation(user.userId, key))) return false;
    const hour = clock().toISOString().slice(0, 13);
    if (!(await steering.countConfirmation(user.userId, hour, confirmationsPerHour))) {
      logger.warn('answer held back: the hourly allowance is spent', { userId: user.userId });
      return false;
    }
    const expiresAt = new Date(clock().getTime() + days * 86_400_000);
    const replyTo = `reply+${tokens.issue({ kind: 'confirmation', userId: user.userId, ref, expiresAt })}@${mailDomain}`;
    const subject = truncate(stripControls(email.subject.replace(/^\s*re:\s*/i, '')), 100);
    const text = `${lines.join('\n')}\n`;
    const headers: Record<string, string> = { 'Auto-Submitted': 'auto-generated' };
    if (email.messageId) {
      headers['In-Reply-To'] = `<${normaliseMessageId(email.messageId)}>`;
      headers.References = `<${normaliseMessageId(email.messageId)}>`;
    }
    try {
      await mailer.send({
        from,
        to: user.email,
        replyTo,
        subject: subject ? `Re: ${subject}` : 'givefirst',
        text,
        html: answerHtml(text),
        headers,
        ...(attachments.length > 0 ? { attachments } : {}),
      });
      return true;
    } catch (error) {
      // The commands are applied: a lost answer is better than a receipt failed for redrive.
      logger.warn('answer not sent', {
        userId: user.userId,
        failure: error instanceof Error ? error.message : String(error),
      });
      return false;
    }
  }

  async function applyCommands(
    original: User,
    claims: TokenClaims,
    commands: Command[],
    now: Date,
  ): Promise<{
    lines: string[];
    problems: LineProblem[];
    deleteAsked: boolean;
    attachments: MailAttachment[];
  }> {
    let user = { ...original };
    let deleteAsked = false;
    const attachments: MailAttachment[] = [];
    const lines: string[] = [];
    const problems: LineProblem[] = [];
    const at = now.toISOString();
    let digest: DigestRecord | null | undefined;
    const digestOf = async () => {
      digest ??= await digests.getDigest(user.userId, claims.ref);
      return digest;
    };
    let rel: Relationships | undefined;
    const relOf = async () => {
      rel ??= await deps.relationships(user, now);
      return rel;
    };
    const done = new Set<string>();
    let reschedule = false;
    const change = async (settings: SettingsChange) => {
      await steering.updateSettings(user.userId, settings);
      const { neverLog, ...fields } = settings;
      user = {
        ...user,
        ...fields,
        ...(neverLog ? { neverLog: [...user.neverLog, neverLog] } : {}),
      };
    };

    for (const command of commands) {
      const problem = (why: string) => problems.push({ line: command.line, why });
      switch (command.verb) {
        case 'snooze':
        case 'done':
        case 'drop': {
          const found = await resolveMany(command.targets, await digestOf(), relOf, command.verb);
          if ('why' in found) {
            problem(found.why);
            break;
          }
          const fresh = found.filter((t) => !done.has(`${command.verb} ${t.key}`));
          if (fresh.length === 0) {
            problem('already done by a line above');
            break;
          }
          for (const t of fresh) done.add(`${command.verb} ${t.key}`);
          const fields =
            command.verb === 'snooze'
              ? { snoozedUntil: command.until }
              : command.verb === 'done'
                ? { doneAt: at }
                : { droppedAt: at, revivedAt: null };
          await Promise.all(
            fresh.map((t) => steering.steer(user.userId, { key: t.key, ...fields })),
          );
          const labels = listOf(fresh.map((t) => t.label));
          lines.push(
            command.verb === 'snooze'
              ? `Snoozed ${labels} until ${dayLabel(command.until)}.`
              : command.verb === 'done'
                ? `Marked ${labels} as done.`
                : `Stopped tracking ${labels}.`,
          );
          break;
        }
        case 'revive': {
          const r = await relOf();
          const who = resolvePerson(command.target, await digestOf(), r);
          if ('why' in who) {
            problem(who.why);
            break;
          }
          const pairs = r.threads.flatMap((t) =>
            t.contacts
              .filter((c) => c.address === who.address && c.state === 'let-go')
              .map(() => steerKeys.pair(t.threadKey, who.address)),
          );
          if (pairs.length === 0) {
            problem(`${who.name} is not let go`);
            break;
          }
          for (const key of pairs) await steering.steer(user.userId, { key, revivedAt: at });
          lines.push(`Revived ${who.name}: they are back in your digest.`);
          break;
        }
        case 'cadence': {
          const who = resolvePerson(command.target, await digestOf(), await relOf());
          if ('why' in who) {
            problem(who.why);
            break;
          }
          await steering.steer(user.userId, {
            key: steerKeys.contact(who.address),
            cadenceDays: command.days,
          });
          lines.push(`Keeping in touch with ${who.name} every ${command.days} days.`);
          break;
        }
        case 'never':
          if (user.neverLog.includes(command.address)) {
            lines.push(`${command.address} was already never logged.`);
            break;
          }
          await change({ neverLog: command.address });
          lines.push(`${command.address} will never be logged or suggested.`);
          break;
        case 'pause':
          await change({ pausedUntil: command.until });
          reschedule = true;
          lines.push(`Digests paused until ${dayLabel(command.until)}.`);
          break;
        case 'resume': {
          // As `givefirst user resume`: the stop (whatever its reason), the pause and the
          // soft-bounce count are cleared in one write, so bouncing starts again from none.
          user = { ...user, pausedAt: null, pausedUntil: null, stoppedBecause: null };
          const next = nextDigestFor(user, now);
          if (next) await digests.resumeDigests(user.userId, next);
          reschedule = true;
          lines.push('Digests are on again.');
          break;
        }
        case 'unsubscribe':
          await digests.pauseDigests(user.userId, now, 'unsubscribed');
          user = { ...user, pausedAt: at };
          lines.push(
            'You are unsubscribed: no more digests. Reply “resume” any time to start them again.',
          );
          break;
        case 'frequency':
          await change({ frequency: command.frequency });
          reschedule = true;
          lines.push(
            `Digests ${command.frequency === 'daily' ? 'every day' : command.frequency === 'weekly' ? 'once a week, on Mondays' : 'on weekdays'}.`,
          );
          break;
        case 'at':
          await change({ digestAt: command.time });
          reschedule = true;
          lines.push(`Digests at ${command.time}.`);
          break;
        case 'tz':
          await change({ timeZone: command.zone });
          reschedule = true;
          lines.push(`Your time zone is ${command.zone}.`);
          break;
        case 'more':
          lines.push(...moreText(await digestOf(), await relOf()));
          break;
        case 'help':
          lines.push(helpText);
          break;
        case 'settings':
          // Read last, so it shows what this mail changed.
          break;
        case 'forget': {
          if (!deps.account) {
            lines.push(`“${command.line}” is not available here; nothing was changed.`);
            break;
          }
          if (isUsersAddress(command.address, user)) {
            // Every outgoing message names the user: forgetting them would forget everything.
            problem('that is your own address; “delete my data” deletes everything');
            break;
          }
          const forgot = await deps.account.forget(user, command.address, now);
          if (!user.neverLog.includes(command.address)) {
            user = { ...user, neverLog: [...user.neverLog, command.address] };
          }
          lines.push(forgotText(command.address, forgot));
          break;
        }
        case 'delete-my-data':
          if (!deps.account) {
            lines.push(`“${command.line}” is not available here; nothing was changed.`);
            break;
          }
          deleteAsked = true;
          lines.push(
            'To delete everything givefirst keeps for you (messages, contacts, threads, digests,',
            'settings and the mail as received), reply “yes, delete” to this mail within',
            `${deleteConfirmationDays} days. Nothing is deleted until then.`,
          );
          break;
        case 'confirm-delete':
          lines.push(
            '“yes, delete” works only in reply to the mail that asks you to confirm “delete my data”; nothing was deleted.',
          );
          break;
        case 'export': {
          if (!deps.account) {
            lines.push(`“${command.line}” is not available here; nothing was changed.`);
            break;
          }
          const exported = await deps.account.exportData(user, now);
          lines.push(...exported.lines);
          attachments.push(...exported.attachments);
          break;
        }
      }
    }
    const next = reschedule ? nextDigestFor(user, now) : null;
    if (next) {
      await digests.scheduleDigest(user.userId, next);
      lines.push(`Your next digest: ${dayLabel(next.localDate)} at ${user.digestAt}.`);
    } else if (reschedule) {
      lines.push('Digests stay stopped until you reply “resume”.');
    }
    if (commands.some((c) => c.verb === 'settings')) lines.push(settingsText(user, now));
    return { lines, problems, deleteAsked, attachments };
  }
}

/** The key of a command mail: its Message-ID, or its body when it has none. */
function mailKey(email: ParsedEmail): string {
  return shortKey(
    email.messageId ? normaliseMessageId(email.messageId) : `body ${email.bodyDigest}`,
  );
}

function listOf(labels: string[]): string {
  const unique = [...new Set(labels)];
  return unique.length <= 1
    ? (unique[0] ?? '')
    : `${unique.slice(0, -1).join(', ')} and ${unique.at(-1)}`;
}

function nameOf(rel: Relationships, address: string): string {
  const l = rel.ledger.find((c) => c.address === address);
  return stripControls(l?.name ?? '').replace(/^"(.*)"$/, '$1') || address;
}

/**
 * A numbered item: its thread (Waiting, or a Help-first item that also awaits a reply) and its
 * Help-first entry, named as the digest showed it.
 */
function thingsOf(item: DigestItemRef, label: string): Thing[] {
  return [
    ...(item.threadKey ? [{ key: steerKeys.pair(item.threadKey, item.address), label }] : []),
    ...(item.section === 'help-first'
      ? [{ key: steerKeys.help(item.kind, item.address), label }]
      : []),
  ];
}

/** How an answer names a numbered item: as the digest did (older records: from the threads). */
async function labelOf(item: DigestItemRef, rel: () => Promise<Relationships>): Promise<string> {
  if (item.name) {
    return itemLabel(item.name, item.subject ?? helpKindLabels[item.kind] ?? null);
  }
  const r = await rel();
  const subject = item.threadKey
    ? (r.threads.find((t) => t.threadKey === item.threadKey)?.subject ?? null)
    : null;
  return itemLabel(nameOf(r, item.address), subject ?? helpKindLabels[item.kind] ?? null);
}

/** Whether a name as typed means this contact: the address, its local part, the name or first name. */
function matches(typed: string, contact: { address: string; name: string }): boolean {
  const t = typed.toLowerCase().trim();
  const name = stripControls(contact.name)
    .replace(/^"(.*)"$/, '$1')
    .toLowerCase();
  const local = contact.address.slice(0, contact.address.lastIndexOf('@'));
  return (
    t === contact.address ||
    t === local ||
    (name !== '' && (t === name || t === name.split(/[\s,]+/)[0]))
  );
}

type Person = { address: string; name: string };

function resolvePerson(
  target: Target,
  digest: DigestRecord | null,
  rel: Relationships,
): Person | { why: string } {
  if (target.by === 'number') {
    const item = digest?.items.find((i) => i.number === target.number);
    if (!item) return { why: noSuchItem(target.number, digest) };
    return { address: item.address, name: nameOf(rel, item.address) };
  }
  const inDigest = new Set(digest?.items.map((i) => i.address) ?? []);
  const people = rel.ledger.filter((c) => matches(target.text, c));
  const preferred = people.filter((p) => inDigest.has(p.address));
  const found = preferred.length > 0 ? preferred : people;
  if (found.length === 0) return { why: `no one called “${target.text}” in your contacts` };
  if (found.length > 1) {
    return {
      why: `“${target.text}” could be ${listOf(found.slice(0, 3).map((p) => p.address))}: write the address`,
    };
  }
  const address = found[0]?.address ?? '';
  return { address, name: nameOf(rel, address) };
}

function noSuchItem(number: number, digest: DigestRecord | null): string {
  if (!digest) return 'numbers refer to a digest, and this reply is not to one with items';
  const count = digest.items.length;
  return `there is no item ${number}: that digest had ${count} ${count === 1 ? 'item' : 'items'}`;
}

/** The things a snooze, done or drop acts on, or why it cannot. */
async function resolveMany(
  targets: Target[] | 'all',
  digest: DigestRecord | null,
  relOf: () => Promise<Relationships>,
  verb: 'snooze' | 'done' | 'drop',
): Promise<Thing[] | { why: string }> {
  const numbered = async (items: DigestItemRef[]) =>
    (await Promise.all(items.map(async (i) => thingsOf(i, await labelOf(i, relOf))))).flat();
  if (targets === 'all') {
    if (!digest || digest.items.length === 0)
      return { why: 'this reply is not to a digest with items' };
    return numbered(digest.items);
  }
  const things: Thing[] = [];
  for (const target of targets) {
    if (target.by === 'number') {
      const item = digest?.items.find((i) => i.number === target.number);
      if (!item) return { why: noSuchItem(target.number, digest) };
      things.push(...(await numbered([item])));
      continue;
    }
    const rel = await relOf();
    const who = resolvePerson(target, digest, rel);
    if ('why' in who) return who;
    const inDigest = digest?.items.filter((i) => i.address === who.address) ?? [];
    if (inDigest.length > 0) {
      things.push(...(await numbered(inDigest)));
      continue;
    }
    const open = verb === 'snooze' ? ['due', 'bounced'] : ['due', 'waiting', 'bounced'];
    const pairs = rel.threads.flatMap((t) =>
      t.contacts
        .filter((c) => c.address === who.address && open.includes(c.state))
        .map(() => ({
          key: steerKeys.pair(t.threadKey, who.address),
          label: itemLabel(who.name, t.subject),
        })),
    );
    const help = rel.allHelp
      .filter((h: HelpItem) => h.address === who.address)
      .map((h) => ({
        key: steerKeys.help(h.kind, h.address),
        label: itemLabel(who.name, helpKindLabels[h.kind] ?? null),
      }));
    if (pairs.length + help.length === 0) return { why: `nothing is open with ${who.name}` };
    // A Help-first entry on the same person is named as their thread is: one person, one line.
    const sameLabel = pairs[0]?.label;
    if (sameLabel) for (const h of help) h.label = sameLabel;
    things.push(...pairs, ...help);
  }
  return things;
}

/** What a capped digest left out: the items now open that it did not number. */
function moreText(digest: DigestRecord | null, rel: Relationships): string[] {
  const items = digest?.items ?? [];
  const helpShown = new Set(items.map((i) => `${i.kind} ${i.address}`));
  const pairsShown = new Set(items.map((i) => `${i.address} ${i.threadKey}`));
  const help = rel.allHelp
    .filter((h) => !helpShown.has(`${h.kind} ${h.address}`))
    .map((h) => `  ${nameOf(rel, h.address)}: ${stripControls(h.reason)}`);
  const waiting = rel.threads.flatMap((t) =>
    t.contacts
      .filter((c) => c.state === 'due' && !pairsShown.has(`${c.address} ${t.threadKey}`))
      .map((c) => `  ${itemLabel(nameOf(rel, c.address), t.subject)}: ${c.reason ?? ''}`),
  );
  const all = [...help, ...waiting];
  if (all.length === 0) return ['Nothing more: the digest showed everything open.'];
  const listed = all.slice(0, 30);
  return [
    `${all.length} more (by name: “snooze alice 2w”, “done alice”):`,
    ...listed,
    ...(all.length > listed.length ? [`  and ${all.length - listed.length} more`] : []),
  ];
}
