import type { ContactLedger } from './help-first.ts';
import type { User } from './model.ts';
import { sendingState, sendingStateLabel } from './sending-state.ts';
import type { ThreadView } from './threads.ts';

/** One file of an export: what a mail attachment needs. */
export interface ExportFile {
  filename: string;
  contentType: string;
  content: string;
}

/**
 * What the files may hold, in bytes before transfer encoding. Base64 makes a part a third larger,
 * so 4.5 MB of files is a message of about 6 MB: well under SES's 10 MB for a raw message (and
 * its 40 MB with v2), and what most mailboxes accept.
 */
export const exportBudget = {
  contactsCsv: 600_000,
  threadsCsv: 1_200_000,
  json: 2_700_000,
} as const;

export interface DataExport {
  files: ExportFile[];
  /** What was left out to stay in bounds, as sentences (none when everything is there). */
  cut: string[];
  contacts: number;
  threads: number;
}

/**
 * A cell of a CSV file (RFC 4180): quoted when it holds a comma, a quote or a line break, quotes
 * doubled. A cell that starts with `=`, `+`, `-`, `@` (or a tab or carriage return) gets a leading
 * apostrophe: a spreadsheet would otherwise run it as a formula, and subjects and names are
 * written by whoever sent the mail (CSV formula injection).
 */
export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Rows of cells as CSV: CRLF line ends, a header row first. */
export function csvLines(rows: (string | number | boolean | null | undefined)[][]): string[] {
  return rows.map((row) => `${row.map(csvCell).join(',')}\r\n`);
}

/** As many lines as fit in `budget` bytes, in order: how many. */
function fitting(lines: string[], budget: number): number {
  let bytes = 0;
  for (const [i, line] of lines.entries()) {
    bytes += Buffer.byteLength(line);
    if (bytes > budget) return i;
  }
  return lines.length;
}

const contactHeader = [
  'address',
  'name',
  'messages_out',
  'messages_in',
  'last_out',
  'last_in',
  'favours_given',
  'favours_received',
  'open_promises',
  'open_asks',
  'owed_a_favour',
  'cadence_days',
  'rhythm_days',
  'two_way',
  'going_quiet',
  'let_go',
];

const threadHeader = [
  'thread',
  'subject',
  'first_at',
  'last_at',
  'messages',
  'contact',
  'name',
  'state',
  'due_on',
  'nudges',
  'since',
  'away_until',
  'reason',
];

const plural = (n: number, one: string, many: string) =>
  `${n.toLocaleString('en')} ${n === 1 ? one : many}`;

/**
 * A user's data as files: contacts.csv (the ledger), threads.csv (one row per thread and awaited
 * contact, with state and due date), settings.csv, and export.json with all of it. Contacts and
 * threads are listed most recent first; when they do not fit the budget the oldest are left out,
 * and `cut` says so. Pure: the same data makes the same files.
 */
export function buildDataExport(input: {
  user: User;
  ledger: ContactLedger[];
  threads: ThreadView[];
  now: Date;
}): DataExport {
  const { user, now } = input;
  const lastTouch = (c: ContactLedger) => [c.lastOutAt ?? '', c.lastInAt ?? ''].sort().at(-1) ?? '';
  const contacts = [...input.ledger].sort((a, b) => (lastTouch(a) < lastTouch(b) ? 1 : -1));
  const threads = [...input.threads].sort((a, b) => (a.lastAt < b.lastAt ? 1 : -1));

  const contactLines = csvLines(
    contacts.map((c) => [
      c.address,
      c.name,
      c.touchesOut,
      c.touchesIn,
      c.lastOutAt,
      c.lastInAt,
      c.favoursGiven,
      c.favoursReceived,
      c.openPromises.length,
      c.openAsks.length,
      c.owed !== null,
      c.cadenceDays,
      c.rhythmDays,
      c.twoWay,
      c.goingQuiet,
      c.letGo,
    ]),
  );
  const contactsKept = fitting(contactLines, exportBudget.contactsCsv);

  // One row per (thread, contact); a thread with no awaited contact is one row without one.
  const threadRows = threads.map((t) =>
    csvLines(
      (t.contacts.length > 0 ? t.contacts : [null]).map((c) => [
        t.threadKey,
        t.subject,
        t.firstAt,
        t.lastAt,
        t.messages,
        c?.address,
        c?.name,
        c?.state,
        c?.dueOn,
        c?.nudges,
        c?.since,
        c?.awayUntil,
        c?.reason,
      ]),
    ).join(''),
  );
  const threadsKept = fitting(threadRows, exportBudget.threadsCsv);

  const state = sendingStateLabel(sendingState(user, now));
  const settings: [string, string][] = [
    ['email', user.email],
    ['aliases', user.aliases.join(' ')],
    ['time_zone', user.timeZone],
    ['digest_at', user.digestAt],
    ['frequency', user.frequency ?? 'weekdays'],
    ['sending_state', state],
    ['never_log', user.neverLog.join(' ')],
    ['registered_at', user.createdAt],
  ];

  const jsonContacts = contacts.map((c) => `${JSON.stringify(c)}`);
  const jsonThreads = threads.map((t) => `${JSON.stringify(t)}`);
  // The JSON shares the budget between contacts and threads in the CSVs' proportion.
  const jsonContactsKept = fitting(jsonContacts, exportBudget.json / 3);
  const jsonThreadsKept = fitting(jsonThreads, exportBudget.json - exportBudget.json / 3);

  const cut: string[] = [];
  const said = (kept: number, all: number, what: string, where: string) => {
    if (kept < all) {
      cut.push(
        `${where} holds the ${plural(kept, what, `${what}s`)} most recently in touch of ${plural(all, what, `${what}s`)}; the ${plural(all - kept, 'older one was', 'older ones were')} left out to keep this mail small enough to arrive.`,
      );
    }
  };
  said(contactsKept, contacts.length, 'contact', 'contacts.csv');
  said(threadsKept, threads.length, 'thread', 'threads.csv');
  said(jsonContactsKept, contacts.length, 'contact', 'export.json');
  said(jsonThreadsKept, threads.length, 'thread', 'export.json');

  const json = [
    '{\n',
    `"exportedAt": ${JSON.stringify(now.toISOString())},\n`,
    `"settings": ${JSON.stringify({ ...Object.fromEntries(settings), aliases: user.aliases, never_log: user.neverLog })},\n`,
    `"cut": ${JSON.stringify(cut)},\n`,
    `"contacts": [\n${jsonContacts.slice(0, jsonContactsKept).join(',\n')}\n],\n`,
    `"threads": [\n${jsonThreads.slice(0, jsonThreadsKept).join(',\n')}\n]\n`,
    '}\n',
  ].join('');

  const csv = 'text/csv; charset=utf-8';
  // A byte-order mark: without it Excel reads UTF-8 as the local code page and garbles names.
  const bom = '\uFEFF';
  return {
    files: [
      {
        filename: 'contacts.csv',
        contentType: csv,
        content: [bom, ...csvLines([contactHeader]), ...contactLines.slice(0, contactsKept)].join(
          '',
        ),
      },
      {
        filename: 'threads.csv',
        contentType: csv,
        content: [bom, ...csvLines([threadHeader]), ...threadRows.slice(0, threadsKept)].join(''),
      },
      {
        filename: 'settings.csv',
        contentType: csv,
        content: [bom, ...csvLines([['setting', 'value'], ...settings])].join(''),
      },
      { filename: 'export.json', contentType: 'application/json', content: json },
    ],
    cut,
    contacts: contacts.length,
    threads: threads.length,
  };
}
