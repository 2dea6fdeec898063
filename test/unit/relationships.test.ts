import { describe, expect, it } from 'vitest';
import { messageItem } from '#adapters/dynamodb/dynamodb-store.ts';
import { toThreadMessage } from '#adapters/dynamodb/ledger-store.ts';
import { buildCheckpoint } from '#domain/history-checkpoint.ts';
import type { Steer } from '#domain/ports.ts';
import { steerKeys } from '#domain/steering.ts';
import { asked, sent } from '#test/builders/logged-message.ts';
import { aUser } from '#test/builders/user.ts';
import { makeRelationships } from '#use-cases/help-first.ts';

const user = aUser();
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

describe('relationships on a checkpoint with a frozen wait', () => {
  // Frank was asked on Monday 5 January and never answered; the checkpoint of 20 May froze it.
  const ask = sent('2026-01-05T09:00:00.000Z', [asked('frank@f.de', 'Frank Weber')], {
    messageId: 'angebot@mail.example.com',
    subject: 'Angebot',
  });
  const messages = [toThreadMessage(messageItem(ask))];
  const { checkpoint } = buildCheckpoint({
    messages,
    previous: null,
    timeZone: user.timeZone,
    builtAt: new Date('2026-05-20T06:00:00Z'),
  });
  const onCheckpoint = {
    listThreadMessages: async () => messages,
    getCheckpoint: async () => checkpoint,
    checkpointBuiltAt: async () => checkpoint.builtAt,
    listThreadMessagesLoggedSince: async () => [],
    getSettledIds: async (_: string, shards: number[]) => new Map(shards.map((s) => [s, []])),
    getColdContacts: async () => [],
  };
  const everything = { listThreadMessages: async () => messages };
  const threadKey = checkpoint.frozen?.[0]?.threadKey ?? '';
  const steering = (...steers: Omit<Steer, 'key'>[]) => ({
    listSteers: async () =>
      steers.map((s) => ({ key: steerKeys.pair(threadKey, 'frank@f.de'), ...s })),
    digestsSince: async () => [],
  });
  const now = new Date('2026-05-21T07:00:00Z');
  const frank = async (store: typeof everything, steers: ReturnType<typeof steering>) =>
    (await makeRelationships({ store, steering: steers, clock })(user, now, { forDigest: true }))
      .threads;

  it.each<[string, Omit<Steer, 'key'>[], string, string | null]>([
    ['nothing said', [], 'due', 'Assume the best'],
    [
      'let go by three digests in January',
      [{ letGoAt: '2026-01-12T07:00:00.000Z' }],
      'let-go',
      null,
    ],
    [
      'let go, then revived',
      [{ letGoAt: '2026-01-12T07:00:00.000Z', revivedAt: '2026-05-20T18:00:00.000Z' }],
      'due',
      'Assume the best',
    ],
    ['done', [{ doneAt: '2026-05-20T18:00:00.000Z' }], 'replied', null],
  ])('%s: the same as folding every message', async (_, steers, state, reason) => {
    // Act
    const threads = await frank(onCheckpoint, steering(...steers));

    // Assess
    expect(checkpoint.kept).toEqual([]);
    expect(threads).toEqual(await frank(everything, steering(...steers)));
    expect(threads[0]?.contacts[0]?.state).toBe(state);
    if (reason) expect(threads[0]?.contacts[0]?.reason).toContain(reason);
    else expect(threads[0]?.contacts[0]?.reason).toBeNull();
  });
});
