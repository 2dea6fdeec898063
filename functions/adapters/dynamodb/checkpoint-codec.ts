import { isAscii } from 'node:buffer';
import { brotliCompressSync, brotliDecompressSync, constants, gunzipSync } from 'node:zlib';
import { nobody, type PausedContact } from '#domain/help-first.ts';
import type { ColdContact, HistoryCheckpoint } from '#domain/history-checkpoint.ts';

/**
 * The JSON a checkpoint and the cold contacts are stored as. A paused contact leaves out every field
 * that holds what a contact nothing was folded for holds (no touches, no favours, nothing open), and
 * writes when its settled conversations started as steps from one to the next (`starts`: the first
 * an epoch millisecond, then the milliseconds between, which compress far better): the ten-year
 * bench user's checkpoint is a third smaller, and every view reads, unpacks and parses it. Read
 * back, each contact is whole again; a contact written whole (before this) reads as it was.
 */
type Packed = Partial<PausedContact> &
  Pick<PausedContact, 'address' | 'name'> & { starts?: number[] };

const fields = Object.keys(nobody) as (keyof typeof nobody)[];

const isDefault = (value: unknown, fallback: unknown) =>
  value === fallback || (Array.isArray(value) && value.length === 0 && Array.isArray(fallback));

/** Steps from one start to the next, or null when one is not a whole number of milliseconds. */
function stepsOf(starts: readonly number[]): number[] | null {
  let previous = 0;
  const steps: number[] = [];
  for (const start of starts) {
    const step = start - previous;
    if (!Number.isSafeInteger(start) || !Number.isSafeInteger(step)) return null;
    steps.push(step);
    previous = start;
  }
  return steps;
}

/** The starts again, adding up the steps in place (the array is the parser's own). */
function startsOf(steps: number[]): number[] {
  for (let i = 1; i < steps.length; i++) steps[i] = (steps[i] as number) + (steps[i - 1] as number);
  return steps;
}

export function packContact(contact: PausedContact): Packed {
  const packed: Record<string, unknown> = { address: contact.address, name: contact.name };
  for (const field of fields) {
    const value = contact[field];
    if (isDefault(value, nobody[field])) continue;
    const steps = field === 'settledStarts' ? stepsOf(value as number[]) : null;
    if (steps) packed.starts = steps;
    else packed[field] = value;
  }
  return packed as Packed;
}

/** A packed contact's field as written: absent (undefined, or null in a column) when left out. */
type Read = <K extends keyof Packed>(key: K) => Packed[K] | null | undefined;

/** One literal of one shape per contact, whichever fields were written. */
function contactFrom(read: Read): PausedContact {
  const starts = read('starts');
  return {
    address: read('address') as string,
    name: read('name') as string,
    touchesOut: read('touchesOut') ?? 0,
    touchesIn: read('touchesIn') ?? 0,
    lastOutAt: read('lastOutAt') ?? null,
    lastInAt: read('lastInAt') ?? null,
    favoursGiven: read('favoursGiven') ?? 0,
    favoursReceived: read('favoursReceived') ?? 0,
    openPromises: read('openPromises') ?? [],
    openAsks: read('openAsks') ?? [],
    owed: read('owed') ?? null,
    gave: read('gave') ?? false,
    lastTouch: read('lastTouch') ?? null,
    answeredElsewhere: read('answeredElsewhere') ?? null,
    settledStarts: starts ? startsOf(starts) : (read('settledStarts') ?? []),
  };
}

const unpackContact = (p: Packed): PausedContact => contactFrom((key) => p[key]);

/**
 * A checkpoint's contacts are written as columns, one array a packed field (sixteen), with null
 * where a contact left the field out: no field name is written once a contact. The ten-year bench
 * checkpoint is 113 KB compressed against 137 with a packed contact a row (the 90-day one 80 against
 * 82.7); it reads no faster or slower. A checkpoint written with a contact a row reads as it was.
 *
 * The steps between settled starts are written in seconds (`startSeconds`, a fraction where a
 * start is not a whole second): a step in milliseconds is past the small integers JSON.parse reads
 * without allocating, a step in seconds is not for 34 years. The ten-year bench user's 24,000 steps
 * parsed in 0.52 ms against 1.01, and none is left on the heap for the collector to copy. Steps that
 * would not come back exact from seconds are written in milliseconds (`starts`), as before.
 */
type Columns = { [K in keyof Packed]-?: (Packed[K] | null)[] } & {
  startSeconds?: (number[] | null)[];
};
const columnKeys = ['address', 'name', ...fields, 'starts'] as (keyof Packed)[];

const inSeconds = (steps: readonly number[]) => {
  const seconds = steps.map((ms) => ms / 1000);
  return seconds.every((s, n) => Math.round(s * 1000) === steps[n]) ? seconds : null;
};

function columnsOf(contacts: readonly PausedContact[]): Columns {
  const packed = contacts.map(packContact);
  const columns = Object.fromEntries(
    columnKeys.map((key) => [key, packed.map((p) => p[key] ?? null)]),
  ) as Columns;
  const startSeconds = columns.starts.map((steps) => (steps ? inSeconds(steps) : null));
  // Steps written in seconds are not written again in milliseconds.
  columns.starts = columns.starts.map((steps, k) => (startSeconds[k] ? null : steps));
  return { ...columns, startSeconds };
}

function contactsOf(columns: Columns): PausedContact[] {
  const { startSeconds } = columns;
  if (startSeconds) {
    for (let k = 0; k < startSeconds.length; k++) {
      const seconds = startSeconds[k];
      if (!seconds) continue;
      // Back in milliseconds, where `starts` holds them (the parser's own arrays, changed in place).
      for (let n = 0; n < seconds.length; n++)
        seconds[n] = Math.round((seconds[n] as number) * 1000);
      columns.starts[k] = seconds;
    }
  }
  const read =
    (k: number): Read =>
    <K extends keyof Packed>(key: K) =>
      (columns[key] as (Packed[K] | null)[] | undefined)?.[k];
  return columns.address.map((_, k) => contactFrom(read(k)));
}

const beyondAscii = /[\u0080-\uffff]/g;
const escapeChar = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/**
 * JSON with every character beyond ASCII written as its `\u` escape. One such character anywhere
 * (a name with an accent, a dash in a subject) makes the whole text two bytes a character once
 * read back, which JSON.parse reads far more slowly: the ten-year bench checkpoint with one accented
 * name and a few subjects with a dash read in 30 ms against 12 when escaped. Escaped, the bytes are
 * all ASCII and read back as one-byte text (`textOf`); JSON.parse gives back the same strings.
 */
function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(beyondAscii, escapeChar);
}

/** Stored JSON as text: all ASCII (written by `asciiJson`) as one byte a character, else UTF-8. */
export function textOf(bytes: Buffer): string {
  return isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
}

export function encodeCheckpoint(checkpoint: HistoryCheckpoint): string {
  const { ledger } = checkpoint;
  return asciiJson({
    ...checkpoint,
    ledger: { at: ledger.at, columns: columnsOf(ledger.contacts) },
  });
}

/** The checkpoint as written, or the keys a checkpoint of an older layout has (the caller checks). */
export function decodeCheckpoint(json: string): HistoryCheckpoint & Record<string, unknown> {
  const checkpoint = JSON.parse(json);
  const { ledger } = checkpoint;
  // Columns, or (written before them) a packed or whole contact a row.
  if (ledger?.columns) checkpoint.ledger = { at: ledger.at, contacts: contactsOf(ledger.columns) };
  else if (ledger) ledger.contacts = ledger.contacts.map(unpackContact);
  // JSON dates come back as strings: an attribution's date is a Date again.
  for (const m of checkpoint.kept ?? []) {
    if (m.attribution)
      m.attribution.date = m.attribution.date ? new Date(m.attribution.date) : null;
  }
  return checkpoint;
}

export const encodeCold = (cold: ColdContact[]) =>
  asciiJson(cold.map(({ contact, since }) => ({ contact: packContact(contact), since })));

export const decodeCold = (json: string): ColdContact[] =>
  (JSON.parse(json) as { contact: Packed; since: string }[]).map(({ contact, since }) => ({
    contact: unpackContact(contact),
    since,
  }));

/**
 * How a checkpoint's chunks are compressed, named on its head: Brotli at quality 6 (the ten-year
 * bench checkpoint 137 KB against gzip's 191, unpacked as fast, packed in about 26 ms a refresh
 * against 15): fewer bytes for every view to read and for each refresh to write and delete. A head
 * that names none was written gzip'd, before.
 */
export const checkpointCompression = 'br';

/**
 * The layout of a checkpoint's JSON, named on its head: 3 for the steps between settled starts in
 * seconds, 2 for contacts in columns and all-ASCII text; a head that names none holds a contact a
 * row. Code that knows layout 2 reads no `startSeconds` and would fold without them: it reads a
 * layout-3 head as no checkpoint. A head naming a later layout was written by
 * newer code (the code before a rollback, or a function not yet updated during a deploy): this code
 * reads it as no checkpoint (the views read every message, the next refresh writes this layout)
 * rather than fail on what it cannot read.
 */
export const checkpointLayout = 3;

export function compressCheckpoint(checkpoint: HistoryCheckpoint): Buffer {
  const json = Buffer.from(encodeCheckpoint(checkpoint), 'latin1');
  return brotliCompressSync(json, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 6,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_SIZE_HINT]: json.length,
    },
  });
}

export function decompressCheckpoint(
  data: Uint8Array,
  compression: string | undefined,
): ReturnType<typeof decodeCheckpoint> {
  // The JSON in a few large pieces, not many of 16 KB.
  const options = { chunkSize: 256 * 1024 };
  const json =
    compression === checkpointCompression
      ? brotliDecompressSync(data, options)
      : gunzipSync(data, options);
  return decodeCheckpoint(textOf(json));
}
