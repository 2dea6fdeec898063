import { describe, expect, it } from 'vitest';
import type { ReplyWindow } from '#domain/model.ts';
import { defaultReplyWindow, dueDate } from '#domain/reply-window.ts';

const days = (n: number): ReplyWindow => ({ kind: 'days', days: n });
const monday: ReplyWindow = { kind: 'weekday', weekday: 1, label: 'monday' };
const friday: ReplyWindow = { kind: 'weekday', weekday: 5, label: 'friday' };
const saturday: ReplyWindow = { kind: 'weekday', weekday: 6, label: 'saturday' };

// 2026-03-02 is a Monday.
describe('dueDate', () => {
  it.each([
    ['Monday', '2026-03-02T09:00:00Z', '2026-03-05'],
    ['Wednesday', '2026-03-04T09:00:00Z', '2026-03-09'],
    ['Thursday', '2026-03-05T09:00:00Z', '2026-03-10'],
    ['Friday', '2026-03-06T09:00:00Z', '2026-03-11'],
    ['Saturday', '2026-03-07T09:00:00Z', '2026-03-11'],
    ['Sunday', '2026-03-08T09:00:00Z', '2026-03-11'],
  ])('waits 3 business days by default, sent on a %s', (_, sentAt, due) => {
    // Act
    const dueOn = dueDate(new Date(sentAt), 'UTC', defaultReplyWindow);

    // Assess
    expect(dueOn).toBe(due);
  });

  it.each([
    [
      '1bd from a Friday',
      '2026-03-06T09:00:00Z',
      { kind: 'business-days', days: 1 } as const,
      '2026-03-09',
    ],
    [
      '5bd from a Monday',
      '2026-03-02T09:00:00Z',
      { kind: 'business-days', days: 5 } as const,
      '2026-03-09',
    ],
  ])('counts business days: %s', (_, sentAt, window, due) => {
    // Act
    const dueOn = dueDate(new Date(sentAt), 'UTC', window);

    // Assess
    expect(dueOn).toBe(due);
  });

  it.each([
    ['3d from a Monday', '2026-03-02T09:00:00Z', days(3), '2026-03-05'],
    [
      '3d from a Wednesday lands on Saturday: Monday',
      '2026-03-04T09:00:00Z',
      days(3),
      '2026-03-09',
    ],
    ['2d from a Friday lands on Sunday: Monday', '2026-03-06T09:00:00Z', days(2), '2026-03-09'],
    ['tomorrow from a Tuesday', '2026-03-03T09:00:00Z', days(1), '2026-03-04'],
    ['tomorrow from a Friday: Monday', '2026-03-06T09:00:00Z', days(1), '2026-03-09'],
    ['1w from a Monday', '2026-03-02T09:00:00Z', days(7), '2026-03-09'],
    [
      '2w from a Saturday lands on Saturday: Monday',
      '2026-03-07T09:00:00Z',
      days(14),
      '2026-03-23',
    ],
  ])('counts calendar days: %s', (_, sentAt, window, due) => {
    // Act
    const dueOn = dueDate(new Date(sentAt), 'UTC', window);

    // Assess
    expect(dueOn).toBe(due);
  });

  it.each([
    ['Monday: the Monday after', '2026-03-02T09:00:00Z', '2026-03-09'],
    ['Tuesday', '2026-03-03T09:00:00Z', '2026-03-09'],
    ['Friday', '2026-03-06T09:00:00Z', '2026-03-09'],
    ['Saturday', '2026-03-07T09:00:00Z', '2026-03-09'],
    ['Sunday', '2026-03-08T09:00:00Z', '2026-03-09'],
  ])(
    'makes monday the next Monday strictly after the sending day, sent on a %s',
    (_, sentAt, due) => {
      // Act
      const dueOn = dueDate(new Date(sentAt), 'UTC', monday);

      // Assess
      expect(dueOn).toBe(due);
    },
  );

  it('makes friday, sent on a Friday, the Friday after', () => {
    // Act
    const dueOn = dueDate(new Date('2026-03-06T09:00:00Z'), 'UTC', friday);

    // Assess
    expect(dueOn).toBe('2026-03-13');
  });

  describe("the user's zone decides the sending day", () => {
    // 2026-03-06T23:30Z is Saturday 00:30 in Berlin and Friday 18:30 in New York.
    const lateFridayUtc = new Date('2026-03-06T23:30:00Z');

    it.each([
      ['Europe/Berlin', days(3), '2026-03-10'],
      ['America/New_York', days(3), '2026-03-09'],
      ['Europe/Berlin', saturday, '2026-03-14'],
      ['America/New_York', saturday, '2026-03-07'],
    ])('in %s, window %j', (zone, window, due) => {
      // Act
      const dueOn = dueDate(lateFridayUtc, zone, window);

      // Assess
      expect(dueOn).toBe(due);
    });

    it.each([
      ['Europe/Berlin', '2026-03-11'],
      ['America/New_York', '2026-03-10'],
    ])(
      'counts the default window from Friday in Berlin but Thursday in New York (%s)',
      (zone, due) => {
        // Prepare: Friday 00:30 in Berlin, Thursday 18:30 in New York
        const sentAt = new Date('2026-03-05T23:30:00Z');

        // Act
        const dueOn = dueDate(sentAt, zone, defaultReplyWindow);

        // Assess
        expect(dueOn).toBe(due);
      },
    );

    it.each([
      [
        'Pacific/Chatham (+13:45), already Saturday',
        'Pacific/Chatham',
        '2026-03-06T10:30:00Z',
        '2026-03-10',
      ],
      [
        'Pacific/Chatham (+13:45), still Friday',
        'Pacific/Chatham',
        '2026-03-06T10:00:00Z',
        '2026-03-09',
      ],
      ['UTC, still Friday', 'UTC', '2026-03-06T10:30:00Z', '2026-03-09'],
      [
        'Asia/Kolkata (+05:30), already Saturday',
        'Asia/Kolkata',
        '2026-03-06T18:45:00Z',
        '2026-03-10',
      ],
      ['Asia/Kolkata (+05:30), still Friday', 'Asia/Kolkata', '2026-03-06T18:15:00Z', '2026-03-09'],
    ])('with offsets off the hour: %s', (_, zone, sentAt, due) => {
      // Act
      const dueOn = dueDate(new Date(sentAt), zone, days(3));

      // Assess
      expect(dueOn).toBe(due);
    });
  });

  describe('across a daylight-saving change (Europe/Berlin, clocks forward on Sunday 2026-03-29)', () => {
    it.each([
      [
        '3 business days from Friday 23:30 CET',
        '2026-03-27T22:30:00Z',
        defaultReplyWindow,
        '2026-04-01',
      ],
      ['1w from Friday 23:30 CET', '2026-03-27T22:30:00Z', days(7), '2026-04-03'],
      ['tomorrow from Sunday 00:30 CET', '2026-03-28T23:30:00Z', days(1), '2026-03-30'],
      [
        'tomorrow from Sunday 03:30 CEST, just after the change',
        '2026-03-29T01:30:00Z',
        days(1),
        '2026-03-30',
      ],
      [
        'monday from Monday 00:30 CEST (still Sunday in UTC)',
        '2026-03-29T22:30:00Z',
        monday,
        '2026-04-06',
      ],
    ])('%s', (_, sentAt, window, due) => {
      // Act
      const dueOn = dueDate(new Date(sentAt), 'Europe/Berlin', window);

      // Assess
      expect(dueOn).toBe(due);
    });

    it('and back on Sunday 2026-10-25: tomorrow from Saturday 00:30 CEST is Monday', () => {
      // Act
      const dueOn = dueDate(new Date('2026-10-23T22:30:00Z'), 'Europe/Berlin', days(1));

      // Assess
      expect(dueOn).toBe('2026-10-26');
    });
  });
});
