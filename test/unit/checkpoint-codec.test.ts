import { isAscii } from 'node:buffer';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compressCheckpoint,
  decodeCheckpoint,
  decodeCold,
  decompressCheckpoint,
  encodeCheckpoint,
  encodeCold,
  packContact,
} from '#adapters/dynamodb/checkpoint-codec.ts';
import { nobody, type PausedContact, type SignalEvidence } from '#domain/help-first.ts';
import type { HistoryCheckpoint } from '#domain/history-checkpoint.ts';

const moment = fc
  .integer({ min: Date.parse('2000-01-01'), max: Date.parse('2040-01-01') })
  .map((ms) => new Date(ms).toISOString());

const evidence: fc.Arbitrary<SignalEvidence> = fc.record({
  at: moment,
  messageKey: fc.string({ minLength: 1, maxLength: 20 }),
  subject: fc.string({ maxLength: 30 }),
  signal: fc.oneof(
    fc.constant({ by: 'tag' as const }),
    fc.record({ by: fc.constant('phrase' as const), phrase: fc.string({ maxLength: 20 }) }),
  ),
});

/** Any paused contact: each field its default about half the time, so both ways are written. */
const pausedContact: fc.Arbitrary<PausedContact> = fc.record({
  address: fc.emailAddress(),
  name: fc.string({ maxLength: 20 }),
  touchesOut: fc.oneof(fc.constant(0), fc.nat(500)),
  touchesIn: fc.oneof(fc.constant(0), fc.nat(500)),
  lastOutAt: fc.option(moment),
  lastInAt: fc.option(moment),
  favoursGiven: fc.oneof(fc.constant(0), fc.nat(50)),
  favoursReceived: fc.oneof(fc.constant(0), fc.nat(50)),
  openPromises: fc.array(evidence, { maxLength: 3 }),
  openAsks: fc.array(evidence, { maxLength: 3 }),
  owed: fc.option(evidence),
  gave: fc.boolean(),
  lastTouch: fc.option(fc.integer({ min: 0, max: Date.parse('2040-01-01') })),
  answeredElsewhere: fc.option(moment),
  // Unsorted and repeated starts too; a start that is no whole millisecond is kept as written.
  settledStarts: fc.array(
    fc.oneof(fc.integer({ min: -1e13, max: 4e12 }), fc.double({ min: 0, max: 4e12, noNaN: true })),
    { maxLength: 14 },
  ),
});

const ann = (): PausedContact => ({ address: 'ann@x.com', name: 'Ann', ...nobody, touchesIn: 1 });

const aCheckpoint = (contacts: PausedContact[]): HistoryCheckpoint => ({
  builtAt: '2026-06-02T06:02:00.000Z',
  kept: [],
  ledger: { at: '2026-03-01T00:00:00.000Z', contacts },
});

describe('checkpoint codec: the JSON a checkpoint and the cold contacts are stored as', () => {
  it('gives back every paused contact as written', () => {
    fc.assert(
      fc.property(fc.array(pausedContact, { maxLength: 5 }), (contacts) => {
        const checkpoint = aCheckpoint(contacts);
        expect(decodeCheckpoint(encodeCheckpoint(checkpoint))).toEqual(checkpoint);
        const cold = contacts.map((contact) => ({ contact, since: '2026-03-01T00:00:00.000Z' }));
        expect(decodeCold(encodeCold(cold))).toEqual(cold);
      }),
      { numRuns: 1000 },
    );
  });

  it('gives every contact read the same fields in the same order, whichever were written', () => {
    const [bare, busy] = decodeCheckpoint(
      encodeCheckpoint(
        aCheckpoint([
          { address: 'ann@x.com', name: 'Ann', ...nobody },
          {
            ...{ address: 'bob@x.com', name: 'Bob', ...nobody },
            touchesOut: 3,
            gave: true,
            settledStarts: [1_700_000_000_000, 1_710_000_000_000],
          },
        ]),
      ),
    ).ledger.contacts;
    expect(Object.keys(bare as PausedContact)).toEqual(Object.keys(busy as PausedContact));
  });

  it('writes the contacts as columns, one a packed field, with no field name a contact', () => {
    const ann: PausedContact = { address: 'ann@x.com', name: 'Ann', ...nobody, touchesIn: 2 };
    const bob: PausedContact = { address: 'bob@x.com', name: 'Bob', ...nobody, gave: true };
    const written = JSON.parse(encodeCheckpoint(aCheckpoint([ann, bob])));
    expect(written.ledger.contacts).toBeUndefined();
    expect(written.ledger.columns.address).toEqual(['ann@x.com', 'bob@x.com']);
    expect(written.ledger.columns.touchesIn).toEqual([2, null]);
    expect(written.ledger.columns.gave).toEqual([null, true]);
    expect(decodeCheckpoint(JSON.stringify(written)).ledger.contacts).toEqual([ann, bob]);
  });

  it('writes the steps between settled starts in seconds, exact whatever the milliseconds', () => {
    const whole: PausedContact = {
      ...{ address: 'ann@x.com', name: 'Ann', ...nobody },
      settledStarts: [1_591_289_940_000, 1_607_057_940_000],
    };
    const odd: PausedContact = {
      ...{ address: 'bob@x.com', name: 'Bob', ...nobody },
      settledStarts: [1_591_289_940_123, 1_607_057_940_001, 1_607_057_940_002],
    };
    const written = JSON.parse(encodeCheckpoint(aCheckpoint([whole, odd, ann()])));
    expect(written.ledger.columns.startSeconds).toEqual([
      [1_591_289_940, 15_768_000],
      [1_591_289_940.123, 15_767_999.878, 0.001],
      null,
    ]);
    expect(written.ledger.columns.starts).toEqual([null, null, null]);
    expect(decodeCheckpoint(JSON.stringify(written)).ledger.contacts).toEqual([whole, odd, ann()]);
  });

  it('writes in milliseconds the steps that would not come back exact from seconds', () => {
    const far: PausedContact = {
      ...{ address: 'cy@x.com', name: 'Cy', ...nobody },
      settledStarts: [Number.MAX_SAFE_INTEGER],
    };
    const written = JSON.parse(encodeCheckpoint(aCheckpoint([far])));
    expect(written.ledger.columns.startSeconds).toEqual([null]);
    expect(written.ledger.columns.starts).toEqual([[Number.MAX_SAFE_INTEGER]]);
    expect(decodeCheckpoint(JSON.stringify(written)).ledger.contacts).toEqual([far]);
  });

  it('reads a checkpoint written with the steps in milliseconds (layout 2) as it was', () => {
    const bob: PausedContact = {
      ...{ address: 'bob@x.com', name: 'Bob', ...nobody },
      settledStarts: [1_591_289_940_000, 1_607_057_940_000],
    };
    const written = JSON.parse(encodeCheckpoint(aCheckpoint([bob])));
    written.ledger.columns.startSeconds = undefined;
    written.ledger.columns.starts = [[1_591_289_940_000, 15_768_000_000]];
    expect(decodeCheckpoint(JSON.stringify(written)).ledger.contacts).toEqual([bob]);
  });

  it('reads a checkpoint written with a packed contact a row (before columns) as it was', () => {
    const contact: PausedContact = {
      ...{ address: 'bob@x.com', name: 'Bob', ...nobody },
      touchesIn: 2,
      settledStarts: [1_591_289_940_000, 1_607_057_940_000],
    };
    const rows = {
      ...aCheckpoint([]),
      ledger: { at: '2026-03-01T00:00:00.000Z', contacts: [packContact(contact)] },
    };
    expect(decodeCheckpoint(JSON.stringify(rows))).toEqual(aCheckpoint([contact]));
  });

  it('reads a checkpoint written with whole contacts (before they were packed) as it was', () => {
    const contact: PausedContact = {
      ...{ address: 'bob@x.com', name: 'Bob', ...nobody },
      touchesIn: 2,
      settledStarts: [1_591_289_940_000, 1_607_057_940_000],
    };
    const written = JSON.stringify(aCheckpoint([contact]));
    expect(decodeCheckpoint(written)).toEqual(aCheckpoint([contact]));
  });

  it('writes every character beyond ASCII escaped, and reads back the very same text', () => {
    // Any text a name or a subject may hold: accents, emoji (a surrogate pair), a lone surrogate.
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 12 }),
      fc.constantFrom('José Müller', 'Zoë 🎉', 'Re: café – “done”', '\uD800 half', '€\u2028\u0085'),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(text, text), { maxLength: 4 }), (pairs) => {
        const contacts = pairs.map(
          ([name, subject], n): PausedContact => ({
            ...{ address: `p${n}@x.com`, name, ...nobody },
            openAsks: [
              { at: '2026-01-02T03:04:05.000Z', messageKey: 'k', subject, signal: { by: 'tag' } },
            ],
          }),
        );
        const checkpoint = aCheckpoint(contacts);
        const stored = compressCheckpoint(checkpoint);
        expect(isAscii(Buffer.from(encodeCheckpoint(checkpoint), 'latin1'))).toBe(true);
        expect(decompressCheckpoint(stored, 'br')).toEqual(checkpoint);
        const cold = contacts.map((contact) => ({ contact, since: '2026-03-01T00:00:00.000Z' }));
        expect(isAscii(Buffer.from(encodeCold(cold), 'latin1'))).toBe(true);
        expect(decodeCold(encodeCold(cold))).toEqual(cold);
      }),
      { numRuns: 200 },
    );
  });

  it('reads a checkpoint written as UTF-8 (before it was escaped to ASCII) as it was', () => {
    const contact: PausedContact = { address: 'jose@x.com', name: 'José 🎉', ...nobody };
    const written = gzipSync(Buffer.from(JSON.stringify(aCheckpoint([contact])), 'utf8'));
    expect(decompressCheckpoint(written, undefined)).toEqual(aCheckpoint([contact]));
  });

  it('writes a contact with years of conversations in a third less, gzip’d', () => {
    const contacts = Array.from(
      { length: 500 },
      (_, n): PausedContact => ({
        ...{ address: `p${n}@people${n % 97}.example`, name: `Person ${n}`, ...nobody },
        touchesOut: 60,
        touchesIn: 40,
        lastOutAt: '2025-12-04T00:59:00.000Z',
        lastTouch: 1_764_809_940_000 + n * 7_919_000,
        settledStarts: Array.from(
          { length: 12 },
          (_, k) => 1_591_289_940_000 + k * 15_768_000_000 + n * 7_919_000,
        ),
      }),
    );
    const whole = gzipSync(JSON.stringify(aCheckpoint(contacts))).length;
    const packed = gzipSync(encodeCheckpoint(aCheckpoint(contacts))).length;
    expect(packed).toBeLessThan(whole * 0.67);
  });
});
