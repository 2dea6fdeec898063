import type { Mailbox, ParsedEmail } from '#domain/model.ts';

/** A mailbox from an address, or from "Name <address>". */
export function aMailbox(written: string): Mailbox {
  const named = /^(.*)<([^<>]+)>\s*$/.exec(written);
  if (!named) return { address: written.trim().toLowerCase(), name: '' };
  return { address: (named[2] ?? '').trim().toLowerCase(), name: (named[1] ?? '').trim() };
}

type Boxes = (string | Mailbox)[];
const boxes = (written: Boxes) =>
  written.map((entry) => (typeof entry === 'string' ? aMailbox(entry) : entry));

/**
 * What the parser hands the domain for a message the user (me@example.org) sent to one friend.
 * Addresses may be written as strings ("Ann <ann@friends.test>").
 */
export function aParsedEmail(
  overrides: Omit<Partial<ParsedEmail>, 'from' | 'to' | 'cc' | 'bcc'> & {
    from?: string | Mailbox | null;
    to?: Boxes;
    cc?: Boxes;
    bcc?: Boxes;
  } = {},
): ParsedEmail {
  const { from, to, cc, bcc, ...rest } = overrides;
  return {
    from:
      from === null
        ? null
        : typeof from === 'object'
          ? from
          : aMailbox(from ?? 'Me <me@example.org>'),
    fromAmbiguity: null,
    to: boxes(to ?? ['Ann Lee <ann@friends.test>']),
    cc: boxes(cc ?? []),
    bcc: boxes(bcc ?? []),
    subject: 'Coffee next week',
    date: new Date('2026-03-02T09:00:00Z'),
    messageId: '<first.1@mail.example.org>',
    inReplyTo: [],
    authenticationResults: [],
    references: [],
    headers: {},
    contentType: 'text/plain',
    text: 'Are you free for coffee on Thursday?',
    bodyDigest: 'digest-of-the-body',
    attachedMessage: null,
    ...rest,
  };
}
