import { describe, expect, it } from 'vitest';
import { readSesNotification } from '#adapters/ses/ses-notification.ts';

const bounce = (bounceType: string) =>
  JSON.stringify({
    eventType: 'Bounce',
    bounce: {
      bounceType,
      feedbackId: 'feedback-1',
      bouncedRecipients: [{ emailAddress: 'Me@Example.com' }],
    },
    mail: { messageId: 'mail-1', destination: ['me@example.com'] },
  });

describe('an SES notification', () => {
  it('names the recipients of a permanent bounce', () => {
    expect(readSesNotification(bounce('Permanent'))).toEqual({
      kind: 'hard-bounce',
      addresses: ['me@example.com'],
      notificationId: 'feedback-1',
    });
  });

  it('reads a transient bounce as soft, and leaves an undetermined one alone', () => {
    expect(readSesNotification(bounce('Transient'))).toMatchObject({ kind: 'soft-bounce' });
    expect(readSesNotification(bounce('Undetermined')).kind).toBe('ignored');
  });

  it('names the recipients of a complaint, as a configuration set or an identity publishes it', () => {
    const complaint = { complaint: { complainedRecipients: [{ emailAddress: 'me@example.com' }] } };
    for (const type of [{ eventType: 'Complaint' }, { notificationType: 'Complaint' }]) {
      expect(readSesNotification(JSON.stringify({ ...type, ...complaint }))).toMatchObject({
        kind: 'complaint',
        addresses: ['me@example.com'],
      });
    }
  });

  it('reads a delivery, and ignores anything that is not JSON', () => {
    expect(
      readSesNotification('{"eventType":"Delivery","delivery":{"recipients":["Me@Example.com"]}}'),
    ).toMatchObject({ kind: 'delivery', addresses: ['me@example.com'] });
    expect(readSesNotification('not json').kind).toBe('ignored');
  });
});
