import { IANAZone } from 'luxon';
import { nextDigest, scheduleOf } from '#domain/digest-schedule.ts';
import { userIdFor } from '#domain/ids.ts';
import { normaliseAddress } from '#domain/mailbox.ts';
import type { User } from '#domain/model.ts';
import type { Clock, DigestStore, UserStore } from '#domain/ports.ts';

export type RegisterUserResult = { ok: true; user: User } | { ok: false; problems: string[] };

/**
 * The zone as the IANA database spells it when only its case was off ("europe/berlin"), else as
 * given: ICU's own canonical names are older ("Asia/Calcutta" for "Asia/Kolkata").
 */
function canonicalZone(zone: string): string {
  const lower = zone.toLowerCase();
  return Intl.supportedValuesOf('timeZone').find((z) => z.toLowerCase() === lower) ?? zone;
}

type Read = { ok: true; value: string } | { ok: false; problem: string };

/** A time zone as typed: an IANA name (via luxon), spelled as the database spells it. */
export function readZone(timeZone: string): Read {
  return IANAZone.isValidZone(timeZone)
    ? { ok: true, value: canonicalZone(timeZone) }
    : {
        ok: false,
        problem: `"${timeZone}" is not a time zone; use an IANA name such as Europe/Berlin`,
      };
}

/** A digest hour as typed (7:30, 07:30), as HH:MM. */
export function readDigestAt(digestAt: string): Read {
  const at = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(digestAt);
  return at
    ? { ok: true, value: `${at[1]?.padStart(2, '0')}:${at[2]}` }
    : { ok: false, problem: `"${digestAt}" is not a time of day; use HH:MM such as 07:30` };
}

const emailShape = /^[^\s@<>()",;:]+@[^\s@<>()",;:]+\.[^\s@<>()",;:]+$/;

/**
 * Register a user.
 *
 * Primary course:
 * 1. Validate the addresses, the time zone (IANA, via luxon) and the digest hour.
 * 2. Derive a stable user id from the primary address (a retried add is the same user).
 * 3. Store the profile and claim each address; an address that belongs to someone else is refused.
 * 4. Schedule their first digest, at their hour in their zone.
 */
export function makeRegisterUser(deps: {
  users: UserStore;
  clock: Clock;
  /** Where the first digest is scheduled; without it, none is. */
  digests?: Pick<DigestStore, 'scheduleDigest'>;
}) {
  return async function registerUser(input: {
    email: string;
    aliases?: string[];
    timeZone?: string;
    digestAt?: string;
  }): Promise<RegisterUserResult> {
    const email = normaliseAddress(input.email);
    const aliases = [...new Set((input.aliases ?? []).map(normaliseAddress))].filter(
      (a) => a !== email,
    );
    const timeZone = input.timeZone ?? 'UTC';
    const digestAt = input.digestAt ?? '08:00';
    const problems: string[] = [];
    for (const address of [email, ...aliases]) {
      if (!emailShape.test(address)) problems.push(`"${address}" is not an email address`);
    }
    const zone = readZone(timeZone);
    const at = readDigestAt(digestAt);
    for (const read of [zone, at]) if (!read.ok) problems.push(read.problem);
    if (problems.length > 0 || !zone.ok || !at.ok) return { ok: false, problems };

    const user: User = {
      userId: userIdFor(email),
      email,
      aliases,
      timeZone: zone.value,
      digestAt: at.value,
      neverLog: [],
      createdAt: deps.clock().toISOString(),
    };
    const result = await deps.users.addUser(user);
    if (!result.added) {
      return {
        ok: false,
        problems: result.taken.map((a) => `${a} already belongs to a registered user`),
      };
    }
    await deps.digests?.scheduleDigest(user.userId, nextDigest(scheduleOf(user), deps.clock()));
    return { ok: true, user };
  };
}
