import { describe, expect, it } from 'vitest';
import { readAsOf } from '#cli/as-of.ts';
import { closest, parseCommandLine, UsageError } from '#cli/command-line.ts';

describe('reading a moment for --as-of', () => {
  it.each([
    ['2026-03-05T08:00:00Z', '2026-03-05T08:00:00.000Z'],
    ['2026-03-05T08:00:00+01:00', '2026-03-05T07:00:00.000Z'],
    ['2026-03-05T08:00-05:30', '2026-03-05T13:30:00.000Z'],
    ['2026-03-05T08:00:00+0100', '2026-03-05T07:00:00.000Z'],
    ['2026-03-05t08:00:00.25z', '2026-03-05T08:00:00.250Z'],
    ['2028-02-29T23:59:59+13:45', '2028-02-29T10:14:59.000Z'],
  ])('reads %s as %s', (text, iso) => {
    expect(readAsOf(text).toISOString()).toBe(iso);
  });

  it.each([
    '2026-03-05',
    '2026-03-05T08:00:00',
    '2026-02-30T08:00:00Z',
    '2026-13-01T08:00:00Z',
    '2026-03-05T25:00:00Z',
    'yesterday',
    '5',
    '',
  ])('refuses %j', (text) => {
    expect(() => readAsOf(text)).toThrow(UsageError);
  });
});

describe('the command line', () => {
  it('suggests what was meant, and nothing when nothing is close', () => {
    expect(closest('jsn', ['json', 'help', 'as-of'])).toBe('json');
    expect(closest('asof', ['json', 'help', 'as-of'])).toBe('as-of');
    expect(closest('thread', ['threads', 'contacts'])).toBe('threads');
    expect(closest('frobnicate', ['threads', 'contacts'])).toBeUndefined();
  });

  it('reads a command with its operands and flags', () => {
    expect(
      parseCommandLine(['user', 'add', 'me@example.com', '--alias', 'a@x.org', '--alias=b@x.org']),
    ).toMatchObject({
      help: false,
      command: 'user add',
      operands: ['me@example.com'],
      alias: ['a@x.org', 'b@x.org'],
      json: false,
    });
    expect(parseCommandLine(['threads', 'me@example.com', '--as-of', '2026-03-05T08:00Z'])).toEqual(
      expect.objectContaining({ asOf: '2026-03-05T08:00Z' }),
    );
  });

  it('reads allow with a domain, --list or --remove, and refuses the mixtures', () => {
    expect(parseCommandLine(['allow', 'example.com'])).toMatchObject({
      command: 'allow',
      operands: ['example.com'],
      list: false,
      remove: false,
    });
    expect(parseCommandLine(['allow', '--list', '--json'])).toMatchObject({
      command: 'allow',
      operands: [],
      list: true,
      json: true,
    });
    expect(parseCommandLine(['allow', '--remove', 'example.com'])).toMatchObject({
      operands: ['example.com'],
      remove: true,
    });
    expect(() => parseCommandLine(['allow'])).toThrow('allow needs a domain, or --list');
    expect(() => parseCommandLine(['allow', '--remove'])).toThrow(
      'allow --remove needs the domain',
    );
    expect(() => parseCommandLine(['allow', '--list', 'example.com'])).toThrow(
      '--list takes no domain',
    );
    expect(() => parseCommandLine(['allow', 'a.com', 'b.com'])).toThrow('one too many');
  });

  it('answers help before any mistake', () => {
    expect(parseCommandLine(['frobnicate', '--jsn', '--help'])).toEqual({ help: true });
  });

  it('refuses a flag twice, a value for a switch, and a flag another command takes', () => {
    expect(() => parseCommandLine(['threads', 'me@x.org', '--as-of', 'a', '--as-of', 'b'])).toThrow(
      UsageError,
    );
    expect(() => parseCommandLine(['threads', 'me@x.org', '--json=yes'])).toThrow(
      '--json takes no value',
    );
    expect(() => parseCommandLine(['user', 'list', '--tz', 'UTC'])).toThrow(
      'user list does not take --tz',
    );
  });

  it('reads --aws with its region and stack prefix on every command', () => {
    expect(
      parseCommandLine(['redrive', '--aws', '--region', 'eu-west-1', '--stack-prefix', 'Staging']),
    ).toMatchObject({ command: 'redrive', aws: true, region: 'eu-west-1', stackPrefix: 'Staging' });
    expect(parseCommandLine(['user', 'list'])).toMatchObject({ aws: false });
    expect(parseCommandLine(['threads', 'me@x.org', '--aws'])).not.toHaveProperty('region');
  });

  it('refuses --region without --aws, a region that is none, and what a deployment does itself', () => {
    expect(() => parseCommandLine(['user', 'list', '--region', 'eu-west-1'])).toThrow(
      '--region goes with --aws',
    );
    expect(() => parseCommandLine(['user', 'list', '--aws', '--region', 'Ireland'])).toThrow(
      '--region Ireland is not an AWS region',
    );
    expect(() => parseCommandLine(['ingest', 'a.eml', '--aws'])).toThrow(
      'a deployment receives mail through SES',
    );
    expect(() => parseCommandLine(['digest', 'me@x.org', '--now', '--aws'])).toThrow(
      "sent by the deployment's schedule",
    );
  });
});
