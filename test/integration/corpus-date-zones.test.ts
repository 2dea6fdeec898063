import { createReadStream } from 'node:fs';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { parseMail } from '#adapters/mail/parse-mail.ts';
import { dateOffsetMinutes, guessTimeZone } from '#domain/time-zone-guess.ts';
import { readZone } from '#use-cases/register-user.ts';
import { corpusFiles, corpusPath, corpusRuns } from '../support/corpus-files.ts';

const files = [
  ...corpusFiles('mailparser', '.eml').map((file) => ['mailparser', file] as const),
  ...corpusFiles('bounces', '.eml').map((file) => ['bounces', file] as const),
];

/**
 * The time zone a welcome guesses, over real mail: the Date header as the real parser keeps it,
 * read for its offset. Whatever a client wrote, the guess is a zone registration accepts, and a
 * guess from an offset has that offset at the mail's moment.
 */
describe.runIf(corpusRuns)('the zone guessed from real Date headers', () => {
  it.each(files)('%s/%s', async (family, file) => {
    // Prepare
    const email = await parseMail(createReadStream(corpusPath(family, file)));
    const at = email.date ?? new Date('2026-03-02T12:00:00Z');

    // Act
    const offset = dateOffsetMinutes(email.headers.date);
    const guess = guessTimeZone(offset, at);

    // Assess
    expect(readZone(guess.zone)).toEqual({ ok: true, value: guess.zone });
    if (guess.from === 'offset') {
      expect(DateTime.fromJSDate(at).setZone(guess.zone).offset).toBe(offset);
    }
  });

  it('reads an offset from most of them', async () => {
    const offsets = await Promise.all(
      files.map(async ([family, file]) =>
        dateOffsetMinutes(
          (await parseMail(createReadStream(corpusPath(family, file)))).headers.date,
        ),
      ),
    );
    expect(offsets.filter((o) => o !== null).length).toBeGreaterThan(files.length / 2);
  });
});
