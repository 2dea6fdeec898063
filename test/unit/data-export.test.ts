import { describe, expect, it } from 'vitest';
import { buildDataExport, csvCell, csvLines } from '#domain/data-export.ts';
import type { User } from '#domain/model.ts';

const user: User = {
  userId: 'u1',
  email: 'me@example.com',
  aliases: [],
  timeZone: 'Europe/Berlin',
  digestAt: '08:00',
  neverLog: ['@spam.example'],
  createdAt: '2026-01-01T00:00:00.000Z',
};

describe('the data export', () => {
  it('quotes cells as RFC 4180 says: commas, quotes and line breaks', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a, b')).toBe('"a, b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(null)).toBe('');
    expect(csvCell(3)).toBe('3');
    expect(csvLines([['a', 'b']])).toEqual(['a,b\r\n']);
  });

  it('puts an apostrophe before a cell a spreadsheet would run as a formula', () => {
    for (const cell of ['=HYPERLINK("http://x")', '+1', '-2+3', '@SUM(A1)', '\tx']) {
      expect(csvCell(cell).replace(/^"/, '').startsWith("'")).toBe(true);
    }
    expect(csvCell('=1,2')).toBe(`"'=1,2"`);
  });

  it('writes the settings, with the never-log list guarded too', () => {
    const built = buildDataExport({
      user,
      ledger: [],
      threads: [],
      now: new Date('2026-06-01T08:00:00Z'),
    });

    const settings = built.files.find((f) => f.filename === 'settings.csv')?.content ?? '';
    expect(settings).toContain("\r\nnever_log,'@spam.example\r\n");
    // In JSON, lists are lists, each setting once, under the CSV's names.
    const json = JSON.parse(built.files.find((f) => f.filename === 'export.json')?.content ?? '{}');
    expect(json.settings).toMatchObject({ never_log: ['@spam.example'], aliases: [] });
    expect(json.settings).not.toHaveProperty('neverLog');
    expect(built.cut).toEqual([]);
    expect(built.files.map((f) => f.filename)).toEqual([
      'contacts.csv',
      'threads.csv',
      'settings.csv',
      'export.json',
    ]);
  });
});
