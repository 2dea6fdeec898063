import { describe, expect, it } from 'vitest';
import { composeDigest, truncate, waitingLimit } from '#domain/digest.ts';
import {
  aDueContact,
  aGoingQuietItem,
  aHelpItem,
  aLetGoContact,
  aThread,
  someRelationships,
} from '#test/builders/relationships.ts';
import { aUser } from '#test/builders/user.ts';

const now = new Date('2026-03-05T07:00:00Z');
const user = aUser();
const compose = (relationships: ReturnType<typeof someRelationships>, shown?: Set<string>) =>
  composeDigest({ user, relationships, now, ...(shown ? { letGoAlreadyShown: shown } : {}) });
const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const graphemeCount = (s: string) =>
  [...new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(s)].length;

describe('composing the digest', () => {
  it('numbers items across the whole digest: Help first, then Waiting on a reply', () => {
    const relationships = someRelationships({
      help: [aHelpItem(), aGoingQuietItem()],
      threads: [aThread(), aThread({ contacts: [aDueContact(), aDueContact()] })],
    });

    const digest = compose(relationships);

    expect(digest?.items.map((i) => [i.number, i.section])).toEqual([
      [1, 'help-first'],
      [2, 'help-first'],
      [3, 'waiting'],
      [4, 'waiting'],
      [5, 'waiting'],
    ]);
  });

  it('keeps what a later command needs: kind, address, thread or message', () => {
    const promise = aHelpItem({ address: 'dana@d.example' });
    const thread = aThread({
      threadKey: 'thread-q1',
      subject: 'Quarterly numbers',
      contacts: [aDueContact({ address: 'alice@a.example', name: 'Alice Smith' })],
    });

    const digest = compose(someRelationships({ help: [promise], threads: [thread] }));

    expect(digest?.items[0]).toMatchObject({
      kind: 'promise',
      address: 'dana@d.example',
      messageKey: 'messageKey' in promise.evidence ? promise.evidence.messageKey : '',
      threadKey: null,
    });
    expect(digest?.items[1]).toMatchObject({
      kind: 'due',
      address: 'alice@a.example',
      threadKey: 'thread-q1',
      name: 'Alice Smith',
      subject: 'Quarterly numbers',
      reason: 'Assume the best: maybe they missed it. Reach out again.',
      when: 'you wrote 3 days ago',
    });
  });

  it('says "first wrote" once the user has nudged, and lists the longest waiting first', () => {
    const recent = aDueContact({ address: 'new@x.example', since: '2026-03-03T09:00:00Z' });
    const nudged = aDueContact({
      address: 'old@x.example',
      since: '2026-02-20T09:00:00Z',
      nudges: 1,
      reason: 'One last friendly nudge.',
    });

    const digest = compose(
      someRelationships({
        threads: [aThread({ contacts: [recent] }), aThread({ contacts: [nudged] })],
      }),
    );

    expect(digest?.items.map((i) => [i.address, i.when])).toEqual([
      ['old@x.example', 'you first wrote 13 days ago'],
      ['new@x.example', 'you wrote 2 days ago'],
    ]);
  });

  it('says a bounce is news: where the mail went and to find a new way, never "assume the best"', () => {
    const raj = aDueContact({
      address: 'raj@old.example',
      name: 'Raj Mehta',
      state: 'bounced',
      reason: "Your mail didn't arrive (the address bounced). Find a new way to reach them.",
    });

    const digest = compose(someRelationships({ threads: [aThread({ contacts: [raj] })] }));

    expect(digest?.items).toMatchObject([
      {
        section: 'waiting',
        address: 'raj@old.example',
        reason:
          "Your mail to Raj at raj@old.example didn't arrive (the address bounced). Find a new way to reach them.",
      },
    ]);
  });

  it('shows at most 5 Help-first items and counts the rest for `more`', () => {
    const help = Array.from({ length: 8 }, () => aHelpItem());

    const digest = compose(someRelationships({ help, more: 32 }));

    expect(digest?.items).toHaveLength(5);
    expect(digest?.more).toEqual({ 'help-first': 35, waiting: 0 });
  });

  it(`caps Waiting at ${waitingLimit}, numbered after Help first`, () => {
    const threads = Array.from({ length: waitingLimit + 3 }, () => aThread());

    const digest = compose(someRelationships({ help: [aHelpItem()], threads }));

    expect(digest?.items.at(-1)?.number).toBe(waitingLimit + 1);
    expect(digest?.more.waiting).toBe(3);
  });

  it.each([
    [1, 0, '1 person to help first'],
    [2, 0, '2 people to help first'],
    [0, 1, '1 waiting on a reply'],
    [0, 3, '3 waiting on replies'],
    [2, 3, '2 people to help first · 3 waiting on replies'],
    [1, 1, '1 person to help first · 1 waiting on a reply'],
  ])('counts %i to help and %i waiting in the subject', (help, waiting, subject) => {
    const relationships = someRelationships({
      help: Array.from({ length: help }, () => aHelpItem()),
      threads: Array.from({ length: waiting }, () => aThread()),
    });

    expect(compose(relationships)?.subject).toBe(subject);
  });

  it('counts people, not items, to help first', () => {
    const help = [
      aHelpItem({ address: 'sam@s.example' }),
      aGoingQuietItem({ address: 'sam@s.example' }),
    ];

    expect(compose(someRelationships({ help }))?.subject).toBe('1 person to help first');
  });

  it('is null when there is nothing to show', () => {
    const quiet = someRelationships({
      threads: [
        aThread({ contacts: [aDueContact({ state: 'waiting', reason: null })] }),
        aThread({ contacts: [aDueContact({ state: 'replied', reason: null })] }),
        aThread({ contacts: [aLetGoContact()] }),
      ],
    });

    expect(compose(someRelationships())).toBeNull();
    expect(compose(quiet)).toBeNull();
  });

  it('names let-go people once, in the footer, never numbered', () => {
    const relationships = someRelationships({
      help: [aHelpItem()],
      threads: [
        aThread({ threadKey: 't1', contacts: [aLetGoContact({ address: 'bob@b.example' })] }),
        aThread({ threadKey: 't2', contacts: [aLetGoContact({ address: 'bob@b.example' })] }),
        aThread({
          threadKey: 't3',
          contacts: [aLetGoContact({ address: 'carol@c.example', name: 'Carol Diaz' })],
        }),
      ],
    });

    const first = compose(relationships);
    const second = compose(relationships, new Set(first?.letGo.keys));

    expect(first?.items).toHaveLength(1);
    expect(first?.letGo.people).toEqual([
      { address: 'bob@b.example', name: 'Bob Jones' },
      { address: 'carol@c.example', name: 'Carol Diaz' },
    ]);
    expect(first?.letGo.keys).toHaveLength(3);
    expect(second?.letGo).toEqual({ people: [], keys: [] });
  });

  it('leaves out contacts on the never-log list, by address or domain', () => {
    const relationships = someRelationships({
      help: [aHelpItem({ address: 'a@never.example' }), aHelpItem({ address: 'b@ok.example' })],
      threads: [aThread({ contacts: [aDueContact({ address: 'x@never.example' })] })],
    });

    const digest = composeDigest({
      user: aUser({ neverLog: ['@never.example'] }),
      relationships,
      now,
    });

    expect(digest?.items.map((i) => i.address)).toEqual(['b@ok.example']);
  });

  it('does not repeat the subject or the time when the reason already says them', () => {
    const byTag = aHelpItem({
      kind: 'favour-owed',
      reason:
        'Dana helped you 4 days ago (in "Intro to Acme") — a good moment to return the favour.',
    });
    const ask = aHelpItem({
      kind: 'give-before-ask',
      reason: `You asked Dana for something ("could you"); is there something you could offer Dana while that's open?`,
    });

    const digest = compose(someRelationships({ help: [byTag, ask] }));

    expect(digest?.items.map((i) => [i.subject, i.when])).toEqual([
      [null, null],
      ['Intro to Acme', '4 days ago'],
    ]);
  });

  it('shows names and subjects as written, on one line, capped with an ellipsis', () => {
    const long = `${'Budget '.repeat(11)}👩‍👩‍👧‍👦👩‍👩‍👧‍👦👩‍👩‍👧‍👦 ${'x'.repeat(420)}`;
    const thread = aThread({
      subject: long,
      contacts: [aDueContact({ name: '"Ann\r\nBcc: evil@x.example\u0007\u202e"' })],
    });

    const item = compose(someRelationships({ threads: [thread] }))?.items[0];

    expect(item?.name).toBe('Ann Bcc: evil@x.example');
    expect(item?.subject?.endsWith('…')).toBe(true);
    expect(graphemeCount(item?.subject ?? '')).toBeLessThanOrEqual(80);
    expect(item?.subject).not.toMatch(loneSurrogate);
  });
});

describe('truncating shown text', () => {
  it('leaves short text alone', () => {
    expect(truncate('Quarterly numbers', 80)).toBe('Quarterly numbers');
  });

  it('never cuts inside a surrogate pair or an emoji sequence', () => {
    const family = '👩‍👩‍👧‍👦';
    for (let max = 2; max < 12; max++) {
      const cut = truncate(`a${family.repeat(20)}`, max);

      expect(cut).not.toMatch(loneSurrogate);
      expect(cut.replace('…', '').replace('a', '').split(family).join('')).toBe('');
      expect(graphemeCount(cut)).toBeLessThanOrEqual(max);
    }
  });

  it('cuts at a word break when one is near, without trailing punctuation', () => {
    expect(truncate('Lunch next week, maybe at the new place?', 20)).toBe('Lunch next week…');
  });

  it('bounds one enormous cluster too', () => {
    const zalgo = `a${'\u0301'.repeat(5000)} and more`;

    expect(truncate(zalgo, 10).length).toBeLessThan(100);
  });
});
