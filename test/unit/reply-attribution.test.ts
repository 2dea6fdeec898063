import { describe, expect, it } from 'vitest';
import type { Attribution, Mailbox } from '#domain/model.ts';
import { attributionNames, topmostAttribution } from '#domain/reply-attribution.ts';

// These tests must pass whatever the host's zone: run them with TZ=UTC and TZ=Pacific/Chatham.

/** A reply body: the user's own text, then what their client put below it. */
const aReply = (...below: string[]) =>
  [
    'Thanks, that works for me.',
    '',
    'Best,',
    'Me',
    '',
    ...below,
    '> Could you send the deck?',
    '',
  ].join('\n');

const alice = { name: 'Alice Smith', address: 'alice@x.com' };

describe('topmostAttribution', () => {
  it.each<[string, string[], string, { name: string; address: string | null }, string]>([
    [
      'Gmail, English',
      ['On Tue, 3 Mar 2026 at 10:15, Alice Smith <alice@x.com> wrote:'],
      'Europe/London',
      alice,
      '2026-03-03T10:15:00Z',
    ],
    [
      'Gmail, US English, the address wrapped',
      ['On Tue, Mar 3, 2026 at 10:15 AM Alice Smith <', 'alice@x.com> wrote:'],
      'America/New_York',
      alice,
      '2026-03-03T15:15:00Z',
    ],
    [
      'Apple Mail',
      ['On Mar 3, 2026, at 10:15 AM, Alice Smith <alice@x.com> wrote:'],
      'America/Los_Angeles',
      alice,
      '2026-03-03T18:15:00Z',
    ],
    [
      'iOS Mail over three lines',
      ['On Mar 3, 2026,', 'at 10:15,', 'Alice Smith <alice@x.com> wrote:'],
      'Europe/Berlin',
      alice,
      '2026-03-03T09:15:00Z',
    ],
    [
      'a name without an address',
      ['On Tue, 3 Mar 2026 at 10:15, Alice Smith wrote:'],
      'UTC',
      { name: 'Alice Smith', address: null },
      '2026-03-03T10:15:00Z',
    ],
    [
      'an address in capitals, quoted name',
      ['On Tue, 3 Mar 2026 at 10:15, "Alice Smith" <Alice@X.COM> wrote:'],
      'UTC',
      alice,
      '2026-03-03T10:15:00Z',
    ],
    [
      'a written offset',
      ['On Tue, 2026-03-03 at 18:02 +0530, Alice Smith wrote:'],
      'America/New_York',
      { name: 'Alice Smith', address: null },
      '2026-03-03T12:32:00Z',
    ],
    [
      "Zoho's dashed form",
      ['---- On Tue, 03 Mar 2026 10:15:00 +0100 alice@x.com wrote ----'],
      'UTC',
      { name: '', address: 'alice@x.com' },
      '2026-03-03T09:15:00Z',
    ],
    [
      'Outlook header block',
      [
        '________________________________',
        'From: Alice Smith <alice@x.com>',
        'Sent: Tuesday, March 3, 2026 10:15 AM',
        'To: Me <me@example.org>',
        'Subject: The deck',
        '',
      ],
      'America/Chicago',
      alice,
      '2026-03-03T16:15:00Z',
    ],
    [
      'Outlook, starred labels and [mailto:]',
      [
        '*From:* Alice Smith [mailto:alice@x.com]',
        '*Sent:* Tuesday, March 3, 2026 10:15 AM',
        '*To:* me@example.org',
        '*Subject:* The deck',
        '',
      ],
      'UTC',
      alice,
      '2026-03-03T10:15:00Z',
    ],
    [
      'Outlook with -----Original Message-----',
      [
        '-----Original Message-----',
        'From: Alice Smith <alice@x.com>',
        'Sent: Tuesday, 3 March 2026 10:15',
        'To: Me',
        'Subject: RE: The deck',
        '',
      ],
      'Australia/Sydney',
      alice,
      '2026-03-02T23:15:00Z',
    ],
    [
      'Outlook, the sender wrapped onto a second line',
      [
        'From: Alice Smith',
        '<alice@x.com>',
        'Sent: Tuesday, March 3, 2026 10:15 AM',
        'Subject: The deck',
        '',
      ],
      'UTC',
      alice,
      '2026-03-03T10:15:00Z',
    ],
    [
      'Outlook, an internal sender without address',
      ['From: Smith, Alice', 'Sent: Tuesday, March 3, 2026 10:15 AM', 'To: Me', ''],
      'UTC',
      { name: 'Smith, Alice', address: null },
      '2026-03-03T10:15:00Z',
    ],
    [
      'German Apple Mail',
      ['Am 03.03.2026 um 10:15 schrieb Alice Smith <alice@x.com>:'],
      'Europe/Berlin',
      alice,
      '2026-03-03T09:15:00Z',
    ],
    [
      'German Gmail',
      ['Am Di., 3. März 2026 um 10:15 Uhr schrieb Alice Smith <alice@x.com>:'],
      'Europe/Berlin',
      alice,
      '2026-03-03T09:15:00Z',
    ],
    [
      'German Thunderbird, short year',
      ['Am 03.03.26 um 10:15 schrieb Alice Smith:'],
      'Europe/Berlin',
      { name: 'Alice Smith', address: null },
      '2026-03-03T09:15:00Z',
    ],
    [
      'German Outlook',
      [
        '-----Ursprüngliche Nachricht-----',
        'Von: Alice Smith <alice@x.com>',
        'Gesendet: Dienstag, 3. März 2026 10:15',
        'An: Ich <me@example.org>',
        'Betreff: Das Deck',
        '',
      ],
      'Europe/Berlin',
      alice,
      '2026-03-03T09:15:00Z',
    ],
    [
      'German Outlook with a numeric date',
      ['Von: Alice Smith <alice@x.com>', 'Datum: 03.03.2026 10:15', 'Betreff: Das Deck', ''],
      'Europe/Berlin',
      alice,
      '2026-03-03T09:15:00Z',
    ],
    [
      'French Gmail',
      ['Le mar. 3 mars 2026 à 10:15, Alice Smith <alice@x.com> a écrit :'],
      'Europe/Paris',
      alice,
      '2026-03-03T09:15:00Z',
    ],
    [
      'French Gmail wrapped, non-breaking space before the colon',
      ['Le mar. 3 mars 2026 à 10:15, Alice Smith <alice@x.com>', 'a écrit\u00a0:'],
      'Europe/Paris',
      alice,
      '2026-03-03T09:15:00Z',
    ],
    [
      'French Outlook',
      [
        'De : Alice Smith <alice@x.com>',
        'Envoyé : mardi 3 mars 2026 10:15',
        'À : Moi <me@example.org>',
        'Objet : Le deck',
        '',
      ],
      'Europe/Paris',
      alice,
      '2026-03-03T09:15:00Z',
    ],
    [
      'Spanish Gmail',
      ['El mar, 3 mar 2026 a las 10:15, Alice Smith (<alice@x.com>) escribió:'],
      'Europe/Madrid',
      alice,
      '2026-03-03T09:15:00Z',
    ],
    [
      'Spanish Apple Mail, the time after a comma',
      ['El 3 mar 2026, a las 10:15, Alice Smith <alice@x.com> escribió:'],
      'Europe/Madrid',
      alice,
      '2026-03-03T09:15:00Z',
    ],
    [
      'French Apple Mail',
      ['Le 3 mars 2026 à 10:15, Alice Smith <alice@x.com> a écrit :'],
      'Europe/Paris',
      alice,
      '2026-03-03T09:15:00Z',
    ],
    [
      'German, older Thunderbird order',
      ['Alice Smith <alice@x.com> schrieb am 03.03.2026 um 10:15:'],
      'Europe/Berlin',
      alice,
      '2026-03-03T09:15:00Z',
    ],
    [
      'Spanish Outlook',
      [
        'De: Alice Smith <alice@x.com>',
        'Enviado: martes, 3 de marzo de 2026 10:15',
        'Para: Yo <me@example.org>',
        'Asunto: El deck',
        '',
      ],
      'Europe/Madrid',
      alice,
      '2026-03-03T09:15:00Z',
    ],
    [
      'an attribution the client quoted too',
      ['> On Tue, 3 Mar 2026 at 10:15, Alice Smith <alice@x.com> wrote:'],
      'UTC',
      alice,
      '2026-03-03T10:15:00Z',
    ],
  ])('reads %s', (_, below, timeZone, sender, date) => {
    // Prepare
    const text = aReply(...below);

    // Act
    const attribution = topmostAttribution(text, timeZone);

    // Assess
    expect(attribution).toMatchObject(sender);
    expect(attribution?.date?.toISOString()).toBe(new Date(date).toISOString());
  });

  it('keeps the line(s) it read as evidence', () => {
    // Prepare
    const text = aReply('On Mar 3, 2026, at 10:15 AM, Alice Smith', '<alice@x.com>', 'wrote:');

    // Act
    const attribution = topmostAttribution(text, 'UTC');

    // Assess
    expect(attribution?.line).toBe(
      'On Mar 3, 2026, at 10:15 AM, Alice Smith\n<alice@x.com>\nwrote:',
    );
  });

  it('keeps the From and date lines of a header block as evidence', () => {
    // Prepare
    const text = aReply(
      'From: Alice Smith <alice@x.com>',
      'Sent: Tuesday, March 3, 2026 10:15 AM',
      'To: Me',
      '',
    );

    // Act
    const attribution = topmostAttribution(text, 'UTC');

    // Assess
    expect(attribution?.line).toBe(
      'From: Alice Smith <alice@x.com>\nSent: Tuesday, March 3, 2026 10:15 AM',
    );
  });

  it('takes the topmost attribution, not those deeper in the quote', () => {
    // Prepare
    const text = [
      'Agreed.',
      '',
      'On Wed, 4 Mar 2026 at 09:00, Bob Jones <bob@y.com> wrote:',
      '> Fine by me.',
      '>',
      '> On Tue, 3 Mar 2026 at 10:15, Alice Smith <alice@x.com> wrote:',
      '>> Could you send the deck?',
    ].join('\n');

    // Act
    const attribution = topmostAttribution(text, 'UTC');

    // Assess: whoever it names; the caller decides whether that is the awaited contact
    expect(attribution).toMatchObject({ name: 'Bob Jones', address: 'bob@y.com' });
  });

  it('takes the first Outlook block of a thread of blocks', () => {
    // Prepare
    const text = aReply(
      'From: Bob Jones <bob@y.com>',
      'Sent: Wednesday, March 4, 2026 9:00 AM',
      'Subject: RE: The deck',
      '',
      'Fine by me.',
      '',
      'From: Alice Smith <alice@x.com>',
      'Sent: Tuesday, March 3, 2026 10:15 AM',
      '',
    );

    // Act
    const attribution = topmostAttribution(text, 'UTC');

    // Assess
    expect(attribution?.address).toBe('bob@y.com');
  });

  it('has no date when the attribution writes no year', () => {
    // Prepare
    const text = aReply('On Wed, Dec 9, Alice Smith <alice@x.com> wrote:');

    // Act
    const attribution = topmostAttribution(text, 'UTC');

    // Assess
    expect(attribution).toMatchObject({ ...alice, date: null });
  });

  it('reads the date in the user zone across a DST change', () => {
    // Prepare: New York moves to EDT on Sunday 8 March 2026.
    const before = aReply('On Sat, Mar 7, 2026 at 10:15 AM Alice Smith <alice@x.com> wrote:');
    const after = aReply('On Mon, Mar 9, 2026 at 10:15 AM Alice Smith <alice@x.com> wrote:');

    // Act
    const dates = [before, after].map((text) =>
      topmostAttribution(text, 'America/New_York')?.date?.toISOString(),
    );

    // Assess
    expect(dates).toEqual(['2026-03-07T15:15:00.000Z', '2026-03-09T14:15:00.000Z']);
  });

  it.each<[string, string]>([
    ['no quote at all', 'Great seeing you yesterday!\n\nMe'],
    [
      'a forwarded message (Gmail)',
      [
        'See below.',
        '',
        '---------- Forwarded message ---------',
        'From: Alice Smith <alice@x.com>',
        'Date: Tue, Mar 3, 2026 at 10:15 AM',
        'Subject: The deck',
        'To: Me <me@example.org>',
        '',
        'Could you send the deck?',
      ].join('\n'),
    ],
    [
      'a forwarded message (Apple Mail)',
      [
        'FYI',
        '',
        'Begin forwarded message:',
        '',
        'From: Alice Smith <alice@x.com>',
        'Subject: The deck',
        'Date: 3 March 2026 at 10:15:00 GMT',
        '',
        'Could you send the deck?',
      ].join('\n'),
    ],
    [
      'a forwarded message (German)',
      [
        'Zur Info',
        '',
        '---------- Weitergeleitete Nachricht ---------',
        'Von: Alice Smith <alice@x.com>',
        'Date: Di., 3. März 2026 um 10:15 Uhr',
        '',
      ].join('\n'),
    ],
    [
      'an original-message line without a header block',
      'Thanks.\n\n-----Original Message-----\n\nHi, could you send the deck?\n',
    ],
    [
      'a quote without an attribution, then a deeper one',
      [
        'I agree with this part:',
        '',
        '> We should ship on Friday.',
        '> On Tue, 3 Mar 2026 at 10:15, Alice Smith <alice@x.com> wrote:',
        '>> Could you send the deck?',
      ].join('\n'),
    ],
    [
      'sentences starting with "On"',
      'On the one hand, yes.\n\nOn the other hand, she wrote: nothing.\n\nOn Thursday:\nlunch',
    ],
    ['"you wrote"', 'Noted.\n\nOn Nov 26, 2013 you wrote:\n> Hi'],
    ['"From:" in a sentence', 'The data comes From: our database, not From: elsewhere.\n'],
    ['a timestamp in the text', 'Logged at 03.03.2026 10:15 by the server.\n'],
  ])('finds none in %s', (_, text) => {
    // Act
    const attribution = topmostAttribution(text, 'UTC');

    // Assess
    expect(attribution).toBeNull();
  });

  it('reads CRLF line ends and HTML entities left by a converter', () => {
    // Prepare
    const text =
      'Sure.\r\n\r\nOn Tue, 3 Mar 2026 at 10:15, Alice &quot;Al&quot; Smith &lt;alice@x.com&gt; wrote:\r\n> Hi\r\n';

    // Act
    const attribution = topmostAttribution(text, 'UTC');

    // Assess
    expect(attribution).toMatchObject({ name: 'Alice "Al" Smith', address: 'alice@x.com' });
  });
});

describe('attributionNames', () => {
  const anAttribution = (overrides: Partial<Attribution>): Attribution => ({
    name: 'Alice Smith',
    address: null,
    date: null,
    line: 'On Tue, 3 Mar 2026 at 10:15, Alice Smith wrote:',
    ...overrides,
  });
  const contacts: Mailbox[] = [
    { name: 'Alice Smith', address: 'alice@x.com' },
    { name: 'Bob  Jones', address: 'bob@y.com' },
    { name: 'Sam Lee', address: 'sam@a.com' },
    { name: 'sam lee', address: 'sam@b.com' },
  ];

  it.each<[string, Partial<Attribution>, string | null]>([
    ['by address', { name: 'Someone', address: 'alice@x.com' }, 'alice@x.com'],
    ['by address, whatever the case', { name: '', address: 'ALICE@X.COM' }, 'alice@x.com'],
    ['an address that is no contact', { name: 'Alice Smith', address: 'alice@other.com' }, null],
    ['by one display name', { name: 'alice  smith' }, 'alice@x.com'],
    ['by a name with spacing of its own', { name: 'Bob Jones' }, 'bob@y.com'],
    ['a name two contacts share', { name: 'Sam Lee' }, null],
    ['a name no contact has', { name: 'Carol' }, null],
    ['no name and no address', { name: '' }, null],
  ])('%s', (_, overrides, expected) => {
    // Act
    const contact = attributionNames(anAttribution(overrides), contacts);

    // Assess
    expect(contact?.address ?? null).toBe(expected);
  });

  it('matches a contact listed twice by name once', () => {
    // Prepare
    const twice: Mailbox[] = [alice, { ...alice }];

    // Act
    const contact = attributionNames(anAttribution({ name: 'Alice Smith' }), twice);

    // Assess
    expect(contact).toEqual(alice);
  });
});
