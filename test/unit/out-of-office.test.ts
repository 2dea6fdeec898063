import { describe, expect, it } from 'vitest';
import { bouncedAddresses, isDeliveryFailureText, readOutOfOffice } from '#domain/out-of-office.ts';

// These tests must pass whatever the host's zone: run them with TZ=UTC and TZ=Pacific/Chatham.

/** Wednesday 25 November 2026, 10:00 in Berlin. */
const wednesday = new Date('2026-11-25T09:00:00Z');

const anAutoReply = (
  overrides: Partial<{ subject: string; text: string; sentAt: Date; timeZone: string }> = {},
) => ({
  subject: 'Automatic reply: The deck',
  text: 'Thank you for your message.',
  sentAt: wednesday,
  timeZone: 'Europe/Berlin',
  ...overrides,
});

describe('readOutOfOffice', () => {
  it.each<[string, string, string, string]>([
    ['until a day', 'Re: The deck', 'I am out of the office until 3 December.', '2026-12-03'],
    [
      'away until, reply when I return',
      'Re: The deck',
      "I'm away until Dec 3 and will reply when I return.",
      '2026-12-03',
    ],
    [
      'back on a weekday and date',
      'Out of Office: The deck',
      'Thanks for your email. I will be back on Monday 7 December.',
      '2026-12-07',
    ],
    [
      'back on a day of the month',
      'Out of Office',
      'I am on leave and back on the 3rd.',
      '2026-12-03',
    ],
    ['US month/day in English', 'Automatic reply: x', 'I am away, returning 12/3.', '2026-12-03'],
    [
      'a range',
      'Automatic reply: x',
      'I am out of the office from 1 to 5 December with limited access to email.',
      '2026-12-05',
    ],
    [
      'from … until …',
      'Automatic reply: x',
      'I am out of the office from Monday 30 November until Friday 4 December.',
      '2026-12-04',
    ],
    [
      'a return in the next year',
      'Automatic reply: x',
      'I am out of the office. I will return on 4 January.',
      '2027-01-04',
    ],
    [
      'a weekday alone',
      'Automatic reply: x',
      "I'm out of the office Friday. For pressing news matters, call the desk.",
      '2026-11-27',
    ],
    ['a relative day', 'Automatic reply: x', 'I am travelling today, back tomorrow.', '2026-11-26'],
    [
      'until, then the return',
      'Re: x',
      'Thank you for your email. I am out of the office with limited access to email until I return on 7 Dec.',
      '2026-12-07',
    ],
    [
      'German day.month',
      'Abwesenheitsnotiz: Das Deck',
      'Ich bin bis 3.12. nicht im Büro.',
      '2026-12-03',
    ],
    [
      'German full numeric date',
      'AW: Das Deck',
      'Vielen Dank für Ihre Nachricht. Ich bin bis zum 03.12.2026 nicht im Büro und habe keinen Zugriff auf E-Mails.',
      '2026-12-03',
    ],
    [
      'German return day',
      'Automatische Antwort: Das Deck',
      'Ab dem 7.12. bin ich wieder im Büro.',
      '2026-12-07',
    ],
    [
      'German month name',
      'Abwesenheitsnotiz',
      'Ich bin bis einschließlich 3. Dezember im Urlaub.',
      '2026-12-03',
    ],
    [
      'French',
      'Réponse automatique : Le deck',
      "Je suis absent jusqu'au 3 décembre.",
      '2026-12-03',
    ],
    [
      'French return day',
      'Réponse automatique : Le deck',
      'Je serai de retour le lundi 7 décembre.',
      '2026-12-07',
    ],
    [
      'Spanish',
      'Respuesta automática: El deck',
      'Estoy fuera de la oficina hasta el 3 de diciembre.',
      '2026-12-03',
    ],
    [
      'Spanish day/month',
      'Respuesta automática: El deck',
      'Estoy de vacaciones hasta el 12/3.',
      '2027-03-12',
    ],
  ])('%s', (_, subject, text, returnsOn) => {
    // Act
    const outOfOffice = readOutOfOffice(anAutoReply({ subject, text }));

    // Assess
    expect(outOfOffice).toEqual({ returnsOn });
  });

  it.each<[string, string, string]>([
    ['no date', 'Automatic reply: x', 'I am out of the office with limited access to email.'],
    ['only a subject says so', 'Automatic reply: x', 'Thank you for your message.'],
    ['a day already past', 'Automatic reply: x', 'I am out of the office until 3 November.'],
    ['a year already past', 'Automatic reply: x', 'I am on leave until 3 December 2025.'],
    ['more than a year ahead', 'Automatic reply: x', 'I am on leave until 3 December 2027.'],
    ['only the start of the absence', 'Automatic reply: x', 'I am on leave from 1 December.'],
  ])('is an out-of-office without a return day: %s', (_, subject, text) => {
    // Act
    const outOfOffice = readOutOfOffice(anAutoReply({ subject, text }));

    // Assess
    expect(outOfOffice).toEqual({ returnsOn: null });
  });

  it.each<[string, string, string]>([
    [
      'a plan to be away, with a question',
      'Re: x',
      "I'll be out of office next week, can we meet before?",
    ],
    ['being away, with a question', 'Re: x', "I'm away next week, can we meet before?"],
    ['a subject that only mentions it', 'Out of office next week?', 'Shall we move the call?'],
    [
      'a normal reply',
      'Re: The deck',
      'Thanks, I will read it properly when I am back at my desk.',
    ],
    ['a reply to an auto-reply', 'Re: Automatic reply: x', 'Enjoy your holiday!'],
    [
      'a bounce that says it was automatically generated',
      'Undelivered Mail Returned to Sender',
      'This is an automatically generated message. Your message could not be delivered.',
    ],
  ])('is not an out-of-office: %s', (_, subject, text) => {
    // Act
    const outOfOffice = readOutOfOffice(anAutoReply({ subject, text }));

    // Assess
    expect(outOfOffice).toBeNull();
  });

  it('reads only the auto-reply itself, not the message it quotes', () => {
    // Prepare
    const text = [
      'I am out of the office until 3 December.',
      '',
      'On Wed, 25 Nov 2026 at 09:30, Me <me@example.org> wrote:',
      '> Could you send me the deck by 1 December?',
    ].join('\n');

    // Act
    const outOfOffice = readOutOfOffice(anAutoReply({ subject: 'Re: The deck', text }));

    // Assess
    expect(outOfOffice).toEqual({ returnsOn: '2026-12-03' });
  });

  it.each<[string, string, string, string]>([
    ['within the month', '2026-11-25T09:00:00Z', 'back on the 3rd', '2026-12-03'],
    ['across the month end', '2026-11-30T09:00:00Z', 'back on the 3rd', '2026-12-03'],
    ['on the day itself: next month', '2026-12-03T09:00:00Z', 'back on the 3rd', '2027-01-03'],
    ['across the year end', '2026-12-28T09:00:00Z', 'back on the 2nd', '2027-01-02'],
    ['skipping a month without the day', '2026-02-01T09:00:00Z', 'back on the 30th', '2026-03-30'],
  ])('reads "the Nth" as the next one after sending: %s', (_, sentAt, phrase, returnsOn) => {
    // Prepare
    const text = `I am on holiday, ${phrase}.`;

    // Act
    const outOfOffice = readOutOfOffice(anAutoReply({ text, sentAt: new Date(sentAt) }));

    // Assess
    expect(outOfOffice).toEqual({ returnsOn });
  });

  it('counts the sending day in the user zone', () => {
    // Prepare: 23:30 UTC on 30 November is already 1 December in Auckland.
    const sentAt = new Date('2026-11-30T23:30:00Z');
    const text = 'I am on holiday, back on the 1st.';

    // Act
    const inLondon = readOutOfOffice(anAutoReply({ text, sentAt, timeZone: 'Europe/London' }));
    const inAuckland = readOutOfOffice(anAutoReply({ text, sentAt, timeZone: 'Pacific/Auckland' }));

    // Assess
    expect(inLondon).toEqual({ returnsOn: '2026-12-01' });
    expect(inAuckland).toEqual({ returnsOn: '2027-01-01' });
  });

  it.each<[string, string, string, string, string]>([
    [
      'Berlin, the night DST starts',
      '2026-03-28T23:30:00Z',
      'Europe/Berlin',
      'back tomorrow',
      '2026-03-30',
    ],
    ['UTC, the same moment', '2026-03-28T23:30:00Z', 'UTC', 'back tomorrow', '2026-03-29'],
    [
      'New York, the evening before DST starts',
      '2026-03-08T04:30:00Z',
      'America/New_York',
      'back tomorrow',
      '2026-03-08',
    ],
    [
      'Berlin, Friday before DST ends, back Monday',
      '2026-10-23T15:00:00Z',
      'Europe/Berlin',
      'back on Monday',
      '2026-10-26',
    ],
    [
      'Chatham, back Monday sent on a Sunday there',
      '2026-04-04T12:00:00Z',
      'Pacific/Chatham',
      'back on Monday',
      '2026-04-06',
    ],
  ])('reads relative days in DST weeks: %s', (_, sentAt, timeZone, phrase, returnsOn) => {
    // Prepare
    const text = `I am out of the office, ${phrase}.`;

    // Act
    const outOfOffice = readOutOfOffice(anAutoReply({ text, sentAt: new Date(sentAt), timeZone }));

    // Assess
    expect(outOfOffice).toEqual({ returnsOn });
  });

  it('reads the subject when the text names no day', () => {
    // Prepare
    const input = anAutoReply({
      subject: 'Away until 5 December',
      text: 'I am currently away and will respond to you upon my return.',
    });

    // Act
    const outOfOffice = readOutOfOffice(input);

    // Assess
    expect(outOfOffice).toEqual({ returnsOn: '2026-12-05' });
  });
});

describe('isDeliveryFailureText', () => {
  it.each<[string, string]>([
    ['Delivery Status Notification (Failure)', ''],
    ['Undeliverable: The deck', ''],
    ['Fwd: Undeliverable: The deck', ''],
    ['Undelivered Mail Returned to Sender', ''],
    ['Mail delivery failed: returning message to sender', ''],
    ['Returned mail: see transcript for details', ''],
    ['Unzustellbar: Das Deck', ''],
    ['WG: Unzustellbar: Das Deck', ''],
    ['Non remis : Le deck', ''],
    ['TR: Non remis : Le deck', ''],
    ['No se puede entregar: El deck', ''],
    ['Fwd: The deck', 'Delivery to the following recipient failed permanently:\n\n  alice@x.com'],
    [
      'Fwd: The deck',
      "Your message to alice@x.com couldn't be delivered.\nalice wasn't found at x.com.",
    ],
    [
      'Fwd: The deck',
      "I'm sorry to have to inform you that your message could not\nbe delivered to one or more recipients.",
    ],
    [
      'Fwd: The deck',
      'This message was created automatically by mail delivery software.\n\nA message that you sent could not be delivered to one or more of its\nrecipients.',
    ],
    ['WG: Das Deck', 'Die Nachricht konnte nicht an folgende Empfänger zugestellt werden:'],
    ['TR: Le deck', "Votre message n'a pas pu être remis à alice@x.com."],
    ['RV: El deck', 'No se pudo entregar el mensaje a alice@x.com.'],
  ])('is a delivery failure: %s', (subject, text) => {
    // Act
    const failed = isDeliveryFailureText(subject, text);

    // Assess
    expect(failed).toBe(true);
  });

  it.each<[string, string]>([
    ['Re: The deck', 'Thanks, got it!'],
    ['Re: Undeliverable: The deck', 'Sorry, my server was down. Here it is again.'],
    ['Parcel', 'The package delivery failed twice, so I picked it up myself.'],
    ['Automatic reply: The deck', 'I am out of the office until 3 December.'],
  ])('is not a delivery failure: %s', (subject, text) => {
    // Act
    const failed = isDeliveryFailureText(subject, text);

    // Assess
    expect(failed).toBe(false);
  });
});

describe('the addresses a delivery-failure report could not reach', () => {
  it.each<[string, string, string[]]>([
    [
      'Gmail',
      [
        '** Address not found **',
        '',
        "Your message wasn't delivered to raj@old.example because the address couldn't be found. Check for typos or unnecessary spaces and try again.",
        '',
        '----- Original message -----',
        '',
        'From: Mia Park <me@example.com>',
        'To: Raj Mehta <raj@old.example>, Bob <bob@y.example>',
      ].join('\n'),
      ['raj@old.example'],
    ],
    [
      'Exchange',
      [
        'Delivery has failed to these recipients or groups:',
        '',
        'Raj Mehta (raj@old.example)',
        "The email address you entered couldn't be found.",
        '',
        'Diagnostic information for administrators:',
        'Generating server: AM0PR07MB6211.eurprd07.prod.outlook.com',
        '',
        'Original message headers:',
        'From: Mia Park <me@example.com>',
        'Cc: bob@y.example',
      ].join('\n'),
      ['raj@old.example'],
    ],
    [
      'Postfix, with a delivery-status part',
      [
        'This is the mail system at host mx.example.com.',
        '',
        "I'm sorry to have to inform you that your message could not be delivered.",
        'For further assistance, please send mail to postmaster.',
        '',
        '<raj@old.example>: host mx.old.example said: 550 5.1.1 User unknown',
        '',
        'Reporting-MTA: dns; mx.example.com',
        'Final-Recipient: rfc822; raj@old.example',
        'Action: failed',
      ].join('\n'),
      ['raj@old.example'],
    ],
  ])('reads them from %s', (_, text, expected) => {
    expect(bouncedAddresses(text)).toEqual(expected);
  });

  it('names no report sender', () => {
    expect(
      bouncedAddresses(
        'Mail delivery failed. Contact mailer-daemon@x.example or postmaster@x.example.',
      ),
    ).toEqual([]);
  });
});
