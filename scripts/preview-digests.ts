/**
 * Writes sample digests to preview/ as .html and .txt, to look at in a browser or a mail client:
 * `npm run preview`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { composeDigest, type DigestSource } from '#domain/digest.ts';
import type { HelpItem } from '#domain/help-first.ts';
import { renderDigest } from '#domain/render-digest.ts';
import {
  aDueContact,
  aGoingQuietItem,
  aHelpItem,
  aLetGoContact,
  aThread,
  someRelationships,
} from '#test/builders/relationships.ts';
import { aUser } from '#test/builders/user.ts';

const now = new Date('2026-03-10T07:00:00Z');
const user = aUser();
const options = {
  replyAddress: 'reply+k1abcdefghijklmnopqrstuvwx@in.example.com',
  unsubscribeUrl: 'https://givefirst.example.com/unsubscribe?t=k1abcdefghijklmnopqrstuvwx',
};

const people = [
  ['Dana Reyes', 'Dana'],
  ['Priya Natarajan', 'Priya'],
  ['Tomás Ortega', 'Tomás'],
  ['Mei Chen', 'Mei'],
  ['Jonas Weber', 'Jonas'],
  ['Amara Okafor', 'Amara'],
  ['Lena Fischer', 'Lena'],
  ['Sam Lee', 'Sam'],
] as const;

/** The i-th of many Help-first candidates, cycling through the four kinds. */
function candidate(i: number): HelpItem {
  const [name, first] = people[i % people.length] ?? people[0];
  const address = `${first.toLowerCase()}${i}@example.net`;
  const evidence = (subject: string, phrase: string, day: number) => ({
    at: `2026-03-${String(day).padStart(2, '0')}T09:00:00.000Z`,
    messageKey: `m${i}`,
    subject,
    signal: { by: 'phrase' as const, phrase },
  });
  switch (i % 4) {
    case 0:
      return aHelpItem({
        address,
        name,
        reason: `You told ${first} "I'll introduce you to the Acme team" ${9 - (i % 8)} days ago.`,
        evidence: evidence('Intro to Acme', "I'll introduce you to the Acme team", 1 + (i % 8)),
      });
    case 1:
      return aHelpItem({
        kind: 'favour-owed',
        address,
        name,
        reason: `${first} helped you 5 days ago ("thank you so much for the intro to Lee") — a good moment to return the favour.`,
        evidence: evidence('Re: Coffee next week?', 'thank you so much for the intro to Lee', 5),
      });
    case 2:
      return aHelpItem({
        kind: 'give-before-ask',
        address,
        name,
        reason: `You asked ${first} for something ("could you review my draft"); is there something you could offer ${first} while that's open?`,
        evidence: evidence('Draft of the grant proposal', 'could you review my draft', 6),
      });
    default:
      return aGoingQuietItem({
        address,
        name,
        reason: `You and ${first} haven't written in 4 months (you usually do every 3 months).`,
      });
  }
}

const subjects = [
  'Quarterly numbers',
  'Re: Speaking at the March meetup',
  'Hiring a frontend engineer',
  'Board deck feedback',
  'Catch up in Lisbon?',
  'Your talk slides',
];

/** The i-th waiting reply, some of them on their last nudge. */
const dueThread = (i: number) => {
  const [name] = people[(i + 3) % people.length] ?? people[0];
  return aThread({
    subject: subjects[i % subjects.length] ?? 'Hello',
    contacts: [
      aDueContact({
        address: `waiting${i}@example.org`,
        name,
        since: `2026-0${i % 3 === 0 ? 2 : 3}-0${1 + (i % 6)}T09:00:00.000Z`,
        ...(i % 3 === 0
          ? { nudges: 1, reason: 'One last friendly nudge.' }
          : i === 4
            ? {
                reason:
                  'Assume the best: maybe they missed it. Reach out again. They were away until 6 March.',
              }
            : {}),
      }),
    ],
  });
};

const letGo = [
  aThread({ subject: 'Partnership idea', contacts: [aLetGoContact({ name: 'Bob Jones' })] }),
  aThread({ subject: 'Quick question', contacts: [aLetGoContact({ name: 'Carol Diaz' })] }),
];

const hostile = '<script>alert("x")</script> & \'quotes\' "too"';
const samples: Record<string, DigestSource> = {
  full: someRelationships({
    help: Array.from({ length: 40 }, (_, i) => candidate(i)),
    threads: [...Array.from({ length: 12 }, (_, i) => dueThread(i)), ...letGo],
  }),
  short: someRelationships({
    help: [candidate(0), candidate(3)],
    threads: [dueThread(1)],
  }),
  'waiting-only': someRelationships({
    threads: [dueThread(0), dueThread(2), letGo[0] ?? aThread()],
  }),
  hostile: someRelationships({
    help: [
      aHelpItem({
        name: `Zoë 👩‍👩‍👧‍👦 ${hostile}`,
        reason: `You told Zoë "${hostile}" 3 days ago.`,
        evidence: {
          at: '2026-03-07T09:00:00.000Z',
          messageKey: 'hostile1',
          subject: `${hostile} ${'very long subject '.repeat(27)}🎉🎉`,
          signal: { by: 'phrase', phrase: hostile },
        },
      }),
      aHelpItem({
        kind: 'favour-owed',
        name: 'דנה כהן',
        reason:
          'דנה helped you 2 days ago ("תודה רבה על העזרה") — a good moment to return the favour.',
      }),
      aGoingQuietItem({ name: 'محمد\u202e evil\u0007', address: 'mo@example.ae' }),
    ],
    threads: [
      aThread({
        subject: `Re: <img src=x onerror=alert(1)> ${'🎉'.repeat(200)}`,
        contacts: [aDueContact({ name: '"O\'Brien & Sons" <b>bold</b>' })],
      }),
      aThread({ subject: '', contacts: [aLetGoContact({ name: '<i>Eve</i>\r\nBcc: x@y' })] }),
    ],
  }),
};

const dir = join(process.cwd(), 'preview');
await mkdir(dir, { recursive: true });
for (const [name, relationships] of Object.entries(samples)) {
  const digest = composeDigest({ user, relationships, now });
  if (!digest) throw new Error(`sample ${name} has nothing to show`);
  const { subject, text, html } = renderDigest(digest, options);
  await writeFile(join(dir, `${name}.html`), html);
  await writeFile(join(dir, `${name}.txt`), `Subject: ${subject}\n\n${text}`);
  console.log(`preview/${name}.html  preview/${name}.txt  (${subject})`);
}
