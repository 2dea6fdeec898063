import { describe, expect, it } from 'vitest';
import {
  type Command,
  commandsMarker,
  maxLinesRead,
  readCommands,
  readTimeOfDay,
} from '#domain/reply-commands.ts';

// Thursday 3 December 2026, 10:00 in Berlin.
const context = { now: new Date('2026-12-03T09:00:00Z'), timeZone: 'Europe/Berlin' };

const read = (text: string, subject = 'Re: 2 people to help first') =>
  readCommands({ text, subject }, context);

/** The one command a line reads as, without the line it came from. */
function only(text: string): Omit<Command, 'line'> | { why: string } {
  const { commands, problems } = read(text);
  if (problems[0]) return { why: problems[0].why };
  const { line: _line, ...command } = commands[0] as Command;
  return command;
}

const n = (...numbers: number[]) => numbers.map((number) => ({ by: 'number', number }));

describe('readCommands: one line', () => {
  it.each<[string, unknown]>([
    ['snooze 2', { verb: 'snooze', targets: n(2), until: '2026-12-10' }],
    ['Snooze 2 3d', { verb: 'snooze', targets: n(2), until: '2026-12-06' }],
    ['SNOOZE 2 UNTIL MONDAY', { verb: 'snooze', targets: n(2), until: '2026-12-07' }],
    ['snooze 2 until dec 10', { verb: 'snooze', targets: n(2), until: '2026-12-10' }],
    ['snooze 1 3 next week', { verb: 'snooze', targets: n(1, 3), until: '2026-12-10' }],
    ['snooze 2 1 month', { verb: 'snooze', targets: n(2), until: '2027-01-02' }],
    ['snooze 2 jan 5', { verb: 'snooze', targets: n(2), until: '2027-01-05' }],
    [
      'snooze alice 2w',
      { verb: 'snooze', targets: [{ by: 'name', text: 'alice' }], until: '2026-12-17' },
    ],
    ['snooze', { verb: 'snooze', targets: 'all', until: '2026-12-10' }],
    ['tomorrow', { verb: 'snooze', targets: 'all', until: '2026-12-04' }],
    ['Monday', { verb: 'snooze', targets: 'all', until: '2026-12-07' }],
    ['thursday', { verb: 'snooze', targets: 'all', until: '2026-12-10' }],
    ['done 1 3', { verb: 'done', targets: n(1, 3) }],
    ['done 1, 3 and 4.', { verb: 'done', targets: n(1, 3, 4) }],
    ['done bob@y.com', { verb: 'done', targets: [{ by: 'name', text: 'bob@y.com' }] }],
    ['drop 4', { verb: 'drop', targets: n(4) }],
    ['let go 4', { verb: 'drop', targets: n(4) }],
    ['revive ivy', { verb: 'revive', target: { by: 'name', text: 'ivy' } }],
    ['cadence alice 30d', { verb: 'cadence', target: { by: 'name', text: 'alice' }, days: 30 }],
    [
      'cadence alice 2 months',
      { verb: 'cadence', target: { by: 'name', text: 'alice' }, days: 60 },
    ],
    ['never alice@X.com', { verb: 'never', address: 'alice@x.com' }],
    ['never @x.com', { verb: 'never', address: '@x.com' }],
    ['pause 2w', { verb: 'pause', until: '2026-12-17' }],
    ['pause until jan 5', { verb: 'pause', until: '2027-01-05' }],
    ['resume', { verb: 'resume' }],
    ['weekly', { verb: 'frequency', frequency: 'weekly' }],
    ['Daily', { verb: 'frequency', frequency: 'daily' }],
    ['weekdays', { verb: 'frequency', frequency: 'weekdays' }],
    ['at 7:30', { verb: 'at', time: '07:30' }],
    ['at 6pm', { verb: 'at', time: '18:00' }],
    ['tz America/New_York', { verb: 'tz', zone: 'America/New_York' }],
    ['more', { verb: 'more' }],
    ['help', { verb: 'help' }],
    ['settings', { verb: 'settings' }],
    ['unsubscribe', { verb: 'unsubscribe' }],
    ['export', { verb: 'export' }],
    ['forget alice@x.com', { verb: 'forget', address: 'alice@x.com' }],
    ['delete my data', { verb: 'delete-my-data' }],
  ])('%s', (line, expected) => {
    // Act
    const command = only(line);

    // Assess
    expect(command).toEqual(expected);
  });

  it.each<[string, string]>([
    ['snoze 2', 'did you mean “snooze”'],
    ['dne 1', 'did you mean “done”'],
    ['revive', 'revive takes one name'],
    ['snooze 2 until yesterday', 'not after today'],
    ['snooze 2 dec 1', 'not after today'],
    ['pause', 'say for how long'],
    ['pause 3 years', 'at most a year ahead'],
    ['at 25:00', 'write the hour'],
    ['at 7:10', 'write the hour'],
    ['tz Mars/Olympus', 'IANA zone'],
    ['never alice', 'never alice@x.com'],
    ['cadence alice 2d', 'between 7 days'],
    ['Vielen Dank, bis bald', 'not a command'],
    ['more please', 'takes nothing after it'],
  ])('%s is not understood', (line, why) => {
    // Act
    const command = only(line);

    // Assess
    expect(command).toEqual({ why: expect.stringContaining(why) });
  });
});

describe('readCommands: a whole reply', () => {
  it('reads several commands, one per line, and skips greetings and the name after a sign-off', () => {
    // Act
    const { commands, problems } = read('Hi,\n\nsnooze 2 until monday\ndone 3\n\nThanks!\nMe');

    // Assess
    expect(commands.map((c) => c.line)).toEqual(['snooze 2 until monday', 'done 3']);
    expect(problems).toEqual([]);
  });

  it('still names a line it did not understand before the sign-off', () => {
    // Act
    const { commands, problems } = read('frobnicate 3\ndone 1\nCheers,\nMia Park\nAcme Corp');

    // Assess
    expect(commands.map((c) => c.line)).toEqual(['done 1']);
    expect(problems).toEqual([{ line: 'frobnicate 3', why: expect.stringContaining('not') }]);
  });

  it.each([
    ['their first name', 'export\n\nNew'],
    ['their whole name, after a dash', 'export\n\n— New Person'],
    ["their address's local part", 'export\nnew'],
  ])("skips a line of the sender's own name without a sign-off: %s", (_, text) => {
    // Act
    const { commands, problems } = readCommands(
      { text, subject: 'Re: Welcome' },
      { ...context, signedBy: { name: 'New Person', address: 'new@example.com' } },
    );

    // Assess
    expect(commands.map((c) => c.verb)).toEqual(['export']);
    expect(problems).toEqual([]);
  });

  it("still names a line that is not only the sender's name", () => {
    // Act
    const { problems } = readCommands(
      { text: 'export\nNew plans', subject: 'Re: Welcome' },
      { ...context, signedBy: { name: 'New Person', address: 'new@example.com' } },
    );

    // Assess
    expect(problems).toEqual([{ line: 'New plans', why: expect.stringContaining('not') }]);
  });

  it('reads only the new text: the quoted digest below is not read', () => {
    // Prepare
    const text = [
      'done 1',
      '',
      'On Thu, 3 Dec 2026 at 08:00, givefirst <digest@in.givefirst.test> wrote:',
      '> 1. Alice',
      '>    Assume the best: maybe they missed it.',
      `> ${commandsMarker}`,
      '> Reply with: done 1 · snooze 2 3d · drop 3 · more · help',
    ].join('\n');

    // Act
    const { commands, problems } = read(text);

    // Assess
    expect(commands.map((c) => c.line)).toEqual(['done 1']);
    expect(problems).toEqual([]);
  });

  it('stops at the marker even when the quote was not recognised', () => {
    // Prepare
    const text = `drop 2\n${commandsMarker}\nReply with: done 1 · snooze 2 3d · drop 3 · more · help\n`;

    // Act
    const { commands, problems } = read(text);

    // Assess
    expect(commands.map((c) => c.line)).toEqual(['drop 2']);
    expect(problems).toEqual([]);
  });

  it('stops at the signature', () => {
    // Act
    const { commands } = read('more\n\n-- \nMe Myself\nunsubscribe\n');

    // Assess
    expect(commands.map((c) => c.verb)).toEqual(['more']);
  });

  it('reads the same command twice once, and says so', () => {
    // Act
    const { commands, problems } = read('done 1\nDone 1.\n');

    // Assess
    expect(commands).toHaveLength(1);
    expect(problems).toEqual([{ line: 'Done 1.', why: 'the same as a line above: done once' }]);
  });

  it('reads unsubscribe from the subject that the mailto: link sends', () => {
    // Act
    const { commands } = readCommands({ text: '', subject: 'unsubscribe' }, context);

    // Assess
    expect(commands).toEqual([{ verb: 'unsubscribe', line: 'unsubscribe' }]);
  });

  it('reads a 200-line reply only so far, and counts what it left', () => {
    // Prepare
    const text = Array.from({ length: 200 }, (_, i) => `done ${(i % 90) + 1}`).join('\n');

    // Act
    const { commands, unread } = read(text);

    // Assess
    expect(commands).toHaveLength(maxLinesRead);
    expect(unread).toBe(200 - maxLinesRead);
  });

  it('keeps a very long line out of the commands', () => {
    // Act
    const { commands, problems } = read(`done ${'1 '.repeat(300)}`);

    // Assess
    expect(commands).toEqual([]);
    expect(problems[0]?.why).toBe('too long to be a command');
  });
});

describe('readTimeOfDay', () => {
  it.each([
    ['7', '07:00'],
    ['07:30', '07:30'],
    ['7.45', '07:45'],
    ['12am', '00:00'],
    ['12pm', '12:00'],
    ['19h', '19:00'],
  ])('%s is %s', (text, time) => {
    expect(readTimeOfDay(text)).toBe(time);
  });
});
