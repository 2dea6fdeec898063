import { describe, expect, it } from 'vitest';
import {
  findForwardedMessage,
  writtenDate,
  writtenMailboxes,
  writtenToTheMinute,
} from '#domain/forwarded-message.ts';
import type { Mailbox } from '#domain/model.ts';
import { aForwardToLog, body } from '#test/builders/forwarded-mail.ts';
import { aMailbox, aParsedEmail } from '#test/builders/parsed-email.ts';

const timeZone = 'Europe/Berlin';

interface Expected {
  from: Mailbox | null;
  to?: string[];
  cc?: string[];
  subject: string;
  /** The instant, as an ISO string in UTC. */
  date: string | null;
  /** The forwarded text starts with this. */
  text: string;
}

/** Forwards as the clients lay them out, each under the user's own note. */
const forwards: [string, string, string, Expected][] = [
  [
    'Gmail',
    'Fwd: Re: Intro',
    body(
      'FYI, Ann came back to me.',
      '',
      '---------- Forwarded message ---------',
      'From: Ann Lee <Ann@Friends.test>',
      'Date: Mon, Mar 2, 2026 at 10:15 AM',
      'Subject: Re: Intro',
      'To: Me <me@example.org>',
      'Cc: Bob Stone <bob@partner.test>, carol@partner.test',
      '',
      '',
      'Thanks for the intro! Bob, shall we talk on Thursday?',
      '',
      'On Fri, Feb 27, 2026 at 4:02 PM Me <me@example.org> wrote:',
      '> Ann, meet Bob.',
    ),
    {
      from: aMailbox('Ann Lee <ann@friends.test>'),
      to: ['Me <me@example.org>'],
      cc: ['Bob Stone <bob@partner.test>', 'carol@partner.test'],
      subject: 'Re: Intro',
      date: '2026-03-02T09:15:00.000Z',
      text: 'Thanks for the intro! Bob, shall we talk on Thursday?',
    },
  ],
  [
    'Gmail, the name in bold and no note',
    'Fwd: Intro',
    body(
      '---------- Forwarded message ---------',
      'From: *Ann Lee* <ann@friends.test>',
      'Date: Mon, Mar 2, 2026 at 10:15 AM',
      'Subject: Intro',
      'To: <me@example.org>',
      '',
      'Thursday works.',
    ),
    {
      from: aMailbox('Ann Lee <ann@friends.test>'),
      to: ['me@example.org'],
      subject: 'Intro',
      date: '2026-03-02T09:15:00.000Z',
      text: 'Thursday works.',
    },
  ],
  [
    'Gmail in German',
    'Fwd: Angebot',
    body(
      'Zur Info.',
      '',
      '---------- Forwarded message ---------',
      'Von: Anna Schmidt <anna@beispiel.de>',
      'Date: Mo., 2. März 2026 um 10:15 Uhr',
      'Subject: Angebot',
      'To: Ich <me@example.org>',
      '',
      '',
      'Anbei das Angebot.',
    ),
    {
      from: aMailbox('Anna Schmidt <anna@beispiel.de>'),
      to: ['Ich <me@example.org>'],
      subject: 'Angebot',
      date: '2026-03-02T09:15:00.000Z',
      text: 'Anbei das Angebot.',
    },
  ],
  [
    'Gmail in German, with the German separator and labels',
    'WG: Angebot',
    body(
      '---------- Weitergeleitete Nachricht ---------',
      'Von: Anna Schmidt <anna@beispiel.de>',
      'Datum: Montag, 2. März 2026 10:15',
      'Betreff: Angebot',
      'An: Ich <me@example.org>',
      '',
      'Anbei das Angebot.',
    ),
    {
      from: aMailbox('Anna Schmidt <anna@beispiel.de>'),
      to: ['Ich <me@example.org>'],
      subject: 'Angebot',
      date: '2026-03-02T09:15:00.000Z',
      text: 'Anbei das Angebot.',
    },
  ],
  [
    'Gmail in French',
    'Fwd: Devis',
    body(
      'Pour info.',
      '',
      '---------- Forwarded message ---------',
      'De : Anne Leroy <anne@exemple.fr>',
      'Date: lun. 2 mars 2026 à 10:15',
      'Subject: Devis',
      'To: <me@example.org>',
      '',
      'Voici le devis.',
    ),
    {
      from: aMailbox('Anne Leroy <anne@exemple.fr>'),
      to: ['me@example.org'],
      subject: 'Devis',
      date: '2026-03-02T09:15:00.000Z',
      text: 'Voici le devis.',
    },
  ],
  [
    'Gmail in Spanish',
    'Fwd: Presupuesto',
    body(
      '---------- Forwarded message ---------',
      'De: Ana García <ana@ejemplo.es>',
      'Date: lun, 2 mar 2026 a las 10:15',
      'Subject: Presupuesto',
      'To: <me@example.org>',
      '',
      'Te envío el presupuesto.',
    ),
    {
      from: aMailbox('Ana García <ana@ejemplo.es>'),
      to: ['me@example.org'],
      subject: 'Presupuesto',
      date: '2026-03-02T09:15:00.000Z',
      text: 'Te envío el presupuesto.',
    },
  ],
  [
    'Outlook, after its rule, with a semicolon list',
    'FW: Contract',
    body(
      'See below, Ann signed.',
      '',
      'Get Outlook for iOS<https://aka.ms/o0ukef>',
      '________________________________',
      'From: Ann Lee <ann@friends.test>',
      'Sent: Monday, March 2, 2026 10:15 AM',
      'To: Me <me@example.org>; Lee, Bob <bob@partner.test>',
      'Cc: Carol Diaz <carol@partner.test>',
      'Subject: RE: Contract',
      '',
      'The contract is signed.',
    ),
    {
      from: aMailbox('Ann Lee <ann@friends.test>'),
      to: ['Me <me@example.org>', 'Lee, Bob <bob@partner.test>'],
      cc: ['Carol Diaz <carol@partner.test>'],
      subject: 'RE: Contract',
      date: '2026-03-02T09:15:00.000Z',
      text: 'The contract is signed.',
    },
  ],
  [
    'Outlook classic: Original Message, [mailto:] and recipients by name only',
    'FW: Contract',
    body(
      '-----Original Message-----',
      'From: Ann Lee [mailto:ann@friends.test]',
      'Sent: Monday, March 2, 2026 10:15 AM',
      'To: Me Myself; Stone, Bob',
      'Subject: Contract',
      '',
      'The contract is signed.',
    ),
    {
      from: aMailbox('Ann Lee <ann@friends.test>'),
      to: [],
      subject: 'Contract',
      date: '2026-03-02T09:15:00.000Z',
      text: 'The contract is signed.',
    },
  ],
  [
    'Outlook, labels in bold and no separator',
    'FW: Contract',
    body(
      '*From:* Ann Lee <ann@friends.test>',
      '*Sent:* Monday, March 2, 2026 10:15:00 AM',
      '*To:* Me <me@example.org>',
      '*Subject:* Contract',
      '',
      'The contract is signed.',
    ),
    {
      from: aMailbox('Ann Lee <ann@friends.test>'),
      to: ['Me <me@example.org>'],
      subject: 'Contract',
      date: '2026-03-02T09:15:00.000Z',
      text: 'The contract is signed.',
    },
  ],
  [
    'Outlook for Mac, Date in the block and no separator',
    'FW: Contract',
    body(
      'Forwarding for the record.',
      '',
      'From: Ann Lee <ann@friends.test>',
      'Date: Monday, 2 March 2026 at 10:15',
      'To: Me <me@example.org>',
      'Subject: Contract',
      '',
      'The contract is signed.',
    ),
    {
      from: aMailbox('Ann Lee <ann@friends.test>'),
      to: ['Me <me@example.org>'],
      subject: 'Contract',
      date: '2026-03-02T09:15:00.000Z',
      text: 'The contract is signed.',
    },
  ],
  [
    'Outlook in German',
    'WG: Angebot',
    body(
      'Zur Ablage.',
      '',
      '________________________________',
      'Von: Anna Schmidt <anna@beispiel.de>',
      'Gesendet: Montag, 2. März 2026 10:15',
      'An: Ich <me@example.org>',
      'Cc: Bernd Müller <bernd@beispiel.de>',
      'Betreff: Angebot',
      '',
      'Anbei das Angebot.',
    ),
    {
      from: aMailbox('Anna Schmidt <anna@beispiel.de>'),
      to: ['Ich <me@example.org>'],
      cc: ['Bernd Müller <bernd@beispiel.de>'],
      subject: 'Angebot',
      date: '2026-03-02T09:15:00.000Z',
      text: 'Anbei das Angebot.',
    },
  ],
  [
    'Outlook classic in German',
    'WG: Angebot',
    body(
      '-----Ursprüngliche Nachricht-----',
      'Von: Anna Schmidt [mailto:anna@beispiel.de]',
      'Gesendet: Montag, 2. März 2026 10:15',
      'An: Ich',
      'Betreff: Angebot',
      '',
      'Anbei das Angebot.',
    ),
    {
      from: aMailbox('Anna Schmidt <anna@beispiel.de>'),
      to: [],
      subject: 'Angebot',
      date: '2026-03-02T09:15:00.000Z',
      text: 'Anbei das Angebot.',
    },
  ],
  [
    'an older German client, a numeric date',
    'WG: Ihre Anfrage',
    body(
      '-----Ursprüngliche Nachricht-----',
      'Von: Max Mustermann <max.m@beispiel.de>',
      'An: Ich <me@example.org>',
      'Betreff: Ihre Anfrage',
      'Datum: 25.11.2025 15:00',
      '',
      'Gern, bis Freitag.',
    ),
    {
      from: aMailbox('Max Mustermann <max.m@beispiel.de>'),
      to: ['Ich <me@example.org>'],
      subject: 'Ihre Anfrage',
      date: '2025-11-25T14:00:00.000Z',
      text: 'Gern, bis Freitag.',
    },
  ],
  [
    'Outlook in French',
    'TR: Devis',
    body(
      '________________________________',
      'De : Anne Leroy <anne@exemple.fr>',
      'Envoyé : lundi 2 mars 2026 10:15',
      'À : Moi <me@example.org>',
      'Cc : Paul Martin <paul@exemple.fr>',
      'Objet : Devis',
      '',
      'Voici le devis.',
    ),
    {
      from: aMailbox('Anne Leroy <anne@exemple.fr>'),
      to: ['Moi <me@example.org>'],
      cc: ['Paul Martin <paul@exemple.fr>'],
      subject: 'Devis',
      date: '2026-03-02T09:15:00.000Z',
      text: 'Voici le devis.',
    },
  ],
  [
    'Outlook in Spanish',
    'RV: Presupuesto',
    body(
      '________________________________',
      'De: Ana García <ana@ejemplo.es>',
      'Enviado: lunes, 2 de marzo de 2026 10:15',
      'Para: Yo <me@example.org>',
      'CC: Luis Pérez <luis@ejemplo.es>',
      'Asunto: Presupuesto',
      '',
      'Te envío el presupuesto.',
    ),
    {
      from: aMailbox('Ana García <ana@ejemplo.es>'),
      to: ['Yo <me@example.org>'],
      cc: ['Luis Pérez <luis@ejemplo.es>'],
      subject: 'Presupuesto',
      date: '2026-03-02T09:15:00.000Z',
      text: 'Te envío el presupuesto.',
    },
  ],
  [
    'Apple Mail',
    'Fwd: Coffee',
    body(
      'She said yes!',
      '',
      'Begin forwarded message:',
      '',
      'From: Ann Lee <ann@friends.test>',
      'Subject: Re: Coffee',
      'Date: 2 March 2026 at 10:15:00 CET',
      'To: Me <me@example.org>',
      '',
      'Thursday works!',
    ),
    {
      from: aMailbox('Ann Lee <ann@friends.test>'),
      to: ['Me <me@example.org>'],
      subject: 'Re: Coffee',
      date: '2026-03-02T09:15:00.000Z',
      text: 'Thursday works!',
    },
  ],
  [
    'Apple Mail in US English, a zone abbreviation',
    'Fwd: Coffee',
    body(
      'Begin forwarded message:',
      '',
      'From: Ann Lee <ann@friends.test>',
      'Subject: Re: Coffee',
      'Date: March 2, 2026 at 10:15:00 AM EST',
      'To: Me <me@example.org>',
      'Reply-To: ann@friends.test',
      '',
      'Thursday works!',
    ),
    {
      from: aMailbox('Ann Lee <ann@friends.test>'),
      to: ['Me <me@example.org>'],
      subject: 'Re: Coffee',
      date: '2026-03-02T15:15:00.000Z',
      text: 'Thursday works!',
    },
  ],
  [
    'iOS Mail, the forwarded block quoted',
    'Fwd: Coffee',
    body(
      'Sent from my iPhone',
      '',
      'Begin forwarded message:',
      '',
      '> From: Ann Lee <ann@friends.test>',
      '> Date: 2 March 2026 at 10:15:00 CET',
      '> To: Me <me@example.org>',
      '> Subject: Re: Coffee',
      '> ',
      '> Thursday works!',
    ),
    {
      from: aMailbox('Ann Lee <ann@friends.test>'),
      to: ['Me <me@example.org>'],
      subject: 'Re: Coffee',
      date: '2026-03-02T09:15:00.000Z',
      text: 'Thursday works!',
    },
  ],
  [
    'Apple Mail in German',
    'WG: Angebot',
    body(
      'Anfang der weitergeleiteten Nachricht:',
      '',
      'Von: Anna Schmidt <anna@beispiel.de>',
      'Betreff: Angebot',
      'Datum: 2. März 2026 um 10:15:30 MEZ',
      'An: Ich <me@example.org>',
      '',
      'Anbei das Angebot.',
    ),
    {
      from: aMailbox('Anna Schmidt <anna@beispiel.de>'),
      to: ['Ich <me@example.org>'],
      subject: 'Angebot',
      date: '2026-03-02T09:15:30.000Z',
      text: 'Anbei das Angebot.',
    },
  ],
  [
    'Apple Mail in French',
    'TR: Devis',
    body(
      'Début du message réexpédié :',
      '',
      'De: Anne Leroy <anne@exemple.fr>',
      'Objet: Devis',
      'Date: 2 mars 2026 à 10:15:00 UTC+1',
      'À: Moi <me@example.org>',
      '',
      'Voici le devis.',
    ),
    {
      from: aMailbox('Anne Leroy <anne@exemple.fr>'),
      to: ['Moi <me@example.org>'],
      subject: 'Devis',
      date: '2026-03-02T09:15:00.000Z',
      text: 'Voici le devis.',
    },
  ],
  [
    'Apple Mail in Spanish',
    'RV: Presupuesto',
    body(
      'Inicio del mensaje reenviado:',
      '',
      'De: Ana García <ana@ejemplo.es>',
      'Asunto: Presupuesto',
      'Fecha: 2 de marzo de 2026, 10:15:00 CET',
      'Para: Yo <me@example.org>',
      '',
      'Te envío el presupuesto.',
    ),
    {
      from: aMailbox('Ana García <ana@ejemplo.es>'),
      to: ['Yo <me@example.org>'],
      subject: 'Presupuesto',
      date: '2026-03-02T09:15:00.000Z',
      text: 'Te envío el presupuesto.',
    },
  ],
  [
    'Thunderbird, tab-aligned, an RFC 5322 date',
    'Fwd: Coffee',
    body(
      '-------- Forwarded Message --------',
      'Subject: \tRe: Coffee',
      'Date: \tMon, 2 Mar 2026 10:15:00 +0100',
      'From: \tAnn Lee <ann@friends.test>',
      'To: \tMe <me@example.org>',
      '',
      'Thursday works!',
    ),
    {
      from: aMailbox('Ann Lee <ann@friends.test>'),
      to: ['Me <me@example.org>'],
      subject: 'Re: Coffee',
      date: '2026-03-02T09:15:00.000Z',
      text: 'Thursday works!',
    },
  ],
  [
    'Thunderbird in German',
    'WG: Angebot',
    body(
      '-------- Weitergeleitete Nachricht --------',
      'Betreff: \tAngebot',
      'Datum: \tMon, 2 Mar 2026 10:15:00 +0100',
      'Von: \tAnna Schmidt <anna@beispiel.de>',
      'An: \tIch <me@example.org>',
      '',
      'Anbei das Angebot.',
    ),
    {
      from: aMailbox('Anna Schmidt <anna@beispiel.de>'),
      to: ['Ich <me@example.org>'],
      subject: 'Angebot',
      date: '2026-03-02T09:15:00.000Z',
      text: 'Anbei das Angebot.',
    },
  ],
  [
    'a note that ends "wrote:" above the forward',
    'Fwd: Intro',
    body(
      'Look what Ann wrote:',
      '',
      '---------- Forwarded message ---------',
      'From: Ann Lee <ann@friends.test>',
      'Date: Mon, Mar 2, 2026 at 10:15 AM',
      'Subject: Intro',
      'To: Me <me@example.org>',
      '',
      'Thursday works.',
    ),
    {
      from: aMailbox('Ann Lee <ann@friends.test>'),
      to: ['Me <me@example.org>'],
      subject: 'Intro',
      date: '2026-03-02T09:15:00.000Z',
      text: 'Thursday works.',
    },
  ],
  [
    'a forward of a forward: only the topmost block',
    'Fwd: Fwd: Intro',
    body(
      '---------- Forwarded message ---------',
      'From: Bob Stone <bob@partner.test>',
      'Date: Tue, Mar 3, 2026 at 8:00 AM',
      'Subject: Fwd: Intro',
      'To: Me <me@example.org>',
      '',
      'See what Ann says.',
      '',
      '---------- Forwarded message ---------',
      'From: Ann Lee <ann@friends.test>',
      'Date: Mon, Mar 2, 2026 at 10:15 AM',
      'Subject: Intro',
      'To: Bob Stone <bob@partner.test>',
    ),
    {
      from: aMailbox('Bob Stone <bob@partner.test>'),
      to: ['Me <me@example.org>'],
      subject: 'Fwd: Intro',
      date: '2026-03-03T07:00:00.000Z',
      text: 'See what Ann says.',
    },
  ],
  [
    'a From with a name only',
    'FW: Contract',
    body(
      '________________________________',
      'From: Ann Lee',
      'Sent: Monday, March 2, 2026 10:15 AM',
      'To: Me',
      'Subject: Contract',
      '',
      'The contract is signed.',
    ),
    {
      from: null,
      to: [],
      subject: 'Contract',
      date: '2026-03-02T09:15:00.000Z',
      text: 'The contract is signed.',
    },
  ],
];

describe('findForwardedMessage', () => {
  it.each(forwards)('reads an inline forward: %s', (_client, subject, text, expected) => {
    // Prepare
    const email = aForwardToLog(text, subject);

    // Act
    const found = findForwardedMessage(email, timeZone);

    // Assess
    expect(found).toMatchObject({
      how: 'inline',
      from: expected.from,
      subject: expected.subject,
      messageId: null,
      inReplyTo: [],
      references: [],
      headers: {},
    });
    expect(found?.date?.toISOString() ?? null).toBe(expected.date);
    if (expected.to) expect(found?.to).toEqual(expected.to.map(aMailbox));
    expect(found?.cc).toEqual((expected.cc ?? []).map(aMailbox));
    expect(found?.text.startsWith(expected.text), found?.text).toBe(true);
  });

  it('leaves the user’s own note out of the forwarded text', () => {
    // Prepare
    const email = aForwardToLog(forwards[0]?.[2] ?? '');

    // Act
    const found = findForwardedMessage(email, timeZone);

    // Assess
    expect(found?.text).not.toContain('FYI');
    expect(found?.text).toContain('> Ann, meet Bob.');
  });

  it('reads a date without an offset in the user’s time zone', () => {
    // Prepare
    const email = aForwardToLog(forwards[0]?.[2] ?? '');

    // Act
    const found = findForwardedMessage(email, 'America/New_York');

    // Assess
    expect(found?.date?.toISOString()).toBe('2026-03-02T15:15:00.000Z');
  });

  it.each<[string, string, string]>([
    [
      'a Gmail reply with a quote',
      'Re: Intro',
      body(
        'Sounds great, Thursday it is.',
        '',
        'On Mon, Mar 2, 2026 at 10:15 AM Ann Lee <ann@friends.test> wrote:',
        '> Thanks for the intro!',
        '> From: the whole team',
      ),
    ],
    [
      'a reply whose quote holds a forward',
      'Re: Fwd: Intro',
      body(
        'Thanks, I will call him.',
        '',
        'On Mon, Mar 2, 2026 at 10:15 AM Ann Lee <',
        'ann@friends.test> wrote:',
        '',
        '> ---------- Forwarded message ---------',
        '> From: Bob Stone <bob@partner.test>',
        '> Date: Mon, Mar 2, 2026 at 9:00 AM',
        '> Subject: Intro',
      ),
    ],
    [
      'a German reply ("Am … schrieb …:") above an Outlook block',
      'AW: Angebot',
      body(
        'Danke!',
        '',
        'Am 02.03.2026 um 10:15 schrieb Anna Schmidt <anna@beispiel.de>:',
        '-----Ursprüngliche Nachricht-----',
        'Von: Bernd Müller <bernd@beispiel.de>',
        'Gesendet: Montag, 2. März 2026 09:00',
        'Betreff: Angebot',
      ),
    ],
    [
      'an Outlook reply: its header block under a reply subject',
      'RE: Contract',
      body(
        'Great news, thank you.',
        '',
        '________________________________',
        'From: Ann Lee <ann@friends.test>',
        'Sent: Monday, March 2, 2026 10:15 AM',
        'To: Me <me@example.org>',
        'Subject: Contract',
        '',
        'The contract is signed.',
      ),
    ],
    [
      'a note that mentions "From: the team"',
      'Quarterly thanks',
      body(
        'Hi Ann,',
        '',
        'A small gift is on its way.',
        'From: the team, with thanks for a great quarter!',
        'Subject to customs, it should arrive on Friday.',
      ),
    ],
    ['a plain message', 'Coffee next week', 'Are you free for coffee on Thursday?'],
    ['an empty text', 'Fwd: Intro', ''],
  ])('finds no forward in %s', (_case, subject, text) => {
    // Prepare
    const email = aForwardToLog(text, subject);

    // Act
    const found = findForwardedMessage(email, timeZone);

    // Assess
    expect(found).toBeNull();
  });

  it('returns the attached message, with its headers, before any inline block', () => {
    // Prepare
    const attached = aParsedEmail({
      from: 'Ann Lee <ann@friends.test>',
      to: ['Me <me@example.org>'],
      cc: ['Bob Stone <bob@partner.test>'],
      subject: 'Re: Intro',
      date: new Date('2026-03-02T09:15:00Z'),
      messageId: '<reply.2@mail.friends.test>',
      inReplyTo: ['<intro.1@mail.example.org>'],
      references: ['<intro.1@mail.example.org>'],
      headers: { 'auto-submitted': 'auto-replied' },
      contentType: 'multipart/alternative',
      text: 'I am out of the office until Monday.',
    });
    const email = { ...aForwardToLog(forwards[0]?.[2] ?? ''), attachedMessage: attached };

    // Act
    const found = findForwardedMessage(email, timeZone);

    // Assess
    expect(found).toEqual({
      how: 'attached',
      from: aMailbox('Ann Lee <ann@friends.test>'),
      to: [aMailbox('Me <me@example.org>')],
      cc: [aMailbox('Bob Stone <bob@partner.test>')],
      subject: 'Re: Intro',
      date: new Date('2026-03-02T09:15:00Z'),
      dateToTheMinute: false,
      text: 'I am out of the office until Monday.',
      messageId: '<reply.2@mail.friends.test>',
      inReplyTo: ['<intro.1@mail.example.org>'],
      references: ['<intro.1@mail.example.org>'],
      headers: { 'auto-submitted': 'auto-replied' },
      contentType: 'multipart/alternative',
    });
  });
});

describe('writtenDate', () => {
  it.each<[string, string, string]>([
    ['Mon, Mar 2, 2026 at 10:15 AM', timeZone, '2026-03-02T09:15:00.000Z'],
    ['Monday, March 2, 2026 10:15 AM', timeZone, '2026-03-02T09:15:00.000Z'],
    ['Montag, 2. März 2026 10:15', timeZone, '2026-03-02T09:15:00.000Z'],
    ['2 March 2026 at 10:15:00 CET', 'America/Los_Angeles', '2026-03-02T09:15:00.000Z'],
    ['2. März 2026 um 10:15:30 MEZ', 'Asia/Tokyo', '2026-03-02T09:15:30.000Z'],
    ['Mon, 2 Mar 2026 10:15:00 +0100', 'Pacific/Chatham', '2026-03-02T09:15:00.000Z'],
    ['lundi 2 mars 2026 10:15', timeZone, '2026-03-02T09:15:00.000Z'],
    ['lunes, 2 de marzo de 2026 10:15', timeZone, '2026-03-02T09:15:00.000Z'],
    ['Monday, March 2, 2026 10:15 AM', 'Pacific/Chatham', '2026-03-01T20:30:00.000Z'],
    ['Sunday, March 29, 2026 10:15 AM', timeZone, '2026-03-29T08:15:00.000Z'],
  ])('reads "%s" in %s', (written, zone, expected) => {
    expect(writtenDate(written, zone)?.toISOString()).toBe(expected);
  });

  it('reads a numeric date the way the block’s language writes it', () => {
    expect(writtenDate('03/02/2026 10:15', timeZone, ['en'])?.toISOString()).toBe(
      '2026-03-02T09:15:00.000Z',
    );
    expect(writtenDate('03/02/2026 10:15', timeZone, ['de'])?.toISOString()).toBe(
      '2026-02-03T09:15:00.000Z',
    );
  });

  it('is null for text that names no day', () => {
    expect(writtenDate('sometime next week', timeZone)).toBeNull();
    expect(writtenDate('10:15 AM', timeZone)).toBeNull();
  });
});

describe('writtenToTheMinute', () => {
  it.each<[string, boolean]>([
    ['Mon, Nov 9, 2026 at 10:00\u202fAM', true],
    ['Monday, November 9, 2026 10:00 AM', true],
    ['9. November 2026 um 10:00', true],
    ['Mon, 9 Nov 2026 10:00:47 +0100', false],
    ['Mon, Nov 9, 2026', false],
  ])('reads "%s" as given to the minute: %s', (written, minute) => {
    expect(writtenToTheMinute(written, timeZone)).toBe(minute);
  });
});

describe('writtenMailboxes', () => {
  it.each<[string, string, string[]]>([
    ['a name and address', 'Ann Lee <Ann@Friends.test>', ['Ann Lee <ann@friends.test>']],
    ['a bare address', 'ann@friends.test', ['ann@friends.test']],
    ['Outlook’s [mailto:]', 'Ann Lee [mailto:ann@friends.test]', ['Ann Lee <ann@friends.test>']],
    [
      'a quoted name with a comma',
      '"Lee, Ann" <ann@friends.test>, bob@partner.test',
      ['Lee, Ann <ann@friends.test>', 'bob@partner.test'],
    ],
    [
      'a semicolon list with names only between',
      'Me Myself; Lee, Ann <ann@friends.test>; Bob Stone',
      ['Lee, Ann <ann@friends.test>'],
    ],
    [
      'a link written after the address',
      'Ann Lee <ann@friends.test<mailto:ann@friends.test>>',
      ['Ann Lee <ann@friends.test>'],
    ],
    [
      'an internationalised domain',
      'Jörg <jörg@bücher.example>',
      ['Jörg <jörg@xn--bcher-kva.example>'],
    ],
    ['a name only', 'the whole team', []],
  ])('reads %s', (_case, written, expected) => {
    expect(writtenMailboxes(written)).toEqual(expected.map(aMailbox));
  });
});
