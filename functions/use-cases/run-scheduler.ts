import { DateTime } from 'luxon';
import { dueToday, scheduleOf, slotOf } from '#domain/digest-schedule.ts';
import type { User } from '#domain/model.ts';
import type { Clock, DigestQueue, DigestStore, Logger, UserStore } from '#domain/ports.ts';
import { nextDigestFor, sendingState } from '#domain/sending-state.ts';
import type { SendDigestOutcome } from './send-digest.ts';

/**
 * A table whose scheduler never ran (users registered from the command line while no stack was up)
 * is searched this far back once, so nobody registered then waits for ever.
 */
const firstRunLookbackDays = 31;

/**
 * One run of the digest scheduler.
 *
 * Primary course:
 * 1. The missed range: every slot after the last run's (the cursor) up to the current one, however
 *    long the scheduler was down. The gap between cursor and now is the outage.
 * 2. The users due in that range, read from the slot index (one Query per UTC day and shard, never
 *    a Scan). Each user is in the index once, under their next slot, so each comes up once.
 * 3. A user whose digest is due today (their hour has passed on their local day) gets it now, at
 *    most once a day (the digest record decides); a day an outage swallowed is not sent after the
 *    fact, so a long outage gives one digest, never a backlog.
 * 4. Each of them is scheduled for their next digest, computed in their zone, from now. Only an
 *    active user is sent one: a paused user is scheduled for the day the pause ends, an
 *    unsubscribed or bouncing one is left out of the index until `user resume` (or `resume`).
 * 5. The cursor moves to the current slot.
 *
 * On AWS, when more users are due than one run can send within its timeout at SES's rate, step 3
 * hands each of them to the digest queue instead (the user and the slot); a worker then sends each
 * with the same send-digest use case (send-queued-digest.ts).
 */
export function makeRunScheduler(deps: {
  store: Pick<
    DigestStore,
    'schedulerCursor' | 'setSchedulerCursor' | 'usersDueBetween' | 'scheduleDigest'
  > &
    Pick<UserStore, 'getUser'>;
  sendDigest: (user: User) => Promise<SendDigestOutcome>;
  /**
   * On AWS: more digests due in one run than `inlineLimit` go on this queue, to a worker that sends
   * them with the same use case (docs/deploy.md, "What one scheduler run can send"). Without it,
   * the run sends every digest itself (the local stack).
   */
  fanOut?: { queue: DigestQueue; inlineLimit: number };
  clock: Clock;
  logger: Logger;
}) {
  return async function runScheduler(): Promise<{
    /** The slots the users found were due in, oldest first. */
    slots: string[];
    outcomes: SendDigestOutcome[];
    /** How many digests went on the queue instead of being sent by this run. */
    queued: number;
  }> {
    const now = deps.clock();
    const current = slotOf(now);
    const cursor = await deps.store.schedulerCursor();
    if (cursor === current) return { slots: [], outcomes: [], queued: 0 };
    // A clock set back (cursor ahead of now) looks at the current slot only.
    const after = !cursor
      ? slotOf(DateTime.fromJSDate(now).minus({ days: firstRunLookbackDays }).toJSDate())
      : cursor < current
        ? cursor
        : null;
    const due = await deps.store.usersDueBetween(after, current);
    const users: { user: User; slot: string }[] = [];
    for (const { userId, slot } of due) {
      const user = await deps.store.getUser(userId);
      if (user) users.push({ user, slot });
    }
    const sendable = users.filter(({ user, slot }) => {
      const state = sendingState(user, now);
      if (state.state !== 'active')
        deps.logger.info('digest not sent', { userId: user.userId, ...state });
      else if (!dueToday(scheduleOf(user), now))
        deps.logger.info('missed digest day not sent late', { userId: user.userId, slot });
      else return true;
      return false;
    });
    const scheduleNext = async (user: User) => {
      const next = nextDigestFor(user, now);
      if (next) await deps.store.scheduleDigest(user.userId, next);
    };

    const outcomes: SendDigestOutcome[] = [];
    let queued = 0;
    if (deps.fanOut && sendable.length > deps.fanOut.inlineLimit) {
      // Queued first, scheduled after: a run that fails between the two queues them again next
      // time, and the per-day digest record keeps the second message from sending twice.
      await deps.fanOut.queue.enqueue(
        sendable.map(({ user, slot }) => ({ userId: user.userId, slot })),
      );
      queued = sendable.length;
      for (const { user } of users) await scheduleNext(user);
    } else {
      const willSend = new Set(sendable.map(({ user }) => user.userId));
      for (const { user } of users) {
        try {
          if (willSend.has(user.userId)) outcomes.push(await deps.sendDigest(user));
        } finally {
          await scheduleNext(user);
        }
      }
    }
    await deps.store.setSchedulerCursor(current);
    if (due.length > 0)
      deps.logger.info('scheduler ran', {
        from: after,
        to: current,
        due: due.length,
        digests: outcomes.length,
        queued,
      });
    return { slots: [...new Set(due.map((d) => d.slot))], outcomes, queued };
  };
}
