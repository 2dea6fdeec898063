import { describe, expect, it } from 'vitest';
import { dateOffsetMinutes, guessTimeZone } from '#domain/time-zone-guess.ts';

const winter = new Date('2026-01-15T10:00:00Z');
const summer = new Date('2026-07-15T10:00:00Z');

describe('dateOffsetMinutes', () => {
  it.each<[string | undefined, number | null]>([
    ['Fri, 27 Nov 2026 19:00:00 +0100', 60],
    ['Fri, 27 Nov 2026 19:00:00 -0500 (EST)', -300],
    ['Fri, 27 Nov 2026 19:00:00 +0530', 330],
    ['27 Nov 2026 19:00 +0000', 0],
    ['Fri, 27 Nov 2026 19:00:00 GMT', 0],
    ['Fri, 27 Nov 2026 19:00:00 PDT', -420],
    // RFC 5322: -0000 says the zone is not known.
    ['Fri, 27 Nov 2026 19:00:00 -0000', null],
    ['Fri, 27 Nov 2026 19:00:00 +2500', null],
    ['Fri, 27 Nov 2026 19:00:00 +0160', null],
    ['Fri, 27 Nov 2026 19:00:00', null],
    ['', null],
    [undefined, null],
  ])('%s → %s', (raw, expected) => {
    expect(dateOffsetMinutes(raw)).toBe(expected);
  });
});

describe('guessTimeZone', () => {
  it.each<[number, Date, string]>([
    [60, winter, 'Europe/Berlin'],
    // +01:00 in July is British summer time; +02:00 is central European summer time.
    [60, summer, 'Europe/London'],
    [120, summer, 'Europe/Berlin'],
    [0, winter, 'Europe/London'],
    [0, summer, 'UTC'],
    [330, winter, 'Asia/Kolkata'],
    [-300, winter, 'America/New_York'],
    [-240, summer, 'America/New_York'],
    [-420, summer, 'America/Los_Angeles'],
    [-420, winter, 'America/Denver'],
    [660, winter, 'Australia/Sydney'],
    [600, winter, 'Australia/Brisbane'],
    [540, winter, 'Asia/Tokyo'],
    [-180, winter, 'America/Sao_Paulo'],
  ])('%i minutes at %s → %s', (offset, at, zone) => {
    expect(guessTimeZone(offset, at)).toEqual({ zone, from: 'offset' });
  });

  it('an offset no listed zone has is a fixed-offset IANA zone, its sign inverted as POSIX has it', () => {
    // Prepare: +13:00 in July is in no listed zone (Auckland is +12 then).
    // Act
    const guess = guessTimeZone(13 * 60, summer);
    // Assess
    expect(guess).toEqual({ zone: 'Etc/GMT-13', from: 'offset' });
  });

  it('nothing to go on is UTC, and says so', () => {
    expect(guessTimeZone(null, winter)).toEqual({ zone: 'UTC', from: 'nothing' });
  });
});
