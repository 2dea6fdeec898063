/** What an SES bounce or complaint notification says about the digest's recipients. */
export type SesNotice =
  | { kind: 'hard-bounce' | 'complaint'; addresses: string[] }
  | { kind: 'ignored'; why: string };

interface SesNotificationJson {
  eventType?: string;
  notificationType?: string;
  bounce?: { bounceType?: string; bouncedRecipients?: { emailAddress?: string }[] };
  complaint?: { complainedRecipients?: { emailAddress?: string }[] };
}

const addressesOf = (recipients: { emailAddress?: string }[] | undefined): string[] =>
  (recipients ?? []).flatMap((r) => (r.emailAddress ? [r.emailAddress.toLowerCase()] : []));

/**
 * Reads the JSON SES publishes to SNS: a configuration set's event (`eventType`) or an identity's
 * notification (`notificationType`). Only a permanent bounce and a complaint are worth acting on;
 * a transient bounce (mailbox full, greylisting) is SES's to retry.
 */
export function readSesNotification(message: string): SesNotice {
  let json: SesNotificationJson;
  try {
    json = JSON.parse(message) as SesNotificationJson;
  } catch {
    return { kind: 'ignored', why: 'not JSON' };
  }
  const type = json.eventType ?? json.notificationType;
  if (type === 'Bounce') {
    if (json.bounce?.bounceType !== 'Permanent') return { kind: 'ignored', why: 'not permanent' };
    return { kind: 'hard-bounce', addresses: addressesOf(json.bounce.bouncedRecipients) };
  }
  if (type === 'Complaint') {
    return { kind: 'complaint', addresses: addressesOf(json.complaint?.complainedRecipients) };
  }
  return { kind: 'ignored', why: `a ${type ?? 'typeless'} notification` };
}
