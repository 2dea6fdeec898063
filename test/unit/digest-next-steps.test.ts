import { describe, expect, it } from 'vitest';
import { composeDigest } from '#domain/digest.ts';
import { renderDigest } from '#domain/render-digest.ts';
import {
  aDueContact,
  aHelpItem,
  aThread,
  someRelationships,
} from '#test/builders/relationships.ts';
import { aUser } from '#test/builders/user.ts';

const options = {
  replyAddress: 'reply+k1token@in.example.com',
  unsubscribeUrl: 'https://givefirst.example.com/unsubscribe?t=k1token',
  logAddress: 'log@in.example.com',
};
const now = new Date('2026-03-05T07:00:00Z');

function aDigest() {
  const digest = composeDigest({
    user: aUser(),
    relationships: someRelationships({
      help: [aHelpItem({ name: 'Dana', address: 'dana@d.example' })],
      threads: [
        aThread({
          subject: 'Q4 budget',
          contacts: [aDueContact({ name: 'Alice', address: 'alice@a.example' })],
        }),
      ],
    }),
    now,
  });
  if (!digest) throw new Error('the builder made an empty digest');
  return digest;
}

describe('a digest says what to do next', () => {
  it('gives each Waiting item a one-tap nudge: to the contact, Re: the subject, the log in Bcc', () => {
    // Act
    const { html, text } = renderDigest(aDigest(), options);

    // Assess
    expect(html).toContain(
      'href="mailto:alice@a.example?subject=Re%3A%20Q4%20budget&amp;bcc=log%40in.example.com"',
    );
    expect(text).toContain('   Nudge: alice@a.example');
  });

  it('tells a promise what to do next, with the gave address to Bcc', () => {
    // Act
    const { html, text } = renderDigest(aDigest(), options);

    // Assess
    const next = 'Next: make the intro, and Bcc log+gave@in.example.com so givefirst knows.';
    expect(text).toContain(next);
    expect(html).toContain(next);
  });

  it('merges a Help-first item and a due reply on the same person and thread into one item', () => {
    // Prepare
    const ask = aHelpItem({
      kind: 'give-before-ask',
      name: 'Alice',
      address: 'alice@a.example',
      reason: 'You asked Alice for something.',
      evidence: {
        at: '2026-02-25T09:00:00.000Z',
        messageKey: 'm1',
        subject: 'Q4',
        signal: { by: 'tag' },
      },
    });
    const due = aDueContact({
      name: 'Alice',
      address: 'alice@a.example',
      history: [
        { at: '2026-02-25T09:00:00.000Z', what: 'asked; awaiting a reply', messageKey: 'm1' },
      ],
    });

    // Act
    const digest = composeDigest({
      user: aUser(),
      relationships: someRelationships({ help: [ask], threads: [aThread({ contacts: [due] })] }),
      now,
    });

    // Assess
    expect(digest?.items).toHaveLength(1);
    expect(digest?.items[0]?.reason).toMatch(
      /^Assume the best: .* While you wait: is there something you could offer Alice\?$/,
    );
    expect(digest?.items[0]?.threadKey).not.toBeNull();
  });
});
