/** What an SES notification says about the digest's recipients. */
export type SesNotice =
  | {
      kind: 'hard-bounce' | 'soft-bounce' | 'complaint' | 'delivery';
      addresses: string[];
      /** The notification's own id (SES's feedbackId, else the sent mail's id): counted once. */
      notificationId: string;
    }
  | { kind: 'ignored'; why: string };

interface SesNotificationJson {
  eventType?: string;
  notificationType?: string;
  mail?: { messageId?: string; destination?: string[] };
  bounce?: {
    bounceType?: string;
    feedbackId?: string;
    bouncedRecipients?: { emailAddress?: string }[];
  };
  complaint?: { feedbackId?: string; complainedRecipients?: { emailAddress?: string }[] };
  delivery?: { timestamp?: string; recipients?: string[] };
}

const addressesOf = (recipients: { emailAddress?: string }[] | undefined): string[] =>
  (recipients ?? []).flatMap((r) => (r.emailAddress ? [r.emailAddress.toLowerCase()] : []));

/**
 * Reads the JSON SES publishes to SNS: a configuration set's event (`eventType`) or an identity's
 * notification (`notificationType`). A permanent bounce and a complaint stop the user's digests; a
 * transient bounce (mailbox full, greylisting) is counted, and a delivery clears the count.
 * An `Undetermined` bounce is neither: SES could not tell, so it is left alone.
 */
export function readSesNotification(message: string): SesNotice {
  let json: SesNotificationJson;
  try {
    json = JSON.parse(message) as SesNotificationJson;
  } catch {
    return { kind: 'ignored', why: 'not JSON' };
  }
  const type = json.eventType ?? json.notificationType;
  const mailId = json.mail?.messageId ?? '';
  if (type === 'Bounce') {
    const bounceType = json.bounce?.bounceType;
    if (bounceType !== 'Permanent' && bounceType !== 'Transient') {
      return { kind: 'ignored', why: `a bounce of type ${bounceType ?? 'none'}` };
    }
    return {
      kind: bounceType === 'Permanent' ? 'hard-bounce' : 'soft-bounce',
      addresses: addressesOf(json.bounce?.bouncedRecipients),
      notificationId: json.bounce?.feedbackId ?? mailId,
    };
  }
  if (type === 'Complaint') {
    return {
      kind: 'complaint',
      addresses: addressesOf(json.complaint?.complainedRecipients),
      notificationId: json.complaint?.feedbackId ?? mailId,
    };
  }
  if (type === 'Delivery') {
    return {
      kind: 'delivery',
      addresses: (json.delivery?.recipients ?? json.mail?.destination ?? []).map((a) =>
        a.toLowerCase(),
      ),
      notificationId: mailId,
    };
  }
  return { kind: 'ignored', why: `a ${type ?? 'typeless'} notification` };
}

/**
 * The SES notifications in a JSON document, as the operator may have saved one: a Lambda SNS event
 * (`Records[].Sns.Message`), one SNS notification (`Type: Notification`, `Message`), or SES's own
 * JSON, bare.
 */
export function sesMessagesOf(document: unknown): string[] {
  if (typeof document !== 'object' || document === null) return [];
  const doc = document as {
    Records?: { Sns?: { Message?: string } }[];
    Type?: string;
    Message?: string;
  };
  if (Array.isArray(doc.Records)) {
    return doc.Records.flatMap((r) => (typeof r.Sns?.Message === 'string' ? [r.Sns.Message] : []));
  }
  if (doc.Type === 'Notification' && typeof doc.Message === 'string') return [doc.Message];
  return [JSON.stringify(document)];
}
