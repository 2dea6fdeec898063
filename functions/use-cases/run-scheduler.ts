import { DateTime } from 'luxon';
import { dueToday, scheduleOf, slotOf } from '#domain/digest-schedule.ts';
import type { User } from '#domain/model.ts';
import type { Clock, DigestStore, Logger, UserStore } from '#domain/ports.ts';
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
 */
export function makeRunScheduler(deps: {
  store: DigestStore & Pick<UserStore, 'getUser'>;
  sendDigest: (user: User) => Promise<SendDigestOutcome>;
  clock: Clock;
  logger: Logger;
}) {
  return async function runScheduler(): Promise<{
    /** The slots the users found were due in, oldest first. */
    slots: string[];
    outcomes: SendDigestOutcome[];
  }> {
    const now = deps.clock();
    const current = slotOf(now);
    const cursor = await deps.store.schedulerCursor();
    if (cursor === current) return { slots: [], outcomes: [] };
    // A clock set back (cursor ahead of now) looks at the current slot only.
    const after = !cursor
      ? slotOf(DateTime.fromJSDate(now).minus({ days: firstRunLookbackDays }).toJSDate())
      : cursor < current
        ? cursor
        : null;
    const due = await deps.store.usersDueBetween(after, current);
    const outcomes: SendDigestOutcome[] = [];
    for (const { userId, slot } of due) {
      const user = await deps.store.getUser(userId);
      if (!user) continue;
      const state = sendingState(user, now);
      try {
        if (state.state !== 'active') deps.logger.info('digest not sent', { userId, ...state });
        else if (dueToday(scheduleOf(user), now)) outcomes.push(await deps.sendDigest(user));
        else deps.logger.info('missed digest day not sent late', { userId, slot });
      } finally {
        const next = nextDigestFor(user, now);
        if (next) await deps.store.scheduleDigest(userId, next);
      }
    }
    await deps.store.setSchedulerCursor(current);
    if (due.length > 0)
      deps.logger.info('scheduler ran', {
        from: after,
        to: current,
        due: due.length,
        digests: outcomes.length,
      });
    return { slots: [...new Set(due.map((d) => d.slot))], outcomes };
  };
}
