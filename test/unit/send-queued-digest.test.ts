import { describe, expect, it } from 'vitest';
import { silentLogger } from '#adapters/logger.ts';
import type { User } from '#domain/model.ts';
import type { SendDigestOutcome } from '#use-cases/send-digest.ts';
import { makeSendQueuedDigest } from '#use-cases/send-queued-digest.ts';
import { InMemoryUserStore } from '../builders/in-memory-user-store.ts';

const aUser = (over: Partial<User> = {}): User => ({
  userId: 'user-1',
  email: 'me@example.com',
  aliases: [],
  timeZone: 'Europe/Berlin',
  digestAt: '08:00',
  neverLog: [],
  createdAt: '2026-01-05T09:00:00.000Z',
  ...over,
});
const slot = '2026-03-05T07:00Z';

/** The use case over these users at `now`, recording whom it asked send-digest to send to. */
function aWorker(users: User[], now: string) {
  const sentTo: string[] = [];
  const sendQueuedDigest = makeSendQueuedDigest({
    store: new InMemoryUserStore(users),
    sendDigest: async (user): Promise<SendDigestOutcome> => {
      sentTo.push(user.userId);
      return { status: 'sent', localDate: '2026-03-05', messageId: 'm', items: 1 };
    },
    clock: () => new Date(now),
    logger: silentLogger,
  });
  return { sendQueuedDigest, sentTo };
}

describe('sending a queued digest', () => {
  it('sends an active user’s digest on the day it is due, through send-digest', async () => {
    // Thursday 08:05 in Berlin.
    const { sendQueuedDigest, sentTo } = aWorker([aUser()], '2026-03-05T07:05:00Z');

    const outcome = await sendQueuedDigest({ userId: 'user-1', slot });

    expect(outcome.status).toBe('sent');
    expect(sentTo).toEqual(['user-1']);
  });

  it('sends nothing to a user who unsubscribed or paused since it was queued', async () => {
    const unsubscribed = aUser({
      pausedAt: '2026-03-05T07:01:00Z',
      stoppedBecause: 'unsubscribed',
    });
    const { sendQueuedDigest, sentTo } = aWorker([unsubscribed], '2026-03-05T07:05:00Z');

    expect(await sendQueuedDigest({ userId: 'user-1', slot })).toEqual({
      status: 'not-active',
      state: 'unsubscribed',
    });
    expect(sentTo).toEqual([]);
  });

  it('sends nothing when the message waited past the user’s day (a dead-letter redrive the next morning)', async () => {
    // Friday 07:00 in Berlin: before Friday's hour, Thursday is over.
    const { sendQueuedDigest, sentTo } = aWorker([aUser()], '2026-03-06T06:00:00Z');

    expect(await sendQueuedDigest({ userId: 'user-1', slot })).toEqual({ status: 'not-due-today' });
    expect(sentTo).toEqual([]);
  });

  it('sends nothing for a user deleted since', async () => {
    const { sendQueuedDigest, sentTo } = aWorker([], '2026-03-05T07:05:00Z');

    expect(await sendQueuedDigest({ userId: 'user-1', slot })).toEqual({ status: 'no-such-user' });
    expect(sentTo).toEqual([]);
  });
});
