import { DateTime } from 'luxon';
import type { HelpItem, HelpKind } from './help-first.ts';
import type { DigestRecord, Steer } from './ports.ts';
import { localDate } from './reply-window.ts';
import type { ThreadContactView, ThreadView } from './threads.ts';

/**
 * What reply commands change in what the user sees: a pure layer over the threads and Help first
 * built from the logged messages. Snoozed items are hidden until their date, `done` closes a wait
 * as a reply would, `drop` lets go at once, `revive` brings a let-go person back, and a due item
 * shown on three digests with no action is let go (the ladder's last rule).
 */

/** A due item shown on this many digests with nothing done about it is let go. */
export const digestsBeforeLettingGo = 3;
/**
 * The digests read for that rule. A pair it let go is recorded (`letGoAt`, `SteeredThreads.lettingGo`)
 * and stays let go once those digests are past this window.
 */
export const digestHistoryDays = 60;

/** The key of each thing a command can steer. */
export const steerKeys = {
  pair: (threadKey: string, address: string) => `pair ${threadKey} ${address}`,
  help: (kind: HelpKind | string, address: string) => `help ${kind} ${address}`,
  contact: (address: string) => `contact ${address}`,
};

const reasons = {
  revived: 'You asked to keep this one. Reach out again when it feels right.',
};

export interface SteeredThreads {
  threads: ThreadView[];
  /** Let-go pairs the user let go themselves: never named in a footer. */
  quietlyLetGo: string[];
  /**
   * Pairs the three-digest rule lets go that no record says so yet: the digest records them
   * (`Steer.letGoAt`), or they would come back once the digests that showed them are past
   * `digestHistoryDays`.
   */
  lettingGo: { threadKey: string; address: string }[];
}

/** The latest of some ISO instants or dates (null when none). */
const latest = (...xs: (string | null | undefined)[]) =>
  xs
    .filter((x): x is string => !!x)
    .sort()
    .at(-1) ?? null;

/**
 * A steer as it stood at `now`: a `done`, `drop` or `revive` given later is not known yet, so a past
 * moment is judged as it was (snoozes and cadences carry no time of their own and always count).
 */
function asOf(s: Steer | undefined, now: Date): Steer | undefined {
  if (!s) return s;
  const at = now.toISOString();
  const known = (t: string | null | undefined) => (t && t <= at ? t : null);
  return {
    ...s,
    doneAt: known(s.doneAt),
    droppedAt: known(s.droppedAt),
    revivedAt: known(s.revivedAt),
    letGoAt: known(s.letGoAt),
  };
}

/**
 * The threads as the user steered them. `digests` are the digest records since `digestHistoryDays`
 * ago (what each showed), to count how often a due pair was shown.
 */
export function steerThreads(
  threads: ThreadView[],
  steers: ReadonlyMap<string, Steer>,
  digests: readonly Pick<DigestRecord, 'localDate' | 'items' | 'state'>[],
  now: Date,
  timeZone: string,
): SteeredThreads {
  const today = localDate(now, timeZone);
  const quietlyLetGo: string[] = [];
  const lettingGo: SteeredThreads['lettingGo'] = [];
  // The days each (thread, contact) was shown on a digest before today (a failed send showed nothing).
  const shownOn = new Map<string, string[]>();
  for (const d of digests) {
    if (d.state === 'failed' || d.localDate >= today) continue;
    for (const i of d.items) {
      if (!i.threadKey) continue;
      const key = `${i.threadKey} ${i.address}`;
      const days = shownOn.get(key);
      if (days) days.push(d.localDate);
      else shownOn.set(key, [d.localDate]);
    }
  }
  const steerContact = (t: ThreadView, c: ThreadContactView): ThreadContactView => {
    const open =
      c.state === 'due' || c.state === 'waiting' || c.state === 'let-go' || c.state === 'bounced';
    if (!open) return c;
    const s =
      steers.size > 0 ? asOf(steers.get(steerKeys.pair(t.threadKey, c.address)), now) : undefined;
    const asked = c.since ?? t.firstAt;
    if (s?.doneAt && s.doneAt >= asked && (!s.revivedAt || s.doneAt >= s.revivedAt)) {
      return { ...c, state: 'replied', reason: null };
    }
    const revived = s?.revivedAt && s.revivedAt >= asked ? s.revivedAt : null;
    if (s?.droppedAt && s.droppedAt >= asked && (!revived || s.droppedAt >= revived)) {
      quietlyLetGo.push(`${t.threadKey} ${c.address}`);
      return { ...c, state: 'let-go', reason: null };
    }
    // A bounce is never let go for being shown: only the user's own word hides it.
    if (c.state === 'bounced') {
      return s?.snoozedUntil && s.snoozedUntil > today
        ? { ...c, state: 'waiting', dueOn: s.snoozedUntil, reason: null }
        : c;
    }
    const revivedNow = c.state === 'let-go' && revived !== null;
    if (c.state !== 'due' && !revivedNow) return c;
    // Snoozed: waiting again, and due the day the snooze ends (not the day it first fell due).
    if (s?.snoozedUntil && s.snoozedUntil > today) {
      return { ...c, state: 'waiting', dueOn: s.snoozedUntil, reason: null };
    }
    // Shown since this due stage began and since the user last did something about it.
    const from = latest(
      c.dueOn,
      s?.snoozedUntil,
      revived ? localDate(new Date(revived), timeZone) : null,
    );
    // Let go by the rule in this stage before: for good (a nudge since starts a new stage).
    const letGoAt = s?.letGoAt;
    if (
      letGoAt &&
      (!revived || letGoAt >= revived) &&
      (!from || localDate(new Date(letGoAt), timeZone) >= from)
    )
      return { ...c, state: 'let-go', reason: null };
    const days = shownOn.get(`${t.threadKey} ${c.address}`) ?? [];
    const shown = days.filter((day) => !from || day >= from).length;
    if (shown >= digestsBeforeLettingGo) {
      lettingGo.push({ threadKey: t.threadKey, address: c.address });
      return { ...c, state: 'let-go', reason: null };
    }
    return revivedNow ? { ...c, state: 'due', reason: reasons.revived } : c;
  };
  const steered = threads.map((t) => {
    const contacts = t.contacts.map((c) => steerContact(t, c));
    return contacts.every((c, i) => c === t.contacts[i]) ? t : { ...t, contacts };
  });
  return { threads: steered, quietlyLetGo, lettingGo };
}

/** When a Help-first item's evidence happened: what a later `done` must be after. */
const evidenceAt = (item: HelpItem) =>
  'lastTouchAt' in item.evidence ? item.evidence.lastTouchAt : item.evidence.at;

/** Help first without the items the user marked done, dropped or snoozed. */
export function steerHelp(
  items: HelpItem[],
  steers: ReadonlyMap<string, Steer>,
  now: Date,
  timeZone: string,
): HelpItem[] {
  const today = localDate(now, timeZone);
  return items.filter((item) => {
    const s = asOf(steers.get(steerKeys.help(item.kind, item.address)), now);
    if (!s) return true;
    const handled = latest(s.doneAt, s.droppedAt);
    if (handled && handled >= evidenceAt(item)) return false;
    return !(s.snoozedUntil && s.snoozedUntil > today);
  });
}

/** Keep-in-touch cadences the user set, by contact address. */
export function cadencesOf(steers: Iterable<Steer>): Record<string, number> {
  const cadences: Record<string, number> = {};
  for (const s of steers) {
    if (s.key.startsWith('contact ') && s.cadenceDays) {
      cadences[s.key.slice('contact '.length)] = s.cadenceDays;
    }
  }
  return cadences;
}

/** The first local date whose digests count toward the three-digest let-go. */
export function digestHistoryFrom(now: Date, timeZone: string): string {
  return (
    DateTime.fromJSDate(now, { zone: timeZone }).minus({ days: digestHistoryDays }).toISODate() ??
    ''
  );
}
