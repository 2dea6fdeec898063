import { type SESv2Client, TooManyRequestsException } from '@aws-sdk/client-sesv2';
import { describe, expect, it } from 'vitest';
import { composeRaw } from '#adapters/ses/compose-raw.ts';
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

describe('the SES mailer', () => {
  it('sends Simple content with the custom headers, reply-to and configuration set', async () => {
    // Prepare
    const { ses, calls } = scriptedSes(['m-1']);

    // Act
    const sent = await makeSesMailer({ ses, configurationSet: 'givefirst' }).send(mail);

    // Assess
    expect(sent).toEqual({ messageId: 'm-1' });
    expect(calls[0]).toMatchObject({
      FromEmailAddress: 'givefirst <digest@in.example.com>',
      ReplyToAddresses: ['reply+abc@in.example.com'],
      ConfigurationSetName: 'givefirst',
      Content: { Simple: { Headers: [{ Name: 'Auto-Submitted', Value: 'auto-generated' }] } },
    });
  });

  it('sends Raw MIME with the attachments, headers and reply-to when files are attached', async () => {
    // Prepare
    const { ses, calls } = scriptedSes(['m-1']);

    // Act
    await makeSesMailer({ ses, configurationSet: 'givefirst', composeRaw }).send({
      ...mail,
      attachments: [{ filename: 'contacts.csv', contentType: 'text/csv', content: 'a,b\r\n' }],
    });

    // Assess
    const input = calls[0] as { Content: { Raw: { Data: Uint8Array } } };
    expect(input).toMatchObject({ ConfigurationSetName: 'givefirst' });
    const raw = Buffer.from(input.Content.Raw.Data).toString('utf8');
    expect(raw).toMatch(/^Auto-Submitted: auto-generated$/m);
    expect(raw).toMatch(/^Reply-To: reply\+abc@in\.example\.com$/m);
    expect(raw).toMatch(/filename=contacts\.csv/);
    expect(raw).toContain(Buffer.from('a,b\r\n').toString('base64'));
  });

  it('refuses files it was not given a way to compose, sending nothing (the digest functions)', async () => {
    const { ses, calls } = scriptedSes(['m-1']);

    const sending = makeSesMailer({ ses }).send({
      ...mail,
      attachments: [{ filename: 'contacts.csv', contentType: 'text/csv', content: 'a,b\r\n' }],
    });

    await expect(sending).rejects.toThrow('this mailer sends no attachments');
    expect(calls).toEqual([]);
  });

  it('names no configuration set when it has none (the local SES emulator)', async () => {
    const { ses, calls } = scriptedSes(['m-1']);

    await makeSesMailer({ ses }).send(mail);

    expect(calls[0]).not.toHaveProperty('ConfigurationSetName');
  });

  it('sends once: a throttled send is the SDK client’s to retry, not the mailer’s', async () => {
    // Prepare
    const { ses, calls } = scriptedSes([
      new TooManyRequestsException({ message: 'slow down', $metadata: {} }),
      'm-2',
    ]);

    // Act
    const sending = makeSesMailer({ ses }).send(mail);

    // Assess
    await expect(sending).rejects.toBeInstanceOf(TooManyRequestsException);
    expect(calls).toHaveLength(1);
  });
});
