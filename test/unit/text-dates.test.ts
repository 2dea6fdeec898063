import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type DateLocale,
  findDate,
  findDateInLocales,
  gmailAttributionDate,
  readDate,
} from '#domain/text-dates.ts';

// These tests must pass whatever the host's zone: run them with TZ=UTC and TZ=Pacific/Chatham.

describe('readDate', () => {
  it.each<[string, string, string, DateLocale[], string]>([
    ['Gmail English', 'Tue, 3 Mar 2026 at 10:15', 'Europe/Berlin', ['en'], '2026-03-03T09:15:00Z'],
    ['Apple Mail', 'Mar 3, 2026, at 10:15 AM', 'America/New_York', ['en'], '2026-03-03T15:15:00Z'],
    ['Outlook', 'Tuesday, March 3, 2026 10:15 PM', 'UTC', ['en'], '2026-03-03T22:15:00Z'],
    ['German numeric', '03.03.2026 um 10:15', 'Europe/Berlin', ['de'], '2026-03-03T09:15:00Z'],
    ['German short numeric', '3.3.26 10:15', 'Europe/Berlin', ['de'], '2026-03-03T09:15:00Z'],
    ['numeric in any locale', '3.3.26 10:15', 'Europe/Berlin', ['en'], '2026-03-03T09:15:00Z'],
    [
      'German words',
      'Donnerstag, 23. März 2023 17:11',
      'Europe/Berlin',
      ['de'],
      '2023-03-23T16:11:00Z',
    ],
    [
      'German Gmail',
      'Di., 3. März 2026 um 10:15 Uhr',
      'Europe/Berlin',
      ['de'],
      '2026-03-03T09:15:00Z',
    ],
    ['French', 'mar. 3 mars 2026 à 10:15', 'Europe/Paris', ['fr'], '2026-03-03T09:15:00Z'],
    [
      'French 10h30',
      'Mercredi 30 novembre 2016 10h30',
      'Europe/Paris',
      ['fr'],
      '2016-11-30T09:30:00Z',
    ],
    [
      'Spanish',
      'martes, 3 de marzo de 2026 10:15',
      'Europe/Madrid',
      ['es'],
      '2026-03-03T09:15:00Z',
    ],
    [
      'a written offset wins',
      'Wed, 14 Nov 2018 08:14:43 -0200',
      'Asia/Tokyo',
      ['en'],
      '2018-11-14T10:14:43Z',
    ],
    [
      'a zone abbreviation',
      'December 15, 2024, at 3:45 PM EST',
      'Europe/Berlin',
      ['en'],
      '2024-12-15T20:45:00Z',
    ],
    [
      'GMT offset after a numeric date',
      '04.07.2024  17.45  (GMT+01:00)',
      'UTC',
      ['de'],
      '2024-07-04T16:45:00Z',
    ],
    [
      'day first when the day is over 12',
      '23/06/24  10:46',
      'Europe/Paris',
      ['fr'],
      '2024-06-23T08:46:00Z',
    ],
    [
      'no time: the start of the day',
      'Tue, 3 Mar 2026',
      'Europe/Berlin',
      ['en'],
      '2026-03-02T23:00:00Z',
    ],
    [
      'the far-east zone itself',
      '3 Mar 2026 10:15',
      'Pacific/Chatham',
      ['en'],
      '2026-03-02T20:30:00Z',
    ],
  ])('%s: %s in %s', (_, text, timeZone, locales, expected) => {
    // Act
    const date = readDate(text, timeZone, undefined, locales);

    // Assess
    expect(date?.toISOString()).toBe(new Date(expected).toISOString());
  });

  it.each([
    ['the Sunday DST starts in New York', 'Sun, 8 Mar 2026 at 10:15 AM', '2026-03-08T14:15:00Z'],
    ['the day before', 'Sat, 7 Mar 2026 at 10:15 AM', '2026-03-07T15:15:00Z'],
    ['the Sunday DST ends', 'Sun, 1 Nov 2026 at 10:15 AM', '2026-11-01T15:15:00Z'],
  ])('reads a DST week in the zone: %s', (_, text, expected) => {
    // Act
    const date = readDate(text, 'America/New_York');

    // Assess
    expect(date?.toISOString()).toBe(new Date(expected).toISOString());
  });

  it('moves a wall-clock time that the DST change skips forward by the gap', () => {
    // Act
    const date = readDate('So., 29. März 2026 um 02:30', 'Europe/Berlin', undefined, ['de']);

    // Assess: 03:30 CEST
    expect(date?.toISOString()).toBe('2026-03-29T01:30:00.000Z');
  });

  it.each([
    ['a date without a year', 'Wed, Dec 9'],
    ['a relative date', 'tomorrow at 10:00'],
    ['a weekday alone', 'on Friday'],
    ['a version number', 'version 2.10.3 is out'],
    ['an IP address', 'ping 192.168.1.1 now'],
    ['a time alone', 'call me at 10:15'],
    ['an impossible day', '31.02.2026'],
  ])('reads nothing without a reference from %s', (_, text) => {
    // Act
    const date = readDate(text, 'Europe/Berlin');

    // Assess
    expect(date).toBeNull();
  });

  it.each([
    ['a December date read in March: last December', 'Dec 9', '2026-03-10T12:00:00Z', '2025-12-09'],
    [
      'a January date read in December: next January',
      'Jan 3',
      '2026-12-20T12:00:00Z',
      '2027-01-03',
    ],
    ['a German day.month read in November', 'bis 3.12.', '2026-11-25T12:00:00Z', '2026-12-03'],
  ])('completes the year closest to the reference: %s', (_, text, reference, day) => {
    // Act
    const date = readDate(text, 'UTC', new Date(reference));

    // Assess
    expect(date?.toISOString().slice(0, 10)).toBe(day);
  });

  it('counts relative dates from the reference in the given zone, not the host zone', () => {
    // Prepare: 12:00 UTC on 10 March is 01:45 on 11 March in Chatham.
    const reference = new Date('2026-03-10T12:00:00Z');

    // Act
    const date = readDate('yesterday at 10:00', 'Pacific/Chatham', reference);

    // Assess: 10:00 on 10 March in Chatham (+13:45)
    expect(date?.toISOString()).toBe('2026-03-09T20:15:00.000Z');
  });
});

describe('findDate', () => {
  const reference = new Date('2026-11-25T09:00:00Z');

  it('reads a weekday alone when partial dates are asked for', () => {
    // Act
    const found = findDate('back Friday', {
      locales: ['en'],
      reference,
      timeZone: 'UTC',
      partial: true,
    });

    // Assess
    expect(found).toMatchObject({ weekday: 5, day: null, month: null, text: 'Friday' });
  });

  it('reads a day of the month alone ("the 3rd") when partial dates are asked for', () => {
    // Act
    const found = findDate('back on the 3rd', {
      locales: ['en'],
      reference,
      timeZone: 'UTC',
      partial: true,
    });

    // Assess
    expect(found).toMatchObject({ day: 3, month: null, text: '3rd' });
  });

  it('prefers "the 3rd of December" as a whole', () => {
    // Act
    const found = findDate('back on the 3rd of December', {
      locales: ['en'],
      reference,
      timeZone: 'UTC',
      partial: true,
    });

    // Assess
    expect(found).toMatchObject({ day: 3, month: 12 });
  });

  it('reads the end of a range', () => {
    // Act
    const found = findDate('1 to 5 December', { locales: ['en'], reference, timeZone: 'UTC' });

    // Assess
    expect(found?.end).toMatchObject({ day: 5, month: 12 });
  });

  it('reads a weekday written just before a date with the date', () => {
    // Act
    const found = findDate('Di., 3. März 2026', {
      locales: ['de'],
      timeZone: 'UTC',
      partial: true,
    });

    // Assess
    expect(found).toMatchObject({ day: 3, month: 3, year: 2026, yearWritten: true });
  });

  it('reads "12/3" month first in English and day first in German', () => {
    // Act
    const english = findDate('12/3', { locales: ['en'], reference, timeZone: 'UTC' });
    const german = findDate('12/3', { locales: ['de'], reference, timeZone: 'UTC' });

    // Assess
    expect([english?.month, english?.day]).toEqual([12, 3]);
    expect([german?.month, german?.day]).toEqual([3, 12]);
  });

  it('reads the date of an English Gmail attribution as chrono does, without it', () => {
    // Prepare
    const weekdays = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
    const months = [
      'Jan',
      'Feb',
      'Mar',
      'Apr',
      'May',
      'Jun',
      'Jul',
      'Aug',
      'Sep',
      'Oct',
      'Nov',
      'Dec',
    ];
    const senders = [
      'Alice <alice@x.example>',
      'Alice Smith <a@b.c>',
      'Sgt Pepper <s@p.c>',
      'Est <a@b.c>',
      'PM Smith',
      'Jan Smith <j@s.t>',
      'Tomorrow <t@x.y>',
      'Midnight',
      'alice@b.c',
      'Zoë <z@x.y>',
      'Noon',
      'Maria-José <m@x.y>',
    ];
    const attribution = fc
      .record({
        weekday: fc.constantFrom(...weekdays),
        day: fc.oneof(fc.integer({ min: 0, max: 32 }).map(String), fc.constantFrom('01', '09')),
        month: fc.constantFrom(...months),
        year: fc.integer({ min: 1000, max: 9999 }),
        hour: fc.oneof(fc.integer({ min: 0, max: 25 }).map(String), fc.constantFrom('00', '07')),
        minute: fc.integer({ min: 0, max: 60 }).map((m) => String(m).padStart(2, '0')),
        sender: fc.constantFrom(...senders),
      })
      .map(
        (a) => `${a.weekday}, ${a.day} ${a.month} ${a.year} at ${a.hour}:${a.minute}, ${a.sender}`,
      );
    const reference = fc.option(
      fc.date({ min: new Date(0), max: new Date(4e12), noInvalidDate: true }),
      {
        nil: undefined,
      },
    );

    fc.assert(
      fc.property(attribution, reference, (text, at) => {
        const options = { timeZone: 'Europe/London', ...(at ? { reference: at } : {}) };
        // Act
        const read = findDate(text, { ...options, locales: ['en'] });
        // Assess
        expect(read).toEqual(findDateInLocales(text, options, ['en']));
      }),
      { numRuns: 3000 },
    );
    expect(
      gmailAttributionDate('Fri, 27 Feb 2026 at 16:02, Alice <alice@x.example>'),
    ).toMatchObject({
      text: 'Fri, 27 Feb 2026 at 16:02',
      day: 27,
      month: 2,
      weekday: 5,
    });
  });
});
