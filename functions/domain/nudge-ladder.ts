import { DateTime } from 'luxon';
import type { ReplyWindow } from './model.ts';
import { dueDate, firstBusinessDayAfter, localDate, nudgeWindow } from './reply-window.ts';

/**
 * The nudge ladder of one (thread, contact) pair, as a fold over what happened on the thread in
 * date order. Nothing here reads a clock: `pairStatus` is handed the moment to judge at, so the
 * ladder is a pure function of the messages, the user's zone and that moment.
 *
 * waiting → due ("assume the best") → nudged once → due again ("one last friendly nudge") →
 * nudged twice → let go. A reply at any step closes it, let-go included; so does a message that
 * asks nothing written after it was due ("thanks for the call"): they answered elsewhere. Mail that
 * bounced is news, not silence: the pair says so, is never nudged or let go, and is left out once
 * the same person is reached at another address.
 */

export type PairEvent =
  /** The user wrote to this person (in To). `awaited`: the message asks for a reply. */
  | { kind: 'wrote'; at: Date; awaited: boolean; window: ReplyWindow | null; messageKey: string }
  /** Evidence that this person replied. */
  | { kind: 'replied'; at: Date; how: string; messageKey: string }
  /** This person's out-of-office reply, with the day they are back if it named one. */
  | { kind: 'away'; at: Date; returnsOn: string | null; messageKey: string }
  /** The user's mail to this address bounced. */
  | { kind: 'bounced'; at: Date; messageKey: string }
  /** The same person (same name) wrote or was written to at another address since it bounced. */
  | { kind: 'moved'; at: Date; address: string; messageKey: string };

export interface Evidence {
  at: string;
  what: string;
  messageKey: string;
}

export interface PairLadder {
  /** Waiting for a reply (the window may be over). */
  active: boolean;
  letGo: boolean;
  replied: boolean;
  nudges: number;
  since: string | null;
  dueOn: string | null;
  window: ReplyWindow | null;
  awayUntil: string | null;
  /** The user's mail to this address bounced: never nudged or let go. */
  bounced: boolean;
  history: Evidence[];
}

export type PairState = 'idle' | 'waiting' | 'due' | 'bounced' | 'let-go' | 'replied';

export interface PairStatus {
  state: PairState;
  nudges: number;
  since: string | null;
  dueOn: string | null;
  awayUntil: string | null;
  /** What the digest says about a due pair. */
  reason: string | null;
}

/** After a second unanswered nudge, the ladder lets go. */
export const nudgesBeforeLettingGo = 2;

export function startPair(): PairLadder {
  return {
    active: false,
    letGo: false,
    replied: false,
    nudges: 0,
    since: null,
    dueOn: null,
    window: null,
    awayUntil: null,
    bounced: false,
    history: [],
  };
}

/** Whether the window after the second nudge is over by `at`: then the ladder has let go. */
function lettingGo(pair: PairLadder, at: Date, timeZone: string): boolean {
  return (
    pair.active &&
    !pair.bounced &&
    pair.nudges >= nudgesBeforeLettingGo &&
    pair.dueOn !== null &&
    localDate(at, timeZone) >= pair.dueOn
  );
}

/** Writes what an event did into the pair's history. */
const note = (pair: PairLadder, event: PairEvent, what: string) =>
  pair.history.push({ at: event.at.toISOString(), what, messageKey: event.messageKey });

/** Applies one event (in date order) to a pair. Returns the same object, changed. */
export function applyEvent(pair: PairLadder, event: PairEvent, timeZone: string): PairLadder {
  if (lettingGo(pair, event.at, timeZone)) {
    pair.active = false;
    pair.letGo = true;
  }
  switch (event.kind) {
    case 'replied':
      if (pair.active || pair.letGo) {
        pair.active = false;
        pair.letGo = false;
        pair.bounced = false;
        pair.replied = true;
        note(pair, event, `replied (${event.how})`);
      }
      return pair;
    case 'away':
      if (!pair.active) return pair;
      pair.awayUntil = event.returnsOn;
      if (event.returnsOn) {
        const back = firstBusinessDayAfter(event.returnsOn);
        if (pair.dueOn === null || back > pair.dueOn) pair.dueOn = back;
        note(pair, event, `out of office until ${event.returnsOn}`);
      } else {
        note(pair, event, 'out of office (no return date)');
      }
      return pair;
    case 'bounced':
      if (!pair.active || pair.bounced) return pair;
      pair.bounced = true;
      note(pair, event, "your mail didn't arrive (the address bounced)");
      return pair;
    case 'moved':
      if (!pair.bounced) return pair;
      pair.active = false;
      pair.bounced = false;
      note(pair, event, `reached at a new address (${event.address})`);
      return pair;
    case 'wrote': {
      // Writing again to an address that bounced reaches no one: no nudge, nothing restarts.
      if (pair.letGo || pair.bounced) return pair;
      if (pair.active && pair.dueOn !== null) {
        const today = localDate(event.at, timeZone);
        if (today < pair.dueOn) {
          pair.dueOn = dueDate(event.at, timeZone, event.window ?? pair.window ?? nudgeWindow);
          note(pair, event, 'wrote again before the window was over: window restarted');
        } else if (!event.awaited) {
          // "Thanks for the call", "got it": they answered some other way; the wait is over.
          pair.active = false;
          pair.replied = true;
          note(pair, event, 'answered elsewhere (you wrote after it was due and asked nothing)');
        } else {
          pair.nudges += 1;
          pair.dueOn = dueDate(event.at, timeZone, nudgeWindow);
          note(pair, event, pair.nudges === 1 ? 'nudged once' : `nudged ${pair.nudges} times`);
        }
        return pair;
      }
      if (!event.awaited || !event.window) return pair;
      pair.active = true;
      pair.replied = false;
      pair.nudges = 0;
      pair.since = event.at.toISOString();
      pair.window = event.window;
      pair.awayUntil = null;
      pair.dueOn = dueDate(event.at, timeZone, event.window);
      note(pair, event, 'asked; awaiting a reply');
      return pair;
    }
  }
}

const reasons = {
  firstDue: 'Assume the best: maybe they missed it. Reach out again.',
  lastDue: 'One last friendly nudge.',
  bounced: "Your mail didn't arrive (the address bounced). Find a new way to reach them.",
};

/** Where a pair stands at `now`, on the user's calendar. */
export function pairStatus(pair: PairLadder, now: Date, timeZone: string): PairStatus {
  const base = {
    nudges: pair.nudges,
    since: pair.since,
    dueOn: pair.dueOn,
    awayUntil: pair.awayUntil,
  };
  if (pair.letGo || lettingGo(pair, now, timeZone))
    return { ...base, state: 'let-go', reason: null };
  if (pair.replied && !pair.active) return { ...base, state: 'replied', reason: null };
  if (pair.active && pair.bounced) return { ...base, state: 'bounced', reason: reasons.bounced };
  if (!pair.active || pair.dueOn === null) return { ...base, state: 'idle', reason: null };
  if (localDate(now, timeZone) < pair.dueOn) return { ...base, state: 'waiting', reason: null };
  const reason = pair.nudges === 0 ? reasons.firstDue : reasons.lastDue;
  const away = pair.awayUntil
    ? ` They were away until ${DateTime.fromISO(pair.awayUntil, { locale: 'en' }).toFormat('d LLLL')}.`
    : '';
  return { ...base, state: 'due', reason: `${reason}${away}` };
}
