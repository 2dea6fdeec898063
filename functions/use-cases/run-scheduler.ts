import { nextDigest, scheduleOf, slotMinutes, slotOf } from '#domain/digest-schedule.ts';
import type { User } from '#domain/model.ts';
import type { Clock, DigestStore, Logger, UserStore } from '#domain/ports.ts';
import type { SendDigestOutcome } from './send-digest.ts';

/** A scheduler that was down catches up at most this far back; older slots are skipped. */
const catchUpSlots = 96;

/** The slots after `cursor` up to and including `current`, oldest first, at most `catchUpSlots`. */
function slotsSince(cursor: string | null, current: string): string[] {
  if (!cursor || cursor >= current) return cursor === current ? [] : [current];
  const step = slotMinutes * 60_000;
  const slots: string[] = [];
  for (let t = Date.parse(current); slots.length < catchUpSlots; t -= step) {
    const slot = slotOf(new Date(t));
    if (slot <= cursor) break;
    slots.unshift(slot);
  }
  return slots;
}

/**
 * One run of the digest scheduler.
 *
 * Primary course:
 * 1. The slots to handle: every 15-minute slot since the last run finished, up to the current one
 *    (a run missed while the scheduler was down is caught up once, not skipped, not doubled).
 * 2. For each slot, the users due in it, read from the sparse sharded index (never a Scan).
 * 3. Each user's digest is sent (at most once a day: the digest record decides), then the user is
 *    scheduled for their next digest, computed in their zone.
 * 4. The cursor moves to the current slot.
 */
export function makeRunScheduler(deps: {
  store: DigestStore & Pick<UserStore, 'getUser'>;
  sendDigest: (user: User) => Promise<SendDigestOutcome>;
  clock: Clock;
  logger: Logger;
}) {
  return async function runScheduler(): Promise<{
    slots: string[];
    outcomes: SendDigestOutcome[];
  }> {
    const now = deps.clock();
    const current = slotOf(now);
    const slots = slotsSince(await deps.store.schedulerCursor(), current);
    const outcomes: SendDigestOutcome[] = [];
    for (const slot of slots) {
      for (const userId of await deps.store.usersDueInSlot(slot)) {
        const user = await deps.store.getUser(userId);
        if (!user) continue;
        try {
          outcomes.push(await deps.sendDigest(user));
        } finally {
          await deps.store.scheduleDigest(userId, nextDigest(scheduleOf(user), now));
        }
      }
    }
    await deps.store.setSchedulerCursor(current);
    if (outcomes.length > 0)
      deps.logger.info('scheduler ran', { slots: slots.length, digests: outcomes.length });
    return { slots, outcomes };
  };
}
