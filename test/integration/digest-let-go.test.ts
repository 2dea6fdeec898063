import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '#domain/model.ts';
import { makeRegisterUser } from '#use-cases/register-user.ts';
import { aRawMessage } from '../builders/raw-mail.ts';
import { type SentEmail, startDigestRunner } from '../support/digest-runner.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

const domain = 'in.givefirst.test';
const log = `log@${domain}`;

/**
 * The ladder's last rule over two replayed weeks: a due item shown on three digests with nothing
 * done about it is let go, and the next digest names the person once in its footer. Hanna (Berlin)
 * asks Frank on Monday 2 March and Gina on Wednesday 4 March, and never nudges either. Then four
 * more months of mornings: once the digests that showed them are past those the rule reads, they
 * stay let go.
 */
describe('a due item shown on three digests is let go', () => {
  let stack: TestStack;
  let now = new Date('2026-03-01T00:00:00Z');
  const clock = () => now;
  let me: User;
  let runner: Awaited<ReturnType<typeof startDigestRunner>>;
  const byDay = new Map<string, SentEmail>();
  let record0309: Awaited<ReturnType<TestStack['services']['store']['getDigest']>> = null;

  beforeAll(async () => {
    stack = await startTestStack({ mailDomain: domain, clock });
    const register = makeRegisterUser({
      users: stack.services.store,
      clock,
      digests: stack.services.store,
    });
    const added = await register({ email: 'hanna@example.de', timeZone: 'Europe/Berlin' });
    if (!added.ok) throw new Error(added.problems.join('; '));
    me = added.user;
    runner = await startDigestRunner(stack, clock);
    const asks = [
      { at: '2026-03-02T09:00:00Z', to: 'Frank <frank@f.de>', subject: 'Angebot' },
      { at: '2026-03-04T09:00:00Z', to: 'Gina <gina@g.de>', subject: 'Workshop' },
    ];
    let seen = 0;
    for (let hour = 0; hour < 14 * 24; hour++) {
      now = new Date(Date.parse('2026-03-01T00:00:00Z') + hour * 3_600_000);
      while (asks[0] && Date.parse(asks[0].at) <= now.getTime()) {
        const ask = asks.shift() as (typeof asks)[number];
        await stack.sendRaw(
          { from: 'hanna@example.de', to: [log] },
          aRawMessage({
            from: 'hanna@example.de',
            to: ask.to,
            subject: ask.subject,
            date: new Date(ask.at).toUTCString(),
            body: 'Does Thursday work for you?',
          }),
        );
      }
      await runner.runScheduler();
      const emails = await runner.sent();
      for (const email of emails.slice(seen)) byDay.set(now.toISOString().slice(0, 10), email);
      seen = emails.length;
    }
    record0309 = await stack.services.store.getDigest(me.userId, '2026-03-09');
    for (let day = 14; day < 140; day += 5) {
      now = new Date(Date.parse('2026-03-01T09:30:00Z') + day * 86_400_000);
      await runner.runScheduler();
      const emails = await runner.sent();
      for (const email of emails.slice(seen)) byDay.set(now.toISOString().slice(0, 10), email);
      seen = emails.length;
    }
  }, 240_000);

  afterAll(async () => {
    runner?.close();
    await stack?.stop();
  });

  const shown = (day: string) =>
    (byDay.get(day)?.body.text ?? '')
      .split('\n')
      .filter((l) => /^\d+\. /.test(l))
      .map((l) => l.replace(/^\d+\. /, ''));
  const footer = (day: string) =>
    (byDay.get(day)?.body.text ?? '').split('\n').find((l) => l.startsWith("We'll stop")) ?? null;

  it('shows Frank on three digests, then lets him go, for good', () => {
    expect([...byDay.keys()]).toEqual([
      '2026-03-05',
      '2026-03-06',
      '2026-03-09',
      '2026-03-10',
      '2026-03-11',
    ]);
    expect(shown('2026-03-05')).toEqual(['Frank']);
    expect(shown('2026-03-06')).toEqual(['Frank']);
    expect(shown('2026-03-09')).toEqual(['Frank', 'Gina']);
    expect(shown('2026-03-10')).toEqual(['Gina']);
  });

  it('names Frank once, in the footer of the next digest', () => {
    expect(footer('2026-03-10')).toContain('Frank');
    expect(footer('2026-03-11')).toBeNull();
  });

  it('keeps each digest record with the items it numbered', () => {
    expect(record0309?.items.map((i) => i.address)).toEqual(['frank@f.de', 'gina@g.de']);
  });

  it('lets Gina go after her third digest too, with no digest left to send', async () => {
    const threads = await stack.services.listThreads(me, new Date('2026-03-13T12:00:00Z'));
    const states = threads.flatMap((t) => t.contacts.map((c) => `${c.address}:${c.state}`));
    expect(states.sort()).toEqual(['frank@f.de:let-go', 'gina@g.de:let-go']);
  });

  it('records each let-go, so the threads still say so months later', async () => {
    const steers = await stack.services.steering.listSteers(me.userId);
    expect(steers.filter((s) => s.letGoAt).map((s) => s.key.split(' ').at(-1))).toEqual(
      expect.arrayContaining(['frank@f.de', 'gina@g.de']),
    );
    const threads = await stack.services.listThreads(me, new Date('2026-07-15T12:00:00Z'));
    const states = threads.flatMap((t) => t.contacts.map((c) => `${c.address}:${c.state}`));
    expect(states.sort()).toEqual(['frank@f.de:let-go', 'gina@g.de:let-go']);
  });
});
