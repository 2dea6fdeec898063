import { IANAZone } from 'luxon';
import { dayLabel } from './reply-answer.ts';
import { commandsMarker, commandText, readTimeOfDay } from './reply-commands.ts';
import type { ZoneGuess } from './time-zone-guess.ts';

/**
 * Joining by email: what givefirst writes to someone who asks to join at `start@D`, and how it
 * reads their answer. Pure: the use case (join.ts) sends and registers.
 */

/** How long the welcome's reply address works. */
export const welcomeTokenDays = 14;
/** The digest hour a new user starts with, unless their `yes` says `at HH:MM`. */
export const defaultDigestAt = '08:00';

/** The tags of the log address, as DESIGN's table names them, for the welcome. */
const tagLines = [
  '  3d, 2w, tomorrow, monday…  your own reply window (default: 3 business days)',
  '  fyi       record the touch, expect no reply',
  '  ask       you are asking this person for something',
  '  promise   you promised them something; it stays in Help first until you give',
  '  gave      this email delivers help to them (an intro, a referral, a favour)',
  '  thanks    they helped you; you owe them one',
];

const zoneSentence = (guess: ZoneGuess) =>
  guess.from === 'offset'
    ? `givefirst guessed your time zone from your mail: ${guess.zone}.`
    : `Your mail did not say its time zone, so givefirst assumed ${guess.zone}.`;

/** An example zone for the correction that is not the one guessed. */
const otherZone = (zone: string) =>
  zone === 'Europe/Berlin' ? 'America/New_York' : 'Europe/Berlin';

/**
 * The welcome. Each paragraph is one line: mail clients wrap it to their width. The examples sit
 * under the commands marker, where reading a reply stops, so a quote the mail client did not mark
 * never says yes for anyone.
 */
export function welcomeText(input: { mailDomain: string; guess: ZoneGuess }): string {
  return [
    'Hello,',
    '',
    'givefirst helps you keep your relationships warm, by email alone. Its idea is "help first": give before you ask, keep the promises you make, and follow up kindly when someone has not answered yet.',
    '',
    `How it works: BCC log@${input.mailDomain} on the mail you send. givefirst remembers who you wrote to, who still owes you a reply, who did you a favour and what you promised. Each weekday morning it sends you one short digest: the people to help first, and who you are waiting on. Nothing to install, no access to your inbox.`,
    '',
    `Tags say more about a message: add them to the log address, e.g. log+ask+5d@${input.mailDomain}`,
    ...tagLines,
    '',
    commandsMarker,
    'To start, reply to this mail with:',
    '',
    '  yes',
    '',
    `${zoneSentence(input.guess)} Your digest comes at ${defaultDigestAt} in that zone. To change either, add lines to the same reply, for example:`,
    '',
    '  yes',
    `  tz ${otherZone(input.guess.zone)}`,
    '  at 07:30',
    '',
    `This invitation works for ${welcomeTokenDays} days. If you did not ask to join, ignore this mail: nothing happens without your yes.`,
  ].join('\n');
}

export function joinedText(input: {
  mailDomain: string;
  timeZone: string;
  digestAt: string;
  /** The local date of the first digest (yyyy-mm-dd), as the schedule has it. */
  firstDigest: string;
}): string {
  return [
    'Welcome to givefirst: you are in.',
    '',
    `BCC log@${input.mailDomain} on the mail you send (or forward a received one to it).`,
    '',
    `Your digest comes at ${input.digestAt}, ${input.timeZone} time, on weekdays when there is something to show; the first one can come on ${dayLabel(input.firstDigest)}.`,
    '',
    'Reply to a digest with "help" for what you can tell givefirst, or with "tz" and "at" to move it.',
  ].join('\n');
}

export const accountExistsText = (mailDomain: string) =>
  [
    'You already have a givefirst account with this address, so there is nothing to start.',
    '',
    `BCC log@${mailDomain} on the mail you send; reply "settings" to a digest to see yours.`,
  ].join('\n');

export const notAllowedText = (domain: string) =>
  [
    `This givefirst does not take sign-ups from ${domain}, so nothing was started.`,
    '',
    'If you think it should, ask the person who runs it.',
  ].join('\n');

export const expiredInvitationText = (mailDomain: string) =>
  `That invitation is too old to answer. Write to start@${mailDomain} again for a new one.`;

export function howToJoinText(problems: string[]): string {
  return [
    ...problems,
    ...(problems.length ? [''] : []),
    'Nothing was changed. To start, reply "yes" on a line of its own; you can add "tz Europe/Berlin" and "at 07:30" on the lines below it.',
  ].join('\n');
}

export interface JoinReply {
  yes: boolean;
  /** `tz ZONE`, as typed (the registration spells it as the IANA database does). */
  zone?: string;
  /** `at HH:MM`, read as reply commands read it. */
  digestAt?: string;
  /** Lines that said tz or at with something givefirst could not read. */
  problems: string[];
}

/** A line that starts by saying yes ("Yes", "yes please!", "Yes, sign me up", "ja", "oui"). */
const yesLine = /^(?:ok,?\s+)?(?:yes|yep|yeah|sure|ja|oui|sí)(?=$|[\s.,!;:])/iu;

/** The answer to a welcome: its own new text (quote and signature split off), line by line. */
export function readJoinReply(text: string): JoinReply {
  const reply: JoinReply = { yes: false, problems: [] };
  const lines = commandText(text)
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0)
    .slice(0, 30);
  for (const line of lines) {
    if (yesLine.test(line)) {
      reply.yes = true;
      continue;
    }
    const tz = /^(?:tz|time ?zone)\s*:?\s+(\S+)$/i.exec(line)?.[1];
    if (tz !== undefined) {
      if (IANAZone.isValidZone(tz)) reply.zone = tz;
      else
        reply.problems.push(`"${tz}" is not a time zone; use an IANA name such as Europe/Berlin.`);
      continue;
    }
    const at = /^at\s*:?\s+(.+)$/i.exec(line)?.[1];
    if (at !== undefined) {
      const time = readTimeOfDay(at);
      if (time) reply.digestAt = time;
      else
        reply.problems.push(
          `"${at}" is not a time of day; use HH:MM on the quarter hour, such as 07:30.`,
        );
    }
  }
  return reply;
}
