import { describe, expect, it } from 'vitest';
import { buildLoggedMessage } from '#domain/build-logged-message.ts';
import type { Tags } from '#domain/model.ts';
import { signalsOf } from '#domain/signals.ts';
import { anEnvelope, mailDomain } from '#test/builders/envelope.ts';
import { aParsedEmail } from '#test/builders/parsed-email.ts';
import { aUser } from '#test/builders/user.ts';

const noTags: Tags = { kinds: [], window: null, unknown: [] };
const tagged = (...kinds: Tags['kinds']): Tags => ({ ...noTags, kinds });

describe('help-first signals of a message', () => {
  it('takes the user own words', () => {
    expect(
      signalsOf(noTags, "Great to meet you. I'll introduce you to Dana next week.", false),
    ).toEqual({
      promise: { by: 'phrase', phrase: expect.stringMatching(/I'll introduce you/i) },
    });
  });

  it('lets an explicit tag win over the words', () => {
    expect(signalsOf(tagged('promise'), "I'll introduce you to Dana.", false).promise).toEqual({
      by: 'tag',
    });
  });

  it('never makes a broadcast promise or ask anything of each recipient', () => {
    const text = "I'll send everyone the slides. Could you each fill in the survey?";

    expect(signalsOf(tagged('promise'), text, true)).toEqual({});
  });

  it('reads only the user own new text, never the quoted reply', () => {
    const message = buildLoggedMessage({
      email: aParsedEmail({
        text: 'See you then!\n\nOn Mon, 2 Mar 2026 at 09:00, Ann Lee <ann@friends.test> wrote:\n> Thank you for the intro to Lee, and I will send you the report tomorrow.\n',
      }),
      user: aUser(),
      tags: noTags,
      envelope: anEnvelope(),
      mailDomain,
    });

    expect(message.kind === 'message' && message.message.signals).toEqual({});
  });
});
