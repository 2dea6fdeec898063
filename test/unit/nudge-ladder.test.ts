import { describe, expect, it } from 'vitest';
import { applyEvent, type PairEvent, pairStatus, startPair } from '#domain/nudge-ladder.ts';
import { defaultReplyWindow } from '#domain/reply-window.ts';

const zone = 'Europe/Berlin';
const at = (iso: string) => new Date(iso);
const wrote = (iso: string, awaited = true): PairEvent => ({
  kind: 'wrote',
  at: at(iso),
  awaited,
  window: awaited ? defaultReplyWindow : null,
  messageKey: `m-${iso}`,
});
const replied = (iso: string): PairEvent => ({
  kind: 'replied',
  at: at(iso),
  how: 'test',
  messageKey: `r-${iso}`,
});
const away = (iso: string, returnsOn: string | null): PairEvent => ({
  kind: 'away',
  at: at(iso),
  returnsOn,
  messageKey: `a-${iso}`,
});

function ladder(events: PairEvent[]) {
  const pair = startPair();
  for (const e of events) applyEvent(pair, e, zone);
  return { pair, at: (iso: string) => pairStatus(pair, at(iso), zone) };
}

// Monday 2 March 2026, 10:00 in Berlin.
const monday = '2026-03-02T09:00:00Z';

describe('the nudge ladder', () => {
  it('waits through the window, then is due: assume the best', () => {
    const { at } = ladder([wrote(monday)]);

    expect(at('2026-03-04T20:00:00Z')).toMatchObject({ state: 'waiting', dueOn: '2026-03-05' });
    expect(at('2026-03-04T23:30:00Z')).toMatchObject({
      state: 'due',
      nudges: 0,
      reason: 'Assume the best: maybe they missed it. Reach out again.',
    });
  });

  it('restarts the window, without a nudge, when the user writes again before it is over', () => {
    const { at } = ladder([wrote(monday), wrote('2026-03-04T09:00:00Z', false)]);

    expect(at('2026-03-06T09:00:00Z')).toMatchObject({
      state: 'waiting',
      nudges: 0,
      dueOn: '2026-03-09',
    });
  });

  it('counts writing after the due date as a nudge, opens 5 business days, then one last nudge', () => {
    const { at } = ladder([wrote(monday), wrote('2026-03-06T09:00:00Z')]);

    expect(at('2026-03-12T12:00:00Z')).toMatchObject({
      state: 'waiting',
      nudges: 1,
      dueOn: '2026-03-13',
    });
    expect(at('2026-03-13T07:00:00Z')).toMatchObject({
      state: 'due',
      nudges: 1,
      reason: 'One last friendly nudge.',
    });
  });

  it.each([
    ['once due', [wrote(monday), wrote('2026-03-06T09:00:00Z', false)]],
    [
      'after a nudge',
      [wrote(monday), wrote('2026-03-06T09:00:00Z'), wrote('2026-03-16T09:00:00Z', false)],
    ],
  ])(
    'closes as answered elsewhere when the user writes asking nothing %s ("thanks for the call")',
    (_, events) => {
      const { at, pair } = ladder(events);

      expect(at('2026-03-25T09:00:00Z')).toMatchObject({ state: 'replied', reason: null });
      expect(pair.history.at(-1)?.what).toMatch(/^answered elsewhere/);
    },
  );

  it('lets go once the window after a second unanswered nudge is over', () => {
    const { at } = ladder([
      wrote(monday),
      wrote('2026-03-06T09:00:00Z'),
      wrote('2026-03-16T09:00:00Z'),
    ]);

    expect(at('2026-03-20T12:00:00Z')).toMatchObject({
      state: 'waiting',
      nudges: 2,
      dueOn: '2026-03-23',
    });
    expect(at('2026-03-23T08:00:00Z')).toMatchObject({ state: 'let-go', reason: null });
  });

  it('stays let go when the user writes yet again, until they reply', () => {
    const { at } = ladder([
      wrote(monday),
      wrote('2026-03-06T09:00:00Z'),
      wrote('2026-03-16T09:00:00Z'),
      wrote('2026-04-01T09:00:00Z'),
    ]);
    expect(at('2026-04-20T08:00:00Z')).toMatchObject({ state: 'let-go' });

    const revived = ladder([
      wrote(monday),
      wrote('2026-03-06T09:00:00Z'),
      wrote('2026-03-16T09:00:00Z'),
      replied('2026-04-02T09:00:00Z'),
    ]);
    expect(revived.at('2026-04-20T08:00:00Z')).toMatchObject({ state: 'replied' });
  });

  it.each([
    ['while waiting', [wrote(monday), replied('2026-03-03T09:00:00Z')]],
    ['once due', [wrote(monday), replied('2026-03-09T09:00:00Z')]],
    [
      'after a nudge',
      [wrote(monday), wrote('2026-03-06T09:00:00Z'), replied('2026-03-10T09:00:00Z')],
    ],
  ])('closes on a reply %s', (_, events) => {
    const { at, pair } = ladder(events);

    expect(at('2026-06-01T09:00:00Z').state).toBe('replied');
    expect(pair.history.at(-1)?.what).toBe('replied (test)');
  });

  it('starts a fresh wait when the user asks again after a reply', () => {
    const { at } = ladder([
      wrote(monday),
      replied('2026-03-03T09:00:00Z'),
      wrote('2026-03-10T09:00:00Z'),
    ]);

    expect(at('2026-03-13T12:00:00Z')).toMatchObject({
      state: 'due',
      nudges: 0,
      dueOn: '2026-03-13',
    });
  });

  it('moves the due date to the first business day after an out-of-office return date', () => {
    const { at } = ladder([wrote(monday), away('2026-03-02T09:05:00Z', '2026-03-13')]);

    expect(at('2026-03-13T12:00:00Z')).toMatchObject({ state: 'waiting', dueOn: '2026-03-16' });
    expect(at('2026-03-16T12:00:00Z')).toMatchObject({
      state: 'due',
      reason:
        'Assume the best: maybe they missed it. Reach out again. They were away until 13 March.',
    });
  });

  it('keeps the due date for an out-of-office with no return date', () => {
    const { at } = ladder([wrote(monday), away('2026-03-02T09:05:00Z', null)]);

    expect(at('2026-03-05T12:00:00Z')).toMatchObject({ state: 'due', dueOn: '2026-03-05' });
  });

  it('awaits nothing for a message that asks nothing', () => {
    expect(ladder([wrote(monday, false)]).at('2026-03-20T12:00:00Z').state).toBe('idle');
  });

  it('reads due dates on the user calendar: late Thursday evening in UTC is Friday in Auckland', () => {
    const pair = startPair();
    applyEvent(pair, wrote('2026-03-02T20:00:00Z'), 'Pacific/Auckland');

    expect(pairStatus(pair, at('2026-03-05T12:00:00Z'), 'Pacific/Auckland')).toMatchObject({
      state: 'due',
      dueOn: '2026-03-06',
    });
  });
});
