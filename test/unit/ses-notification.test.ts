import { describe, expect, it } from 'vitest';
import { readSesNotification } from '#adapters/ses/ses-notification.ts';

const bounce = (bounceType: string) =>
  JSON.stringify({
    eventType: 'Bounce',
    bounce: { bounceType, bouncedRecipients: [{ emailAddress: 'Me@Example.com' }] },
    mail: { destination: ['me@example.com'] },
  });

describe('an SES notification', () => {
  it('names the recipients of a permanent bounce', () => {
    expect(readSesNotification(bounce('Permanent'))).toEqual({
      kind: 'hard-bounce',
      addresses: ['me@example.com'],
    });
  });

  it('leaves a transient bounce to SES', () => {
    expect(readSesNotification(bounce('Transient'))).toEqual({
      kind: 'ignored',
      why: 'not permanent',
    });
  });

  it('names the recipients of a complaint, as a configuration set or an identity publishes it', () => {
    const complaint = { complaint: { complainedRecipients: [{ emailAddress: 'me@example.com' }] } };
    for (const type of [{ eventType: 'Complaint' }, { notificationType: 'Complaint' }]) {
      expect(readSesNotification(JSON.stringify({ ...type, ...complaint }))).toEqual({
        kind: 'complaint',
        addresses: ['me@example.com'],
      });
    }
  });

  it('ignores deliveries and anything that is not JSON', () => {
    expect(readSesNotification('{"eventType":"Delivery"}').kind).toBe('ignored');
    expect(readSesNotification('not json').kind).toBe('ignored');
  });
});
