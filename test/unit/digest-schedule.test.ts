import { describe, expect, it } from 'vitest';
import { dueToday, nextDigest, slotOf } from '#domain/digest-schedule.ts';

const at = (iso: string) => new Date(iso);
const weekdays = (timeZone: string, digestAt = '08:00') => ({
  timeZone,
  digestAt,
  weekdaysOnly: true,
});

describe('the next digest', () => {
  it.each([
    [
      'Europe/Berlin, before 08:00 on a Monday: that morning',
      weekdays('Europe/Berlin'),
      '2026-03-02T05:00:00Z',
      '2026-03-02T07:00:00.000Z',
    ],
    [
      'Europe/Berlin, after 08:00 on a Monday: Tuesday',
      weekdays('Europe/Berlin'),
      '2026-03-02T07:00:00Z',
      '2026-03-03T07:00:00.000Z',
    ],
    [
      'Europe/Berlin, on a Friday after 08:00: Monday',
      weekdays('Europe/Berlin'),
      '2026-03-06T09:00:00Z',
      '2026-03-09T07:00:00.000Z',
    ],
    [
      'Europe/Berlin across the spring change (29 March)',
      weekdays('Europe/Berlin'),
      '2026-03-27T09:00:00Z',
      '2026-03-30T06:00:00.000Z',
    ],
    [
      'Europe/Berlin across the autumn change (25 October)',
      weekdays('Europe/Berlin'),
      '2026-10-23T09:00:00Z',
      '2026-10-26T07:00:00.000Z',
    ],
    [
      'America/New_York across the spring change (8 March)',
      weekdays('America/New_York'),
      '2026-03-06T14:00:00Z',
      '2026-03-09T12:00:00.000Z',
    ],
    [
      'America/New_York across the autumn change (1 November)',
      weekdays('America/New_York'),
      '2026-10-30T14:00:00Z',
      '2026-11-02T13:00:00.000Z',
    ],
    [
      'Asia/Kolkata (+05:30)',
      weekdays('Asia/Kolkata'),
      '2026-03-02T03:00:00Z',
      '2026-03-03T02:30:00.000Z',
    ],
    [
      'Pacific/Chatham (+13:45 in summer): the local Monday is Sunday in UTC',
      weekdays('Pacific/Chatham'),
      '2026-03-01T10:00:00Z',
      '2026-03-01T18:15:00.000Z',
    ],
    [
      'every day, on a Saturday',
      { timeZone: 'Europe/Berlin', digestAt: '07:30', weekdaysOnly: false },
      '2026-03-07T05:00:00Z',
      '2026-03-07T06:30:00.000Z',
    ],
  ])('%s', (_, schedule, after, expected) => {
    expect(nextDigest(schedule, at(after)).at.toISOString()).toBe(expected);
  });

  it('names the local day and the 15-minute UTC slot', () => {
    expect(nextDigest(weekdays('Pacific/Chatham'), at('2026-03-01T10:00:00Z'))).toMatchObject({
      localDate: '2026-03-02',
      slot: '2026-03-01T18:15Z',
    });
  });

  it('floors an instant to its slot', () => {
    expect(slotOf(at('2026-03-02T07:14:59Z'))).toBe('2026-03-02T07:00Z');
    expect(slotOf(at('2026-03-02T07:15:00Z'))).toBe('2026-03-02T07:15Z');
  });

  it('follows a user who changes zone: the next digest is at their hour in the new zone', () => {
    const after = at('2026-03-02T08:00:00Z');

    expect(nextDigest(weekdays('Europe/Berlin'), after).at.toISOString()).toBe(
      '2026-03-03T07:00:00.000Z',
    );
    expect(nextDigest(weekdays('America/New_York'), after).at.toISOString()).toBe(
      '2026-03-02T13:00:00.000Z',
    );
  });
});

describe("whether today's digest is due (a run after an outage sends it late, or waits)", () => {
  it.each([
    [
      'Berlin 08:00, Tuesday 07:59 local: not yet',
      weekdays('Europe/Berlin'),
      '2026-03-03T06:59:00Z',
      false,
    ],
    [
      'Berlin 08:00, Tuesday 08:00 local: due',
      weekdays('Europe/Berlin'),
      '2026-03-03T07:00:00Z',
      true,
    ],
    [
      'Berlin 08:00, Tuesday 14:00 local: due, late',
      weekdays('Europe/Berlin'),
      '2026-03-03T13:00:00Z',
      true,
    ],
    [
      'Berlin 08:00, Saturday 14:00 local: no digest day',
      weekdays('Europe/Berlin'),
      '2026-03-07T13:00:00Z',
      false,
    ],
    [
      'Berlin 08:10, run at 08:00 in its slot: due',
      weekdays('Europe/Berlin', '08:10'),
      '2026-03-03T07:00:00Z',
      true,
    ],
    [
      'Tokyo 08:00, 23:30 UTC Monday is Tuesday 08:30 there: due',
      weekdays('Asia/Tokyo'),
      '2026-03-02T23:30:00Z',
      true,
    ],
    [
      'Los Angeles 08:00, 15:00 UTC is 07:00 there: not yet',
      weekdays('America/Los_Angeles'),
      '2026-03-03T15:00:00Z',
      false,
    ],
  ])('%s', (_case, schedule, now, due) => {
    expect(dueToday(schedule, at(now))).toBe(due);
  });
});
