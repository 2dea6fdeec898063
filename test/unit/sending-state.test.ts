import { describe, expect, it } from 'vitest';
import { nextDigestFor, sendingState, sendingStateLabel } from '#domain/sending-state.ts';
import { aUser } from '../builders/user.ts';

const now = new Date('2026-03-04T12:00:00Z');

describe('the sending state of a user', () => {
  it('is active with nothing stopped or paused, and a pause that has ended is active again', () => {
    expect(sendingState(aUser(), now)).toEqual({ state: 'active' });
    expect(sendingState(aUser({ pausedUntil: '2026-03-04' }), now)).toEqual({ state: 'active' });
  });

  it('is paused until the local date a pause ends, read in the user zone', () => {
    // 12:00 UTC is already 5 March in Auckland, when a pause until 5 March is over.
    expect(sendingState(aUser({ pausedUntil: '2026-03-05' }), now)).toEqual({
      state: 'paused',
      until: '2026-03-05',
    });
    expect(
      sendingState(aUser({ pausedUntil: '2026-03-05', timeZone: 'Pacific/Auckland' }), now),
    ).toEqual({ state: 'active' });
  });

  it('says why digests stopped: unsubscribed, a complaint, a bounce', () => {
    const stopped = (stoppedBecause?: 'complaint' | 'hard-bounce' | 'soft-bounces') =>
      sendingStateLabel(
        sendingState(
          aUser({ pausedAt: '2026-03-01T00:00:00Z', pausedUntil: '2026-04-01', stoppedBecause }),
          now,
        ),
      );
    expect(stopped()).toBe('unsubscribed');
    expect(stopped('complaint')).toBe('unsubscribed (marked a digest as spam)');
    expect(stopped('hard-bounce')).toBe('bouncing (a digest bounced)');
    expect(stopped('soft-bounces')).toBe('bouncing (3 digests in a row bounced softly)');
  });

  it('schedules nothing while stopped, and a paused user first on the day the pause ends', () => {
    expect(nextDigestFor(aUser({ pausedAt: '2026-03-01T00:00:00Z' }), now)).toBeNull();
    expect(nextDigestFor(aUser({ pausedUntil: '2026-03-10' }), now)?.localDate).toBe('2026-03-10');
    expect(nextDigestFor(aUser(), now)?.localDate).toBe('2026-03-05');
  });
});
