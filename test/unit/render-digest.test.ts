import { describe, expect, it } from 'vitest';
import { composeDigest, type Digest } from '#domain/digest.ts';
import { escapeHtml } from '#domain/escape-html.ts';
import { commandsLine, commandsMarker, renderDigest } from '#domain/render-digest.ts';
import {
  aDueContact,
  aGoingQuietItem,
  aHelpItem,
  aLetGoContact,
  aThread,
  someRelationships,
} from '#test/builders/relationships.ts';
import { aUser } from '#test/builders/user.ts';

const options = {
  replyAddress: 'reply+k1token@in.example.com',
  unsubscribeUrl: 'https://givefirst.example.com/unsubscribe?t=k1token&u=1',
};
const now = new Date('2026-03-05T07:00:00Z');

function aDigest(relationships = someRelationships({ help: [aHelpItem()], threads: [aThread()] })) {
  const digest = composeDigest({ user: aUser(), relationships, now });
  if (!digest) throw new Error('the builder made an empty digest');
  return digest;
}

const hostile = `<script>alert("x")</script> & 'quotes'`;
function aHostileDigest(): Digest {
  return aDigest(
    someRelationships({
      help: [
        aHelpItem({
          name: `Zoë 👩‍👩‍👧‍👦 ${hostile}`,
          reason: `You told Zoë "${hostile}" 3 days ago.`,
        }),
        aGoingQuietItem({ name: 'דנה כהן' }),
      ],
      threads: [
        aThread({
          subject: `Re: <img src=x onerror=alert(1)> "${hostile}"`,
          contacts: [aDueContact({ name: '"O\'Brien & Sons" \u0007<b>x</b>' })],
        }),
        aThread({ contacts: [aLetGoContact({ name: '<i>Eve</i>' })] }),
      ],
    }),
  );
}

describe('rendering the digest', () => {
  it('escapes every user-supplied string in the HTML part', () => {
    const { html } = renderDigest(aHostileDigest(), options);

    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>x</b>');
    expect(html).not.toContain('<i>Eve');
    expect(html).toContain(
      'Zoë 👩‍👩‍👧‍👦 &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39;',
    );
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('&quot;O&#39;Brien &amp; Sons&quot; &lt;b&gt;x&lt;/b&gt;');
    expect(html).toContain('<bdi>דנה כהן</bdi>');
  });

  it('keeps user text as written in the text part, without control characters', () => {
    const { text } = renderDigest(aHostileDigest(), options);

    expect(text).toContain(`1. Zoë 👩‍👩‍👧‍👦 ${hostile}`);
    expect(text).toContain(`“Re: <img src=x onerror=alert(1)> "${hostile}"”`);
    expect(text).toContain(`"O'Brien & Sons" <b>x</b>`);
    // Right-to-left text is isolated, so it cannot turn its line around.
    expect(text).toContain('2. \u2068דנה כהן\u2069');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: checking they are gone
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
    expect(text).toContain("We'll stop reminding you about 1 person: <i>Eve</i>.");
  });

  it('ends with the commands marker, then one line teaching the commands', () => {
    const { text, html } = renderDigest(aDigest(), options);
    const lines = text.split('\n');
    const marker = lines.indexOf(commandsMarker);

    expect(marker).toBeGreaterThan(lines.findIndex((l) => l.startsWith('2. ')));
    expect(lines[marker + 1]).toBe(commandsLine);
    expect(commandsLine).toBe('Reply with: done 1 · snooze 2 3d · drop 3 · more · help');
    expect(
      lines
        .slice(marker + 2)
        .join('\n')
        .trim(),
    ).toBe(`Unsubscribe: ${options.unsubscribeUrl}`);
    expect(html.indexOf(escapeHtml(commandsMarker))).toBeGreaterThan(html.indexOf('Alice Smith'));
    expect(html).toContain(`>${escapeHtml(commandsLine)}</p>`);
  });

  it('loads nothing: no images, no scripts, no http resource but the unsubscribe link', () => {
    const { html, text } = renderDigest(aHostileDigest(), options);
    const urls = [...html.matchAll(/https?:[^"'\s<>]*/g)].map((m) => m[0]);

    expect(html).not.toMatch(
      /<(img|script|link|iframe|object|embed|video|audio|picture|source)\b/i,
    );
    expect(html).not.toMatch(/<[^>]*\s(src|background|srcset)=/i);
    expect(html).not.toContain('url(');
    expect(html).not.toContain('@import');
    expect(urls).toEqual([escapeHtml(options.unsubscribeUrl)]);
    expect([...text.matchAll(/https?:\S*/g)].map((m) => m[0])).toEqual([options.unsubscribeUrl]);
  });

  it('reads well in light and dark mode, on a phone', () => {
    const { html } = renderDigest(aDigest(), options);

    expect(html).toContain('<meta name="color-scheme" content="light dark">');
    expect(html).toContain('color-scheme:light dark');
    expect(html).toContain('@media (prefers-color-scheme: dark)');
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(html).toContain('max-width:560px');
  });

  it('writes a readable text part: numbered items with their reason, subject and when', () => {
    const { subject, text } = renderDigest(aDigest(), options);

    expect(subject).toBe('1 person to help first · 1 waiting on a reply');
    expect(text).not.toMatch(/<[a-z/]/i);
    expect(text).toContain(
      [
        'Help first',
        'Give a little before you ask for anything.',
        '',
        '1. Dana Reyes',
        `   You told Dana "I'll introduce you to the Acme team" 4 days ago.`,
        '   “Intro to Acme”',
        '',
        'Waiting on a reply',
      ].join('\n'),
    );
    expect(text).toContain(
      [
        '2. Alice Smith',
        '   Assume the best: maybe they missed it. Reach out again.',
        '   “Quarterly numbers” · you wrote 3 days ago',
      ].join('\n'),
    );
    expect(text).not.toContain('more: reply');
  });

  it('says how many more a capped digest left out, with a `more` reply link in HTML', () => {
    const digest = aDigest(
      someRelationships({ help: Array.from({ length: 9 }, () => aHelpItem()) }),
    );

    const { text, html } = renderDigest(digest, options);

    expect(text).toContain('and 4 more: reply “more”');
    expect(html).toContain('and 4 more: reply <a');
    expect(html).toContain('href="mailto:reply+k1token@in.example.com?subject=');
  });
});
