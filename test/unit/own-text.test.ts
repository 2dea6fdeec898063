import { readFileSync } from 'node:fs';
import EmailReplyParser from 'email-reply-parser';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  asksSomething,
  ownText,
  replyParserInput,
  requestPhrases,
  snippetOf,
} from '#domain/own-text.ts';
import { corpusFiles, corpusPath } from '../support/corpus-files.ts';

/** Reply bodies shaped like the clients' own (see ../shared/corpus/reply-quoting/). */
const bodies = {
  gmail: [
    'Sounds great. I will bring the deck.',
    '',
    'On Tue, 3 Mar 2026 at 10:02, Ann Lee <ann@friends.test> wrote:',
    '> Hi,',
    '> Could you bring the deck on Thursday?',
    '> Ann',
    '',
  ].join('\n'),
  gmailSplitAttribution: [
    'Thanks for the update.',
    '',
    'On Mon, Aug 26, 2019 at 4:37 PM Dana Hiring Team <',
    'a-really-long-address+1234@hr.friends.test> wrote:',
    '',
    '> Could you send your CV?',
    '',
  ].join('\n'),
  outlookOriginalMessage: [
    'Thanks, that helps a lot.',
    '',
    '-----Original Message-----',
    'From: Ann Lee <ann@friends.test>',
    'Sent: Tuesday, March 3, 2026 10:02 AM',
    'To: Me <me@example.org>',
    'Subject: The deck',
    '',
    'Can you review this by Friday?',
    '',
  ].join('\n'),
  outlookForIos: [
    'Wed at 10am works for me.',
    '',
    'Get Outlook for iOS<https://aka.ms/o0ukef>',
    '________________________________',
    'From: Garret Zeiter <garret@friends.test>',
    'Sent: Thursday, September 26, 2019 11:35:12 AM',
    'To: Me <me@example.org>',
    'Subject: Interview',
    '',
    'Can you come in for an interview next week?',
    '',
  ].join('\n'),
  iphone: 'See you on Thursday then.\n\nSent from my iPhone',
  dashDashSignature:
    'Great seeing you yesterday!\n\n-- \nMe Myself\nFounder, Example Org\nCan I help? Call +49 30 1234',
  crlf: 'Could you call me tomorrow?\r\n\r\nOn Tue, 3 Mar 2026 at 10:02, Ann <ann@friends.test> wrote:\r\n> Hi\r\n',
};

describe('ownText', () => {
  it.each([
    ['a Gmail reply with > quotes', bodies.gmail, 'Sounds great. I will bring the deck.'],
    [
      'a Gmail reply whose attribution wraps',
      bodies.gmailSplitAttribution,
      'Thanks for the update.',
    ],
    [
      'an Outlook -----Original Message----- reply',
      bodies.outlookOriginalMessage,
      'Thanks, that helps a lot.',
    ],
    ['an Outlook for iOS reply', bodies.outlookForIos, 'Wed at 10am works for me.'],
    ['a Sent from my iPhone signature', bodies.iphone, 'See you on Thursday then.'],
    ['a "-- " signature', bodies.dashDashSignature, 'Great seeing you yesterday!'],
    ['a CRLF body', bodies.crlf, 'Could you call me tomorrow?'],
    [
      'lines that start with "On" but attribute nothing',
      'On the surface, this looks fine.\n\nOn average, it works.',
      'On the surface, this looks fine.\n\nOn average, it works.',
    ],
  ])('keeps only the new text of %s', (_, body, own) => {
    // Act
    const text = ownText(body);

    // Assess
    expect(text).toBe(own);
  });

  it.each(['', '   \n\n  '])('is empty for an empty body (%j)', (body) => {
    // Act
    const text = ownText(body);

    // Assess
    expect(text).toBe('');
  });
});

describe('asksSomething', () => {
  it.each([
    'Are you free for coffee on Thursday?',
    'Quick one: does the 14th still work ?',
    'Have you seen https://example.com/deck?',
    'Did you get the slides (https://example.com/s?id=4)?',
  ])('hears a question in %j', (text) => {
    // Act
    const asks = asksSomething(text);

    // Assess
    expect(asks).toBe(true);
  });

  /** One example per request phrase, in the order of requestPhrases. */
  const phraseExamples = [
    'Could you send me the deck when you have a minute.',
    'Would you be willing to introduce me to Dana.',
    'Please confirm the venue by Friday.',
    'Let me know what you think of the draft.',
    'Get back to me when you can.',
    'Looking forward to hearing from you.',
    'Do you know anyone at Acme.',
    'Are you available next week.',
    'Any thoughts on the second chapter.',
    "I'd love to hear your take on it.",
    'Hi Uwe, just checking in on this one.',
  ];

  it('has an example for every request phrase', () => {
    // Assess
    expect(phraseExamples).toHaveLength(requestPhrases.length);
  });

  it.each(phraseExamples.map((example, index) => [index, example] as const))(
    'hears request phrase %i in %j',
    (index, example) => {
      // Act
      const asks = asksSomething(example);

      // Assess
      expect(requestPhrases[index]?.test(example)).toBe(true);
      expect(asks).toBe(true);
    },
  );

  it.each([
    [
      'a thank-you note',
      'Thank you so much for the intro to Dana! Let me know if I can ever return the favour.',
    ],
    [
      'a thank-you with an offer',
      "Thanks again for your help. Please let me know if there's anything I can do.",
    ],
    ['an FYI', 'FYI: the meeting moved to 3pm. No action needed.'],
    ['a warm note', 'Great seeing you yesterday. Say hi to Sam from me.'],
    ['"could you not"', 'Could you not worry about the invoice, it is all sorted.'],
    ['a URL with a query', 'The slides are at https://example.com/deck?id=42 for reference.'],
    ['a www URL with a query', 'Booked: www.example.com/table?when=thu&n=2'],
    ['an empty text', ''],
  ])('hears nothing asked in %s', (_, text) => {
    // Act
    const asks = asksSomething(text);

    // Assess
    expect(asks).toBe(false);
  });

  it('does not hear the question in the quoted part of a reply', () => {
    // Prepare: the quote asks, the user's own text does not
    const body = bodies.outlookOriginalMessage;

    // Act
    const asks = asksSomething(ownText(body));

    // Assess
    expect(asksSomething(body)).toBe(true);
    expect(asks).toBe(false);
  });
});

describe('snippetOf', () => {
  it('makes one line of several', () => {
    // Act
    const snippet = snippetOf('  Hi Ann,\n\nAre you free\tThursday?\r\n ');

    // Assess
    expect(snippet).toBe('Hi Ann, Are you free Thursday?');
  });

  it('keeps a short text whole', () => {
    // Prepare
    const text = 'a'.repeat(140);

    // Act
    const snippet = snippetOf(text);

    // Assess
    expect(snippet).toBe(text);
  });

  it('truncates a long text to its length, with an ellipsis', () => {
    // Prepare
    const text = 'a'.repeat(141);

    // Act
    const snippet = snippetOf(text);

    // Assess
    expect(snippet).toBe(`${'a'.repeat(139)}…`);
  });

  it('takes another length, and leaves no space before the ellipsis', () => {
    // Act
    const snippet = snippetOf('Are you free on Thursday for coffee?', 14);

    // Assess
    expect(snippet).toBe('Are you free…');
  });

  it('never cuts an emoji in half', () => {
    // Prepare: the cut at 139 code units falls inside the emoji
    const text = `${'a'.repeat(138)}😀 and more after it`;

    // Act
    const snippet = snippetOf(text);

    // Assess
    expect(snippet).toBe(`${'a'.repeat(138)}…`);
  });
});

describe('ownText: what email-reply-parser keeps, cut off', () => {
  it.each([
    [
      'a starred Outlook header block',
      'Sounds good, see you then.\n\n*From:* Ann Lee <ann@friends.test>\n*Sent:* Monday, March 2, 2026 9:00 AM\n*Subject:* Lunch\n\nLunch on Tuesday?',
      'Sounds good, see you then.',
    ],
    [
      'a forwarded-message separator',
      'FYI, see below.\n\n---------- Forwarded message ---------\nFrom: Ann <ann@friends.test>\nDate: Mon, 2 Mar 2026\n\nThe numbers are in.',
      'FYI, see below.',
    ],
    [
      'an attribution folded over lines at the end',
      'Thanks, that works.\n\nOn Mon, 2 Mar 2026 at 09:00, Ann Lee\n<ann@friends.test> wrote:',
      'Thanks, that works.',
    ],
  ])('%s', (_, text, expected) => {
    expect(ownText(text)).toBe(expected);
  });

  it('keeps a sentence that merely ends with "wrote:" and names no date or address', () => {
    expect(ownText('Here is what the committee wrote:')).toBe('Here is what the committee wrote:');
  });
});

describe('replyParserInput: email-reply-parser sees less, and keeps the same text', () => {
  const parser = new EmailReplyParser();
  const sameVisibleText = (text: string) => {
    expect(parser.parseReply(replyParserInput(text))).toBe(parser.parseReply(text));
  };

  it('cuts a long quoted tail below a reply down to its first lines', () => {
    // Prepare
    const text = ['Sounds good.', '', 'On Tue, 3 Mar 2026, Ann <ann@friends.test> wrote:']
      .concat(Array.from({ length: 40 }, (_, i) => `> line ${i}`))
      .join('\n');

    // Act
    const input = replyParserInput(text);

    // Assess
    expect(input.split('\n')).toHaveLength(3 + 2);
    sameVisibleText(text);
  });

  it('reads whole a text where the parser would put what follows a header into it', () => {
    // Prepare: the parser rewrites "From: … <…>" with String.replace, where $' is the text after it.
    const text = `From: $' <a@b.c>\n>> deeper${'\n'.repeat(13)}`;

    // Act, Assess
    expect(replyParserInput(text)).toBe(text);
    sameVisibleText(text);
  });

  it.each(corpusFiles('reply-quoting', '.txt'))('reply-quoting corpus: %s', (file) => {
    const text = readFileSync(corpusPath('reply-quoting', file), 'utf8').replace(/\r\n/g, '\n');
    sameVisibleText(text);
    // The same body under a long quoted thread, as a reply to it would carry it.
    const quoted = text.split('\n').map((line) => `> ${line}`);
    sameVisibleText(['Agreed, thanks.', '', ...quoted, ...quoted].join('\n'));
  });

  it('gives the same visible text on generated replies with quoted tails', () => {
    const own = [
      'Hi Ann,',
      'Could you send it by Friday?',
      'It costs $5 or $$10 or $& or $` now.',
      "From: $' <ann@friends.test>",
      '',
      '  ',
      '-- ',
      '--',
      'Sent from my iPhone',
      'Best regards,',
      'Cheers',
      'On Tue, 3 Mar 2026 at 10:02, Ann Lee <ann@friends.test> wrote:',
      'On Tue, 3 Mar 2026 at 10:02, Ann Lee',
      '<ann@friends.test> wrote:',
      'wrote:',
      'On Mon, Bob wrote',
      'Le 3 mars 2026, Ann <ann@friends.test> a écrit :',
      'Am 3.3.2026 um 10:00 schrieb Ann <ann@friends.test>:',
      'Ann <ann@friends.test> schrieb:',
      'From: Ann Lee <ann@friends.test>',
      'From: Ann Lee',
      'Sent: Tuesday, March 3, 2026 10:02 AM',
      '-----Original Message-----',
      '2026-03-03 10:02 GMT+01:00 Ann <ann@friends.test>:',
      'Bob on Monday at 3 wrote:',
      '______________________________',
    ];
    const quoted = [
      '> Hi,',
      '>',
      '> > deeper',
      '>> deeper still',
      '> On Mon, Bob <bob@friends.test> wrote:',
      '> Bob on Monday at 3 wrote:',
      '> Bob <bob@friends.test> schrieb:',
      '> wrote:',
      '> 2026 from Bob <bob@friends.test>:',
      '> -- ',
      '> From: Bob <bob@friends.test>',
      '> $$ and $& and $1',
      '',
      ' ',
      '\t',
    ];
    // Mostly plain quoted lines, so that most tails are long enough to be cut.
    const quotedLine = fc.oneof(
      { arbitrary: fc.constant('> Could you send the deck?'), weight: 8 },
      { arbitrary: fc.constantFrom(...quoted), weight: 2 },
    );
    const reply = fc
      .tuple(
        fc.array(fc.constantFrom(...own), { maxLength: 12 }),
        fc.array(quotedLine, { maxLength: 40, size: 'max' }),
        fc.array(fc.constantFrom(...own, ...quoted), { maxLength: 2 }),
      )
      .map(([head, tail, end]) => [...head, ...tail, ...end].join('\n'));
    let cut = 0;
    fc.assert(
      fc.property(reply, (text) => {
        if (replyParserInput(text) !== text) cut++;
        sameVisibleText(text);
      }),
      { numRuns: 3000 },
    );
    expect(cut).toBeGreaterThan(250);
  });

  it('gives the same visible text on lines made of the words its patterns look for', () => {
    const words = ['On', 'wrote:', 'Am', 'schrieb', 'From:', 'Von:', 'Sent:', '>', '>>', '<a@b.c>'];
    const more = [
      '[a@b.c]',
      '2026-03-03',
      '10:02',
      '--',
      '-- ',
      'Regards,',
      '$$',
      '$&',
      "$'",
      '$`',
    ];
    const line = fc
      .array(fc.constantFrom(...words, ...more, 'écrit', 'Le', 'um', 'at', 'on', '', ' '), {
        maxLength: 6,
      })
      .map((w) => w.join(' '));
    const quotedLine = fc.oneof(
      { arbitrary: line.map((l) => `>${l}`), weight: 2 },
      { arbitrary: line, weight: 1 },
      { arbitrary: fc.constantFrom('', ' ', '> x', '> some quoted text', '>> deeper'), weight: 20 },
    );
    const reply = fc
      .tuple(
        fc.array(line, { maxLength: 10 }),
        fc.array(quotedLine, { maxLength: 40, size: 'max' }),
      )
      .map(([head, tail]) => [...head, ...tail].join('\n'));
    let cut = 0;
    fc.assert(
      fc.property(reply, (text) => {
        if (replyParserInput(text) !== text) cut++;
        sameVisibleText(text);
      }),
      { numRuns: 3000 },
    );
    expect(cut).toBeGreaterThan(150);
  });
});
