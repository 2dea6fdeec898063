import { describe, expect, it } from 'vitest';
import { pacedMailer } from '#adapters/ses/paced-mailer.ts';
import type { Mailer, OutgoingMail } from '#domain/ports.ts';

const aMail = (to: string): OutgoingMail => ({
  from: 'givefirst <digest@givefirst.test>',
  to,
  replyTo: 'reply+t@in.givefirst.test',
  subject: 'digest',
  text: 'text',
  html: '<p>html</p>',
  headers: {},
});

describe('pacedMailer', () => {
  it('starts one send at most every interval, waiting only as long as the last send left', async () => {
    // Prepare: a clock the waits move, and a mailer that takes 30 ms of it per send.
    let now = 1_000;
    const waits: number[] = [];
    const started: number[] = [];
    const inner: Mailer = {
      async send(mail) {
        started.push(now);
        now += 30;
        return { messageId: mail.to };
      },
    };
    const mailer = pacedMailer(
      inner,
      143,
      async (ms) => {
        waits.push(ms);
        now += ms;
      },
      () => now,
    );

    // Act
    for (const to of ['a@x.test', 'b@x.test', 'c@x.test']) await mailer.send(aMail(to));
    now += 500;
    await mailer.send(aMail('d@x.test'));

    // Assess: 143 ms apart while busy, at once after a pause.
    expect(started).toEqual([1_000, 1_143, 1_286, 1_816]);
    expect(waits).toEqual([113, 113]);
  });
});
