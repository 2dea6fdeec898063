import type { User } from '#domain/model.ts';
import type { Clock, DigestStore, SettingsChange, SteeringStore } from '#domain/ports.ts';
import { nextDigestFor, type SendingState, sendingState } from '#domain/sending-state.ts';
import { readDigestAt, readZone } from './register-user.ts';

export type ManageUserResult =
  | {
      ok: true;
      user: User;
      state: SendingState;
      /** The local date of their next digest; null while stopped. */
      nextDigest: string | null;
    }
  | { ok: false; problems: string[] };

/**
 * The operator's changes to a user's sending: their zone and hour, and resuming their digests.
 * Each moves the slot index at once, as the reply commands do.
 */
export function makeManageUser(deps: {
  digests: Pick<DigestStore, 'scheduleDigest' | 'resumeDigests'>;
  steering: Pick<SteeringStore, 'updateSettings'>;
  clock: Clock;
}) {
  return {
    /**
     * Primary course:
     * 1. Read the zone and the hour as `user add` does; a mistake changes nothing.
     * 2. Set them on the profile.
     * 3. A user who is sent digests (active, or paused) is scheduled again in the new zone and hour;
     *    a stopped one stays stopped.
     */
    async set(user: User, input: { timeZone?: string; digestAt?: string }) {
      const change: Pick<SettingsChange, 'timeZone' | 'digestAt'> = {};
      const problems: string[] = [];
      if (input.timeZone !== undefined) {
        const zone = readZone(input.timeZone);
        if (zone.ok) change.timeZone = zone.value;
        else problems.push(zone.problem);
      }
      if (input.digestAt !== undefined) {
        const at = readDigestAt(input.digestAt);
        if (at.ok) change.digestAt = at.value;
        else problems.push(at.problem);
      }
      if (problems.length > 0) return { ok: false, problems } satisfies ManageUserResult;
      await deps.steering.updateSettings(user.userId, change);
      const changed: User = { ...user, ...change };
      const now = deps.clock();
      const next = nextDigestFor(changed, now);
      if (next) await deps.digests.scheduleDigest(user.userId, next);
      return {
        ok: true,
        user: changed,
        state: sendingState(changed, now),
        nextDigest: next?.localDate ?? null,
      } satisfies ManageUserResult;
    },

    /**
     * Primary course:
     * 1. Clear the stop (whatever its reason), the pause and the soft-bounce count, and put the
     *    user's next digest in the slot index: one write.
     */
    async resume(user: User): Promise<ManageUserResult> {
      const now = deps.clock();
      const resumed: User = { ...user, pausedAt: null, pausedUntil: null, stoppedBecause: null };
      const next = nextDigestFor(resumed, now);
      if (!next) throw new Error('a resumed user has a next digest');
      await deps.digests.resumeDigests(user.userId, next);
      return {
        ok: true,
        user: resumed,
        state: sendingState(resumed, now),
        nextDigest: next.localDate,
      };
    },
  };
}
