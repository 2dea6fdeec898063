import { describe, expect, it } from 'vitest';
import { readAllowedDomain } from '#domain/allowed-domain.ts';
import { readJoinReply, welcomeText } from '#domain/join-mail.ts';

describe('readJoinReply', () => {
  it('reads a yes, with a zone and an hour on the lines below it', () => {
    expect(readJoinReply('Yes!\ntz Europe/Berlin\nat 7:30\n\nThanks,\nMia')).toEqual({
      yes: true,
      zone: 'Europe/Berlin',
      digestAt: '07:30',
      problems: [],
    });
  });

  it('reads only the new text: a yes in the quoted welcome is no yes', () => {
    const reply =
      'not now, thanks\n\nOn Fri, 27 Nov 2026, givefirst wrote:\n> To start, reply with:\n>\n>   yes\n';
    expect(readJoinReply(reply).yes).toBe(false);
  });

  it.each(['yes', 'Yes!', 'yes please', 'Yes, sign me up', 'OK, yes.', 'ja', 'Oui'])(
    'reads %j as yes',
    (line) => {
      expect(readJoinReply(line).yes).toBe(true);
    },
  );

  it.each(['Yesterday I wrote to you', 'no', 'not yet', 'what is this?'])(
    'reads %j as no yes',
    (line) => {
      expect(readJoinReply(line).yes).toBe(false);
    },
  );

  it('never reads the examples of a welcome quoted without marks (a client that does not quote)', () => {
    // Prepare: the whole welcome below the person's own line, as some clients forward it
    const welcome = welcomeText({
      mailDomain: 'in.example.com',
      guess: { zone: 'Europe/Berlin', from: 'offset' },
    });

    // Act
    const read = readJoinReply(`What is this?\n\n${welcome}`);

    // Assess
    expect(read).toEqual({ yes: false, problems: [] });
  });

  it('names a zone or an hour it cannot read', () => {
    const read = readJoinReply('yes\ntz Mars/Olympus\nat 25:00');
    expect(read.yes).toBe(true);
    expect(read.zone).toBeUndefined();
    expect(read.problems).toEqual([
      expect.stringContaining('"Mars/Olympus" is not a time zone'),
      expect.stringContaining('"25:00" is not a time of day'),
    ]);
  });
});

describe('welcomeText', () => {
  it('names the log address, the tags, the guessed zone and how to correct it', () => {
    const text = welcomeText({
      mailDomain: 'in.example.com',
      guess: { zone: 'Europe/Berlin', from: 'offset' },
    });
    expect(text).toContain('BCC log@in.example.com');
    for (const tag of ['fyi', 'ask', 'promise', 'gave', 'thanks', '3d, 2w, tomorrow, monday']) {
      expect(text).toContain(tag);
    }
    expect(text).toContain('guessed your time zone from your mail: Europe/Berlin');
    // The example correction names another zone than the guess.
    expect(text).toContain('tz America/New_York');
    expect(text).toMatch(/^ {2}yes$/m);
  });
});

describe('readAllowedDomain', () => {
  it.each([
    ['example.com', 'example.com'],
    ['@Example.COM', 'example.com'],
    ['bücher.example', 'xn--bcher-kva.example'],
  ])('%s → %s', (typed, domain) => {
    expect(readAllowedDomain(typed)).toEqual({ ok: true, domain });
  });

  it.each(['', 'localhost', 'not a domain', 'a@b.com', '-x.com', 'x..com'])(
    'refuses %j',
    (typed) => {
      expect(readAllowedDomain(typed).ok).toBe(false);
    },
  );
});
