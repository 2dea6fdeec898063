import { describe, expect, it } from 'vitest';
import type { DigestRecord, Steer } from '#domain/ports.ts';
import { digestsBeforeLettingGo, steerHelp, steerKeys, steerThreads } from '#domain/steering.ts';
import type { ThreadView } from '#domain/threads.ts';
import { aDueContact, aHelpItem, aLetGoContact, aThread } from '#test/builders/relationships.ts';

// Tuesday 10 March 2026, 08:00 in Berlin. The due contact was asked on Monday 2 March, due Thursday 5.
const now = new Date('2026-03-10T07:00:00Z');
const zone = 'Europe/Berlin';

const steersOf = (...steers: Steer[]) => new Map(steers.map((s) => [s.key, s]));
const pairKey = (t: ThreadView) => steerKeys.pair(t.threadKey, t.contacts[0]?.address ?? '');
const stateAfter = (
  thread: ThreadView,
  steer: Omit<Steer, 'key'> | null,
  digests: Pick<DigestRecord, 'localDate' | 'items' | 'state'>[] = [],
) =>
  steerThreads(
    [thread],
    steersOf(...(steer ? [{ key: pairKey(thread), ...steer }] : [])),
    digests,
    now,
    zone,
  ).threads[0]?.contacts[0]?.state;

/** A sent digest on a local day that showed the thread's contact. */
const aDigestShowing = (
  thread: ThreadView,
  localDate: string,
  state: DigestRecord['state'] = 'sent',
) => ({
  localDate,
  state,
  items: [
    {
      number: 1,
      section: 'waiting' as const,
      kind: 'due',
      address: thread.contacts[0]?.address ?? '',
      threadKey: thread.threadKey,
      messageKey: null,
    },
  ],
});

describe('steerThreads', () => {
  const bounced = () => aThread({ contacts: [aDueContact({ state: 'bounced' })] });

  it.each<[string, Omit<Steer, 'key'> | null, string]>([
    ['nothing said', null, 'bounced'],
    ['done', { doneAt: '2026-03-06T10:00:00.000Z' }, 'replied'],
    ['dropped', { droppedAt: '2026-03-06T10:00:00.000Z' }, 'let-go'],
    ['snoozed until a later day', { snoozedUntil: '2026-03-12' }, 'waiting'],
  ])('a bounced address, %s', (_, steer, expected) => {
    // Act
    const state = stateAfter(bounced(), steer);

    // Assess
    expect(state).toBe(expected);
  });

  it('never lets a bounce go for being shown, however often', () => {
    // Prepare
    const thread = bounced();
    const days = ['2026-03-05', '2026-03-06', '2026-03-09'];

    // Act
    const state = stateAfter(
      thread,
      null,
      days.map((day) => aDigestShowing(thread, day)),
    );

    // Assess
    expect(state).toBe('bounced');
  });

  it('judges a past moment without what was said after it', () => {
    // Prepare
    const thread = aThread();
    const later = { doneAt: '2026-03-11T10:00:00.000Z', droppedAt: '2026-03-11T10:00:00.000Z' };

    // Act
    const state = stateAfter(thread, later);

    // Assess
    expect(state).toBe('due');
  });

  it.each<[string, Omit<Steer, 'key'> | null, string]>([
    ['nothing said', null, 'due'],
    ['done after the question', { doneAt: '2026-03-06T10:00:00.000Z' }, 'replied'],
    [
      'done before the question (an older thread state)',
      { doneAt: '2026-03-01T10:00:00.000Z' },
      'due',
    ],
    ['dropped', { droppedAt: '2026-03-06T10:00:00.000Z' }, 'let-go'],
    ['snoozed until a later day', { snoozedUntil: '2026-03-12' }, 'waiting'],
    ['snoozed until today: shown again', { snoozedUntil: '2026-03-10' }, 'due'],
  ])('%s', (_, steer, expected) => {
    // Act
    const state = stateAfter(aThread(), steer);

    // Assess
    expect(state).toBe(expected);
  });

  it('says a snoozed pair is due the day its snooze ends, not the day it first fell due', () => {
    // Prepare
    const thread = aThread();

    // Act
    const [contact] =
      steerThreads(
        [thread],
        steersOf({ key: pairKey(thread), snoozedUntil: '2026-03-16' }),
        [],
        now,
        zone,
      ).threads[0]?.contacts ?? [];

    // Assess
    expect(contact).toMatchObject({ state: 'waiting', dueOn: '2026-03-16', reason: null });
  });

  it('brings back a let-go pair the user revived, with a reason', () => {
    // Prepare
    const thread = aThread({ contacts: [aLetGoContact()] });

    // Act
    const [contact] =
      steerThreads(
        [thread],
        steersOf({ key: pairKey(thread), revivedAt: '2026-03-09T10:00:00.000Z' }),
        [],
        now,
        zone,
      ).threads[0]?.contacts ?? [];

    // Assess
    expect(contact?.state).toBe('due');
    expect(contact?.reason).toContain('You asked to keep this one');
  });

  it('names a dropped pair among those no footer announces', () => {
    // Prepare
    const thread = aThread();

    // Act
    const { quietlyLetGo } = steerThreads(
      [thread],
      steersOf({ key: pairKey(thread), droppedAt: '2026-03-06T10:00:00.000Z' }),
      [],
      now,
      zone,
    );

    // Assess
    expect(quietlyLetGo).toEqual([`${thread.threadKey} ${thread.contacts[0]?.address}`]);
  });

  it(`lets a due pair go once ${digestsBeforeLettingGo} digests showed it`, () => {
    // Prepare
    const thread = aThread();
    const shown = ['2026-03-05', '2026-03-06', '2026-03-09'].map((d) => aDigestShowing(thread, d));

    // Act, Assess
    expect(stateAfter(thread, null, shown)).toBe('let-go');
    expect(stateAfter(thread, null, shown.slice(0, 2))).toBe('due');
  });

  it('names the pairs the three digests let go that no record says so yet, and only those', () => {
    // Prepare
    const [recorded, fresh] = [aThread(), aThread()];
    const shown = ['2026-03-05', '2026-03-06', '2026-03-09'].flatMap((d) => [
      aDigestShowing(recorded, d),
      aDigestShowing(fresh, d),
    ]);
    const steers = steersOf({ key: pairKey(recorded), letGoAt: '2026-03-10T06:00:00.000Z' });

    // Act
    const { threads, lettingGo } = steerThreads([recorded, fresh], steers, shown, now, zone);

    // Assess
    expect(threads.map((t) => t.contacts[0]?.state)).toEqual(['let-go', 'let-go']);
    expect(lettingGo).toEqual([
      { threadKey: fresh.threadKey, address: fresh.contacts[0]?.address },
    ]);
  });

  it('keeps a recorded let-go when the digests that showed it are no longer read', () => {
    // Prepare: let go on 10 March; two months later no digest record of that stage is read.
    const thread = aThread();
    const steer = { key: pairKey(thread), letGoAt: '2026-03-10T06:00:00.000Z' };
    const later = new Date('2026-05-20T07:00:00Z');

    // Act
    const after = steerThreads([thread], steersOf(steer), [], later, zone);
    const before = steerThreads([thread], steersOf(steer), [], now, zone);

    // Assess
    expect(after.threads[0]?.contacts[0]?.state).toBe('let-go');
    expect(after.lettingGo).toEqual([]);
    // A past moment before the record is judged without it.
    expect(stateAfter(thread, { letGoAt: '2026-03-11T06:00:00.000Z' })).toBe('due');
    expect(before.threads[0]?.contacts[0]?.state).toBe('let-go');
  });

  it('lets a revive, or a nudge that starts a new due stage, win over a recorded let-go', () => {
    // Prepare
    const letGoAt = '2026-03-06T06:00:00.000Z';
    const nudged = aThread({ contacts: [aDueContact({ nudges: 1, dueOn: '2026-03-09' })] });

    // Act, Assess
    expect(stateAfter(aThread(), { letGoAt, revivedAt: '2026-03-09T10:00:00.000Z' })).toBe('due');
    expect(stateAfter(nudged, { letGoAt })).toBe('due');
    expect(stateAfter(aThread(), { letGoAt })).toBe('let-go');
  });

  it('counts neither failed digests, nor digests before the due date or before a snooze ended', () => {
    // Prepare
    const thread = aThread();
    const digests = [
      aDigestShowing(thread, '2026-03-04'),
      aDigestShowing(thread, '2026-03-05', 'failed'),
      aDigestShowing(thread, '2026-03-06'),
      aDigestShowing(thread, '2026-03-09'),
    ];

    // Act, Assess
    expect(stateAfter(thread, null, digests)).toBe('due');
    expect(
      stateAfter(thread, { snoozedUntil: '2026-03-09' }, [
        ...digests,
        aDigestShowing(thread, '2026-03-05'),
      ]),
    ).toBe('due');
  });
});

describe('steerHelp', () => {
  const item = aHelpItem({ address: 'dana@d.example' });
  const key = steerKeys.help(item.kind, item.address);

  it.each<[string, Omit<Steer, 'key'>, boolean]>([
    ['done after its evidence', { doneAt: '2026-03-09T10:00:00.000Z' }, false],
    ['done before newer evidence', { doneAt: '2020-01-01T00:00:00.000Z' }, true],
    ['dropped', { droppedAt: '2026-03-09T10:00:00.000Z' }, false],
    ['snoozed until later', { snoozedUntil: '2026-03-20' }, false],
    ['snoozed until an earlier day', { snoozedUntil: '2026-03-01' }, true],
  ])('%s', (_, steer, kept) => {
    // Act
    const items = steerHelp([item], steersOf({ key, ...steer }), now, zone);

    // Assess
    expect(items.length === 1).toBe(kept);
  });
});
