import { describe, expect, it } from 'vitest';
import {
  digestItemsWithout,
  keyNames,
  namesContact,
  withoutContact,
} from '#domain/without-contact.ts';
import { asked, received, sent, told } from '../builders/logged-message.ts';

const alice = 'alice@x.com';

describe('a message without a forgotten contact', () => {
  it('is gone when they were its only contact, sent or received', () => {
    expect(withoutContact(sent('2026-03-02T09:00:00Z', [asked(alice)]), alice)).toBeNull();
    expect(withoutContact(received('2026-03-02T09:00:00Z', alice), alice)).toBeNull();
  });

  it('keeps the others of a shared message, with their address out of the subject, snippet and attribution', () => {
    // Prepare
    const shared = sent('2026-03-02T09:00:00Z', [asked(alice, 'Alice'), told('bob@x.com')], {
      subject: 'Fwd: note from alice@x.com',
      snippet: 'Alice (ALICE@x.com) said yes',
      attribution: {
        name: 'Alice',
        address: alice,
        date: null,
        line: 'Alice <alice@x.com> wrote:',
      },
    });

    // Act
    const kept = withoutContact(shared, alice);

    // Assess
    expect(kept?.contacts.map((c) => c.address)).toEqual(['bob@x.com']);
    expect(kept?.subject).toBe('Fwd: note from (forgotten)');
    expect(kept?.snippet).toBe('Alice ((forgotten)) said yes');
    expect(kept?.attribution).toBeNull();
    expect(kept && namesContact(kept, alice)).toBe(false);
  });

  it('says which messages, digest items and keys name them', () => {
    expect(namesContact(sent('2026-03-02T09:00:00Z', [told('bob@x.com')]), alice)).toBe(false);
    expect(keyNames(`pair t1 ${alice}`, alice)).toBe(true);
    expect(keyNames('contact malice@x.com', alice)).toBe(false);
    const malice = sent('2026-03-02T09:00:00Z', [told('bob@x.com')], {
      subject: 'malice@x.com, alice@x.com.au',
    });
    expect(namesContact(malice, alice)).toBe(false);
    const item = { section: 'waiting', kind: 'reply', threadKey: 't', messageKey: null } as const;
    expect(
      digestItemsWithout(
        [
          { ...item, number: 1, address: alice },
          { ...item, number: 2, address: 'bob@x.com' },
        ],
        alice,
      ).map((i) => i.number),
    ).toEqual([2]);
  });
});
