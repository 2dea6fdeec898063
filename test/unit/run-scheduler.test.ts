import { describe, expect, it } from 'vitest';
import { silentLogger } from '#adapters/logger.ts';
import type { User } from '#domain/model.ts';
import type { DueUser } from '#domain/ports.ts';
import { makeRunScheduler } from '#use-cases/run-scheduler.ts';
import type { SendDigestOutcome } from '#use-cases/send-digest.ts';
import { InMemoryUserStore } from '../builders/in-memory-user-store.ts';

/** Thursday 08:05 in Berlin: the 08:00 slot's run. */
const now = new Date('2026-03-05T07:05:00Z');
const slot = '2026-03-05T07:00Z';
const aUser = (i: number): User => ({
  userId: `user-${i}`,
  email: `u${i}@example.com`,
  aliases: [],
  timeZone: 'Europe/Berlin',
  digestAt: '08:00',
  neverLog: [],
  createdAt: '2026-01-05T09:00:00.000Z',
});

/** The scheduler over `n` users due in the slot, with a digest queue and an inline limit. */
function aScheduler(n: number, inlineLimit: number, queueFails = false) {
  const users = Array.from({ length: n }, (_, i) => aUser(i));
  const userStore = new InMemoryUserStore(users);
  const sent: string[] = [];
  const queued: DueUser[] = [];
  const scheduled: string[] = [];
  let cursor: string | null = '2026-03-05T06:45Z';
  const runScheduler = makeRunScheduler({
    store: {
      getUser: (id) => userStore.getUser(id),
      schedulerCursor: async () => cursor,
      setSchedulerCursor: async (to) => {
        cursor = to;
      },
      usersDueBetween: async () => users.map((u) => ({ userId: u.userId, slot })),
      scheduleDigest: async (userId) => {
        scheduled.push(userId);
      },
    },
    sendDigest: async (user): Promise<SendDigestOutcome> => {
      sent.push(user.userId);
      return { status: 'sent', localDate: '2026-03-05', messageId: 'm', items: 1 };
    },
    fanOut: {
      queue: {
        enqueue: async (due) => {
          if (queueFails) throw new Error('SQS unreachable');
          queued.push(...due);
        },
      },
      inlineLimit,
    },
    clock: () => now,
    logger: silentLogger,
  });
  return { runScheduler, sent, queued, scheduled, cursor: () => cursor };
}

describe('the scheduler’s fan-out', () => {
  it('sends up to the inline limit itself and queues nothing', async () => {
    const { runScheduler, sent, queued, scheduled } = aScheduler(3, 3);

    const run = await runScheduler();

    expect(run.queued).toBe(0);
    expect(sent).toEqual(['user-0', 'user-1', 'user-2']);
    expect(queued).toEqual([]);
    expect(scheduled).toEqual(['user-0', 'user-1', 'user-2']);
  });

  it('queues every due user with their slot once there are more than it sends, sending none itself, and schedules each', async () => {
    const { runScheduler, sent, queued, scheduled, cursor } = aScheduler(4, 3);

    const run = await runScheduler();

    expect(run).toMatchObject({ queued: 4, outcomes: [] });
    expect(sent).toEqual([]);
    expect(queued).toEqual([0, 1, 2, 3].map((i) => ({ userId: `user-${i}`, slot })));
    expect(scheduled).toEqual(['user-0', 'user-1', 'user-2', 'user-3']);
    expect(cursor()).toBe(slot);
  });

  it('leaves the cursor and the slot index as they were when the queue refuses, so the next run queues them again', async () => {
    const { runScheduler, scheduled, cursor } = aScheduler(4, 3, true);

    await expect(runScheduler()).rejects.toThrow('SQS unreachable');

    expect(scheduled).toEqual([]);
    expect(cursor()).toBe('2026-03-05T06:45Z');
  });
});
