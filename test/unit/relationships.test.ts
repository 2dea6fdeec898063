import { describe, expect, it } from 'vitest';
import type { User } from '#domain/model.ts';
import { makeRelationships } from '#use-cases/help-first.ts';

const user: User = {
  userId: 'u1',
  email: 'me@example.com',
  aliases: [],
  timeZone: 'Europe/Berlin',
  digestAt: '08:00',
  neverLog: [],
  createdAt: '2026-01-01T00:00:00.000Z',
};
const clock = () => new Date('2026-03-10T07:00:00Z');

describe('relationships when the store fails', () => {
  it.each([
    ['a view', {}],
    ['a digest', { forDigest: true }],
  ])(
    '%s fails with the steers read that failed, and leaves no rejection unhandled',
    async (_, options) => {
      // Prepare: the steers read fails after the messages were read.
      const failure = new Error('read ECONNRESET');
      const relationships = makeRelationships({
        store: { listThreadMessages: async () => [] },
        steering: {
          listSteers: () => new Promise((_, reject) => setTimeout(() => reject(failure), 5)),
          digestsSince: async () => [],
        },
        clock,
      });

      // Act, Assess (an unhandled rejection fails the run)
      await expect(relationships(user, undefined, options)).rejects.toBe(failure);
      await new Promise((resolve) => setTimeout(resolve, 20));
    },
  );
});
