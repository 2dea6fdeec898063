import type { User } from '#domain/model.ts';

/** A registered user writing from me@example.org, in Berlin. */
export function aUser(overrides: Partial<User> = {}): User {
  return {
    userId: 'user-me',
    email: 'me@example.org',
    aliases: [],
    timeZone: 'Europe/Berlin',
    digestAt: '08:00',
    neverLog: [],
    createdAt: '2026-01-05T08:00:00.000Z',
    ...overrides,
  };
}
