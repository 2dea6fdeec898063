import { describe, expect, it } from 'vitest';
import { silentLogger } from '#adapters/logger.ts';
import { makeStopDigestsOnBounce } from '#use-cases/stop-digests-on-bounce.ts';
import { InMemoryUserStore } from '../builders/in-memory-user-store.ts';
import { aUser } from '../builders/user.ts';

const at = new Date('2026-03-02T08:00:00Z');

/** The users in memory, and every pauseDigests call the use case made. */
function aStore() {
  const users = new InMemoryUserStore([aUser({ aliases: ['me@work.example.org'] })]);
  const paused: { userId: string; at: Date; reason: string }[] = [];
  const softBounces = new Map<string, Set<string>>();
  return {
    paused,
    store: {
      findUserByAddress: (address: string) => users.findUserByAddress(address),
      pauseDigests: async (userId: string, when: Date, reason: string) =>
        void paused.push({ userId, at: when, reason }),
      countSoftBounce: async (userId: string, id: string) => {
        const ids = softBounces.get(userId) ?? new Set<string>();
        softBounces.set(userId, ids.add(id));
        return ids.size;
      },
      clearSoftBounces: async (userId: string) => void softBounces.delete(userId),
    },
  };
}

describe('stopping digests on a hard bounce or a complaint', () => {
  it('stops the digests of the user the address belongs to, alias included', async () => {
    // Prepare
    const { store, paused } = aStore();
    const stop = makeStopDigestsOnBounce({ store, clock: () => at, logger: silentLogger });

    // Act
    const outcomes = [
      await stop('me@example.org', 'hard-bounce'),
      await stop('ME@work.example.org', 'complaint'),
    ];

    // Assess
    expect(outcomes).toEqual([
      { status: 'stopped', userId: 'user-me', reason: 'hard-bounce' },
      { status: 'stopped', userId: 'user-me', reason: 'complaint' },
    ]);
    expect(paused).toEqual([
      { userId: 'user-me', at, reason: 'hard-bounce' },
      { userId: 'user-me', at, reason: 'complaint' },
    ]);
  });

  it('counts soft bounces once per notification, stops at the third in a row, a delivery between resets', async () => {
    // Prepare
    const { store, paused } = aStore();
    const stop = makeStopDigestsOnBounce({ store, clock: () => at, logger: silentLogger });

    // Act
    const first = [
      await stop('me@example.org', 'soft-bounce', 'n1'),
      await stop('me@example.org', 'soft-bounce', 'n1'),
      await stop('me@example.org', 'soft-bounce', 'n2'),
      await stop('me@example.org', 'delivery'),
      await stop('me@example.org', 'soft-bounce', 'n3'),
      await stop('me@example.org', 'soft-bounce', 'n4'),
    ];
    const pausedBeforeThird = paused.length;
    const third = await stop('me@example.org', 'soft-bounce', 'n5');

    // Assess
    expect(first.map((o) => ('inARow' in o ? o.inARow : o.status))).toEqual([
      1,
      1,
      2,
      'delivered',
      1,
      2,
    ]);
    expect(pausedBeforeThird).toBe(0);
    expect(third).toEqual({ status: 'stopped', userId: 'user-me', reason: 'soft-bounces' });
  });

  it('changes nothing for an address no user has', async () => {
    const { store, paused } = aStore();
    const stop = makeStopDigestsOnBounce({ store, clock: () => at, logger: silentLogger });

    expect(await stop('someone@else.example', 'complaint')).toEqual({ status: 'unknown-address' });
    expect(paused).toEqual([]);
  });
});
