import { type SESv2Client, TooManyRequestsException } from '@aws-sdk/client-sesv2';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '#adapters/logger.ts';
import { makeSesMailer } from '#adapters/ses/ses-mailer.ts';

const mail = {
  from: 'givefirst <digest@in.example.com>',
  to: 'me@example.com',
  replyTo: 'reply+abc@in.example.com',
  subject: '1 waiting on a reply',
  text: 'text',
  html: '<p>html</p>',
  headers: { 'Auto-Submitted': 'auto-generated' },
};

/** An SES client that answers each send from a script: an error to throw, or a message id. */
function scriptedSes(script: (Error | string)[]) {
  const calls: unknown[] = [];
  const ses = {
    send: async (command: { input: unknown }) => {
      calls.push(command.input);
      const next = script.shift();
      if (next instanceof Error) throw next;
      return { MessageId: next };
    },
  } as unknown as SESv2Client;
  return { ses, calls };
}

const throttling = () => new TooManyRequestsException({ message: 'slow down', $metadata: {} });
const throttled = () =>
  Object.assign(new Error('Rate exceeded'), { $retryable: { throttling: true } });
const noWait = async () => undefined;

describe('the SES mailer', () => {
  it('sends Simple content with the custom headers and reply-to', async () => {
    const { ses, calls } = scriptedSes(['m-1']);

    expect(await makeSesMailer({ ses, logger: silentLogger, sleep: noWait }).send(mail)).toEqual({
      messageId: 'm-1',
    });
    expect(calls[0]).toMatchObject({
      ReplyToAddresses: ['reply+abc@in.example.com'],
      Content: { Simple: { Headers: [{ Name: 'Auto-Submitted', Value: 'auto-generated' }] } },
    });
  });

  it('retries a throttled send with growing waits, then succeeds', async () => {
    const { ses, calls } = scriptedSes([throttling(), throttled(), 'm-2']);
    const waits: number[] = [];

    const sent = await makeSesMailer({
      ses,
      logger: silentLogger,
      backoffMs: 100,
      sleep: async (ms) => void waits.push(ms),
    }).send(mail);

    expect(sent).toEqual({ messageId: 'm-2' });
    expect(calls).toHaveLength(3);
    expect(waits).toEqual([100, 200]);
  });

  it('gives up after its attempts, and at once on any other error', async () => {
    const always = scriptedSes([throttling(), throttling(), throttling()]);
    await expect(
      makeSesMailer({ ses: always.ses, logger: silentLogger, attempts: 3, sleep: noWait }).send(
        mail,
      ),
    ).rejects.toBeInstanceOf(TooManyRequestsException);
    expect(always.calls).toHaveLength(3);

    const refused = scriptedSes([new Error('Email address is not verified')]);
    await expect(
      makeSesMailer({ ses: refused.ses, logger: silentLogger, sleep: noWait }).send(mail),
    ).rejects.toThrow(/not verified/);
    expect(refused.calls).toHaveLength(1);
  });
});
