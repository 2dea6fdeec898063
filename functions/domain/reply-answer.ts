import { DateTime } from 'luxon';
import { stripControls, truncate } from './digest.ts';
import { escapeHtml } from './escape-html.ts';
import type { User } from './model.ts';
import type { LineProblem } from './reply-commands.ts';
import { sendingState } from './sending-state.ts';

/**
 * The short answers givefirst sends to a command mail: what changed, then the lines it did not
 * understand. Plain sentences; the HTML part is the same text, escaped.
 */

/** At most this many lines not understood are named; the rest are counted. */
export const problemsNamed = 8;

export const helpText = [
  'Reply to a digest with one command per line:',
  '  snooze 2 · snooze 2 3d · snooze 2 until monday · snooze alice 2w · tomorrow (snoozes everything)',
  '  done 1 3 (they replied, or it is handled)',
  '  drop 4 or let go 4 (stop tracking it) · revive alice (undo a let-go)',
  '  cadence alice 30d (keep in touch that often) · never alice@x.com · never @x.com',
  '  pause 2w · resume · daily · weekly · weekdays · at 7:30 · tz Europe/Berlin',
  '  more (what a full digest left out) · settings · help · unsubscribe',
  '  export (your data, attached) · forget alice@x.com · delete my data',
].join('\n');

/** "Mon 7 Dec": a local date as the answers say it. */
export function dayLabel(localDate: string): string {
  return DateTime.fromISO(localDate, { locale: 'en' }).toFormat('ccc d LLL');
}

/** A person and, when known, the thread: "Alice (Q4 budget)". */
export function itemLabel(name: string, subject: string | null): string {
  const who = truncate(stripControls(name), 60);
  const about = subject ? truncate(stripControls(subject), 60) : '';
  return about ? `${who} (${about})` : who;
}

export function settingsText(user: User, now: Date): string {
  const frequency =
    user.frequency === 'daily'
      ? 'every day'
      : user.frequency === 'weekly'
        ? 'on Mondays'
        : 'on weekdays';
  const sending = sendingState(user, now);
  const state =
    sending.state === 'unsubscribed' || sending.state === 'bouncing'
      ? 'stopped (reply “resume” to start them again)'
      : sending.state === 'paused'
        ? `paused until ${dayLabel(sending.until)}`
        : 'on';
  return [
    'Your settings:',
    `  digests: ${state}, ${frequency} at ${user.digestAt} (${user.timeZone})`,
    `  never logged: ${user.neverLog.length > 0 ? user.neverLog.join(', ') : 'nobody'}`,
  ].join('\n');
}

export function problemsText(problems: LineProblem[], unread: number): string[] {
  if (problems.length === 0 && unread === 0) return [];
  const lines = problems
    .slice(0, problemsNamed)
    .map((p) => `  “${stripControls(p.line)}”: ${p.why}`);
  const more = problems.length - problemsNamed + unread;
  if (more > 0) lines.push(`  and ${more} more ${more === 1 ? 'line' : 'lines'} not read`);
  return ['Not understood (nothing was changed for these):', ...lines];
}

/** The HTML part of an answer: the same text, escaped, in one small block. */
export function answerHtml(text: string): string {
  const escaped = escapeHtml(text);
  return `<!doctype html>
<html lang="en" dir="ltr"><head><meta charset="utf-8"><meta name="color-scheme" content="light dark"></head>
<body style="margin:0;padding:16px;font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Arial,sans-serif;font-size:15px;line-height:1.45">
<div style="white-space:pre-wrap;max-width:560px">${escaped}</div>
</body></html>
`;
}

const counted = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** The answer to `forget`: what went, and that the address stays on the never-log list. */
export function forgotText(
  address: string,
  forgot: { messages: number; threads: number; other: number; wasNeverLogged: boolean },
): string {
  const listed = forgot.wasNeverLogged
    ? 'they were already on your never-log list'
    : 'they are on your never-log list';
  if (forgot.messages === 0 && forgot.other === 0) {
    return `Nothing was known about ${address}, so nothing was removed; ${listed}, so nothing naming them will be logged.`;
  }
  return `Forgot ${address}: ${counted(forgot.messages, 'message', 'messages')}, ${counted(forgot.threads, 'thread', 'threads')}; ${listed}.`;
}
