import type { DigestSource } from '#domain/digest.ts';
import type { HelpItem } from '#domain/help-first.ts';
import type { ThreadContactView, ThreadView } from '#domain/threads.ts';

let sequence = 0;

/** A Help-first promise to Dana, kept by its phrase, made on 1 March 2026 (4 days before 5 March). */
export function aHelpItem(overrides: Partial<HelpItem> = {}): HelpItem {
  const n = ++sequence;
  return {
    kind: 'promise',
    address: `dana${n}@d.example`,
    name: 'Dana Reyes',
    reason: `You told Dana "I'll introduce you to the Acme team" 4 days ago.`,
    evidence: {
      at: '2026-03-01T09:00:00.000Z',
      messageKey: `message${n}`,
      subject: 'Intro to Acme',
      signal: { by: 'phrase', phrase: "I'll introduce you to the Acme team" },
    },
    ...overrides,
  };
}

/** A two-way relationship going quiet: no subject, the reason says how long. */
export function aGoingQuietItem(overrides: Partial<HelpItem> = {}): HelpItem {
  const n = ++sequence;
  return {
    kind: 'going-quiet',
    address: `sam${n}@s.example`,
    name: 'Sam Lee',
    reason: "You and Sam haven't written in 4 months (you usually do every 3 months).",
    evidence: {
      at: '2026-03-07T07:00:00.000Z',
      lastTouchAt: '2025-11-02T10:00:00.000Z',
      cadenceDays: 90,
    },
    ...overrides,
  };
}

/** Someone whose reply is due: the user wrote on 2 March 2026, no reply since. */
export function aDueContact(overrides: Partial<ThreadContactView> = {}): ThreadContactView {
  const n = ++sequence;
  return {
    address: `alice${n}@a.example`,
    name: 'Alice Smith',
    state: 'due',
    nudges: 0,
    since: '2026-03-02T09:00:00.000Z',
    dueOn: '2026-03-05',
    awayUntil: null,
    reason: 'Assume the best: maybe they missed it. Reach out again.',
    history: [],
    ...overrides,
  };
}

/** Someone the ladder let go of, after two unanswered nudges. */
export const aLetGoContact = (overrides: Partial<ThreadContactView> = {}) =>
  aDueContact({ name: 'Bob Jones', state: 'let-go', nudges: 2, reason: null, ...overrides });

/** A thread with the given contacts (by default one whose reply is due). */
export function aThread(
  overrides: Partial<ThreadView> & { contacts?: ThreadContactView[] } = {},
): ThreadView {
  const n = ++sequence;
  return {
    threadKey: `thread${n}`,
    subject: 'Quarterly numbers',
    firstAt: '2026-03-02T09:00:00.000Z',
    lastAt: '2026-03-02T09:00:00.000Z',
    messages: 1,
    contacts: [aDueContact()],
    ...overrides,
  };
}

/** What `makeRelationships` hands the digest: Help first as ranked, and the threads. */
export function someRelationships(
  over: { help?: HelpItem[]; more?: number; threads?: ThreadView[] } = {},
): DigestSource {
  return {
    helpFirst: { items: over.help ?? [], more: over.more ?? 0 },
    threads: over.threads ?? [],
  };
}
