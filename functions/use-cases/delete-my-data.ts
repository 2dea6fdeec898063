import { normaliseMessageId } from '#domain/ids.ts';
import type { User } from '#domain/model.ts';
import type { DeletedUser, Logger, Mailer, RawMailStore, UserDeletion } from '#domain/ports.ts';
import { answerHtml } from '#domain/reply-answer.ts';

export interface DeleteMyDataRequest {
  /** The receipt of the confirming mail: still being handled, so it is kept (it expires). */
  receiptId: string;
  /** The confirming mail's Message-ID, for the goodbye's In-Reply-To. */
  messageId: string | null;
  /** Who the goodbye comes from. */
  from: string;
}

export type DeleteMyData = (
  user: User,
  request: DeleteMyDataRequest,
) => Promise<{ deleted: DeletedUser; goodbye: boolean }>;

export const goodbyeText = [
  'Everything givefirst kept for you is deleted: your messages, contacts, threads, digests,',
  'settings and the mail as received. Your address is no longer registered, so mail from it to',
  'givefirst is not logged, and no digest will come. This is the last mail givefirst sends you.',
].join('\n');

/**
 * `yes, delete` in reply to the confirmation `delete my data` asked for: every item of the user.
 *
 * Primary course:
 * 1. Delete the raw mail and the receipts of the user's messages and command mails, then every item
 *    of the user, the profile last (docs/storage.md, "Deleting a user"). A run cut short leaves the
 *    profile: the same receipt run again (the event's retry, a redrive) is still the user's, and
 *    finishes.
 * 2. Only the run that removed the profile says goodbye, after everything is gone: a crash before
 *    the goodbye loses it (the retry finds no user), which is better than a second goodbye or a
 *    user half deleted. The goodbye is sent straight, with no reply address and no allowance
 *    counted: those would be items of the user written again.
 */
export function makeDeleteMyData(deps: {
  deletion: UserDeletion;
  rawMail: Pick<RawMailStore, 'remove'>;
  mailer: Mailer;
  logger: Logger;
}): DeleteMyData {
  return async function deleteMyData(user, request) {
    const deleted = await deps.deletion.deleteUser(user, {
      rawMail: deps.rawMail,
      keepReceipt: request.receiptId,
    });
    deps.logger.info('user deleted by reply', { userId: user.userId, profile: deleted.profile });
    if (!deleted.profile) return { deleted, goodbye: false };
    const headers: Record<string, string> = { 'Auto-Submitted': 'auto-generated' };
    if (request.messageId) {
      headers['In-Reply-To'] = `<${normaliseMessageId(request.messageId)}>`;
      headers.References = headers['In-Reply-To'];
    }
    const text = `${goodbyeText}\n`;
    try {
      await deps.mailer.send({
        from: request.from,
        to: user.email,
        subject: 'Your givefirst data is deleted',
        text,
        html: answerHtml(text),
        headers,
      });
      return { deleted, goodbye: true };
    } catch (error) {
      deps.logger.warn('goodbye not sent', {
        userId: user.userId,
        failure: error instanceof Error ? error.message : String(error),
      });
      return { deleted, goodbye: false };
    }
  };
}
