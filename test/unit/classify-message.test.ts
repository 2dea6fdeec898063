import { describe, expect, it } from 'vitest';
import { classifyMessage } from '#domain/classify-message.ts';
import type { Classification } from '#domain/model.ts';
import { aParsedEmail } from '#test/builders/parsed-email.ts';

describe('classifyMessage', () => {
  it.each<[string, Record<string, string>, Classification, string]>([
    [
      'Auto-Submitted: auto-replied',
      { 'auto-submitted': 'auto-replied' },
      'auto-reply',
      'auto-submitted: auto-replied',
    ],
    [
      'Auto-Submitted: auto-generated',
      { 'auto-submitted': 'Auto-Generated' },
      'auto-reply',
      'auto-submitted: auto-generated',
    ],
    [
      'Auto-Submitted: auto-notified',
      { 'auto-submitted': 'auto-notified' },
      'auto-reply',
      'auto-submitted: auto-notified',
    ],
    [
      'Auto-Submitted: notification, which only starts like no',
      { 'auto-submitted': 'notification' },
      'auto-reply',
      'auto-submitted: notification',
    ],
    ['X-Autoreply', { 'x-autoreply': 'yes' }, 'auto-reply', 'x-autoreply'],
    ['X-Autorespond', { 'x-autorespond': 'Out of office' }, 'auto-reply', 'x-autorespond'],
    ['Precedence: bulk', { precedence: 'bulk' }, 'auto-reply', 'precedence: bulk'],
    ['Precedence: junk', { precedence: ' Junk ' }, 'auto-reply', 'precedence: junk'],
    ['Precedence: list', { precedence: 'list' }, 'mailing-list', 'precedence: list'],
    ['an empty Return-Path', { 'return-path': '<>' }, 'auto-reply', 'empty return-path'],
    [
      'an empty Return-Path with spaces',
      { 'return-path': ' < > ' },
      'auto-reply',
      'empty return-path',
    ],
    [
      'List-Id',
      { 'list-id': 'Riak Users <riak-users.lists.basho.com>' },
      'mailing-list',
      'list-id',
    ],
  ])('calls a message with %s automated', (_, headers, classification, because) => {
    // Prepare
    const email = aParsedEmail({ headers });

    // Act
    const judged = classifyMessage(email);

    // Assess
    expect(judged).toEqual({ classification, because });
  });

  it.each<[string, Record<string, string>]>([
    ['no automation headers', {}],
    ['Auto-Submitted: no', { 'auto-submitted': 'no' }],
    ['Auto-Submitted: No (a person wrote this)', { 'auto-submitted': 'No (a person wrote this)' }],
    ['a real Return-Path', { 'return-path': '<me@example.org>' }],
    ['Precedence: first-class', { precedence: 'first-class' }],
  ])('calls a message with %s personal', (_, headers) => {
    // Prepare
    const email = aParsedEmail({ headers });

    // Act
    const judged = classifyMessage(email);

    // Assess
    expect(judged).toEqual({ classification: 'personal', because: 'no automation headers' });
  });

  it.each(['multipart/report', 'Multipart/Report'])('calls a %s a bounce', (contentType) => {
    // Prepare: a bounce usually says it is auto-submitted as well
    const email = aParsedEmail({ contentType, headers: { 'auto-submitted': 'auto-replied' } });

    // Act
    const judged = classifyMessage(email);

    // Assess
    expect(judged).toEqual({ classification: 'bounce', because: 'content-type multipart/report' });
  });
});

describe('classifyMessage: plain-text delivery reports', () => {
  const person = { address: 'ann@friends.test', name: 'Ann' };
  const daemon = { address: 'MAILER-DAEMON@mx.example.net', name: 'Mail Delivery System' };

  it.each<[string, Parameters<typeof classifyMessage>[0], Classification]>([
    [
      'X-Failed-Recipients',
      { headers: { 'x-failed-recipients': 'bob@y.com' }, contentType: 'text/plain', from: person },
      'bounce',
    ],
    [
      'a From of mailer-daemon',
      { headers: {}, contentType: 'text/plain', from: daemon, subject: 'hello' },
      'bounce',
    ],
    [
      'a From of postmaster',
      {
        headers: {},
        contentType: 'text/plain',
        from: { address: 'postmaster@x.example', name: '' },
      },
      'bounce',
    ],
    [
      'a failure subject with a null sender',
      {
        headers: { 'return-path': '<>' },
        contentType: 'text/plain',
        from: person,
        subject: 'Undelivered Mail Returned to Sender',
      },
      'bounce',
    ],
    [
      "a person's reply about an undeliverable message",
      { headers: {}, contentType: 'text/plain', from: person, subject: 'Re: Undeliverable: lunch' },
      'personal',
    ],
    [
      'a failure subject from a person (no robot signs)',
      {
        headers: {},
        contentType: 'text/plain',
        from: person,
        subject: 'Delivery failed for the sofa',
      },
      'personal',
    ],
    [
      'list mail marked Precedence: bulk',
      {
        headers: { 'list-id': '<team.lists.example>', precedence: 'bulk' },
        contentType: 'text/plain',
        from: person,
      },
      'mailing-list',
    ],
  ])('%s', (_, email, expected) => {
    expect(classifyMessage(email).classification).toBe(expected);
  });
});
