import { describe, expect, it } from 'vitest';
import { silentLogger } from '#adapters/logger.ts';
import type { Outcome } from '#domain/model.ts';
import type { Mailer, OutgoingMail } from '#domain/ports.ts';
import { makeTokens } from '#domain/reply-token.ts';
import { anEnvelope, mailDomain } from '#test/builders/envelope.ts';
import { InMemoryOnboardingStore } from '#test/builders/in-memory-onboarding-store.ts';
import { InMemoryUserStore } from '#test/builders/in-memory-user-store.ts';
import { aParsedEmail } from '#test/builders/parsed-email.ts';
import type { HandleReply } from '#use-cases/handle-reply.ts';
import { makeJoin } from '#use-cases/join.ts';
import { makeRegisterUser } from '#use-cases/register-user.ts';

const now = new Date('2026-03-06T09:00:00Z');
const relaxed = anEnvelope({
  recipients: [`start@${mailDomain}`],
  verdicts: { source: 'relaxed' },
});

/** Joining on in-memory ports; every mail it sends is kept in `sent`. */
function aJoin(options: { failSending?: boolean } = {}) {
  const users = new InMemoryUserStore();
  const onboarding = new InMemoryOnboardingStore(['example.com']);
  const sent: OutgoingMail[] = [];
  const mailer: Mailer = {
    async send(message) {
      if (options.failSending) throw new Error('SES is down');
      sent.push(message);
      return { messageId: `sent-${sent.length}` };
    },
  };
  const clock = () => now;
  const tokens = makeTokens({ keys: [{ id: 1, secret: Buffer.alloc(32, 7) }], signWith: 1 });
  const join = makeJoin({
    onboarding,
    users,
    registerUser: makeRegisterUser({ users, clock }),
    tokens,
    mailer,
    clock,
    logger: silentLogger,
    mailDomain,
  });
  const commands: HandleReply = async () => ({
    status: 'rejected',
    reason: 'bad-reply-token',
    detail: 'went on to the reply commands',
  });
  const replies = join.replies(commands);
  const ask = (from: string, date = 'Fri, 06 Mar 2026 18:00:00 +0900') =>
    join.welcome({ email: aParsedEmail({ from, headers: { date } }), envelope: relaxed });
  const answer = (from: string, replyTo: string, text: string, messageId = '<yes@example.com>') =>
    replies({
      email: aParsedEmail({
        from,
        text,
        messageId,
        headers: { date: 'Fri, 06 Mar 2026 04:00:00 -0500' },
      }),
      envelope: relaxed,
      token: /^reply\+([a-z2-7]+)@/.exec(replyTo)?.[1] ?? '',
    });
  return { join, users, sent, ask, answer, tokens };
}

describe('joining by email', () => {
  it('registers the zone the welcome named, even when the yes is written from elsewhere', async () => {
    // Prepare: welcomed from a +0900 mail
    const { sent, ask, answer, users } = aJoin();
    await ask('kenji@example.com');

    // Act: the yes comes from a -0500 mail
    const outcome = await answer('kenji@example.com', sent[0]?.replyTo ?? '', 'yes');

    // Assess
    expect(outcome).toMatchObject({ status: 'joined', confirmed: true });
    expect((await users.findUserByAddress('kenji@example.com'))?.timeZone).toBe('Asia/Tokyo');
  });

  it('a yes retried after a crash between registering and answering is answered once', async () => {
    // Prepare: registered by an earlier attempt that never sent its answer
    const { sent, ask, answer, users } = aJoin();
    await ask('kenji@example.com');
    const replyTo = sent[0]?.replyTo ?? '';
    await makeRegisterUser({ users, clock: () => now })({
      email: 'kenji@example.com',
      timeZone: 'Asia/Tokyo',
    });

    // Act
    const retried = await answer('kenji@example.com', replyTo, 'yes');
    const again = await answer('kenji@example.com', replyTo, 'yes');

    // Assess
    expect(retried).toMatchObject({ status: 'joined', confirmed: true });
    expect(again).toMatchObject({ status: 'rejected', reason: 'already-a-user' });
    expect(sent).toHaveLength(2);
    expect(sent[1]?.text).toContain('you are in');
  });

  it('a yes with a zone it cannot read registers nobody, and says which', async () => {
    // Prepare
    const { sent, ask, answer, users } = aJoin();
    await ask('kenji@example.com');

    // Act
    const outcome = await answer(
      'kenji@example.com',
      sent[0]?.replyTo ?? '',
      'yes\ntz Mars/Olympus',
    );

    // Assess
    expect(outcome).toMatchObject({ status: 'rejected', reason: 'join-not-confirmed' });
    expect(await users.findUserByAddress('kenji@example.com')).toBeNull();
    expect(sent[1]?.text).toContain('"Mars/Olympus" is not a time zone');
    expect(sent[1]?.text).toContain('Nothing was changed');
    // The note keeps the welcome's reply address, so a yes to it counts.
    expect(sent[1]?.replyTo).toBe(sent[0]?.replyTo);
  });

  it('a welcome SES would not take is recorded, and not sent twice that day', async () => {
    // Prepare
    const { ask } = aJoin({ failSending: true });

    // Act
    const outcomes: Outcome[] = [await ask('kenji@example.com'), await ask('kenji@example.com')];

    // Assess: a lost welcome is better than a receipt failed for redrive; tomorrow they may ask again
    expect(outcomes).toEqual([
      { status: 'welcomed', address: 'kenji@example.com', timeZone: 'Asia/Tokyo' },
      expect.objectContaining({ status: 'rejected', reason: 'welcome-already-sent' }),
    ]);
  });

  it('tokens of other kinds go on to the reply commands', async () => {
    // Prepare
    const { answer, tokens } = aJoin();
    const digestToken = tokens.issue({
      kind: 'digest',
      userId: 'a'.repeat(20),
      ref: '2026-03-06',
      expiresAt: new Date('2026-04-01T00:00:00Z'),
    });

    // Act
    const outcome = await answer('kenji@example.com', `reply+${digestToken}@${mailDomain}`, 'yes');

    // Assess
    expect(outcome).toMatchObject({ detail: 'went on to the reply commands' });
  });
});
