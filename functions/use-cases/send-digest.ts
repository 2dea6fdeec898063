import { composeDigest } from '#domain/digest.ts';
import type { User } from '#domain/model.ts';
import type { Clock, DigestStore, Logger, Mailer, SteeringStore } from '#domain/ports.ts';
import { renderDigest } from '#domain/render-digest.ts';
import { replyAddressDays, type TokenClaims } from '#domain/reply-token.ts';
import { steerKeys } from '#domain/steering.ts';
import type { Relationships } from './help-first.ts';
import type { CheckpointViewed } from './read-history.ts';

export type SendDigestOutcome =
  | { status: 'nothing-to-show'; localDate: string }
  | { status: 'already-begun'; localDate: string }
  | { status: 'sent'; localDate: string; messageId: string; items: number }
  | { status: 'failed'; localDate: string; failure: string };

/**
 * Send one user's digest for their local day, at most once.
 *
 * Primary course:
 * 1. Read the user's relationships; record the pairs the three-digest rule lets go today, so
 *    they stay let go once those digests are past the records it counts (a failure is logged: the
 *    next digest records them again). Compose the digest (nothing to show: no email).
 * 2. Record, conditionally, that today's digest is being sent, with the items it numbers; if one
 *    was already begun today (a retry, a second scheduler), stop: never a second copy.
 * 3. Render it with its reply and unsubscribe tokens and send it.
 * 4. Record it sent (and the let-go people it named, so they are named once) or failed.
 * 5. Whatever became of it, bring the user's history checkpoint up to now, so that tomorrow's
 *    reads only what can still matter (a failure here is logged: the digest stands).
 */
export function makeSendDigest(deps: {
  store: DigestStore;
  relationships: (
    user: User,
    asOf?: Date,
    options?: { forDigest?: boolean },
  ) => Promise<
    Omit<Relationships, 'quietlyLetGo' | 'allHelp' | 'lettingGo'> & Partial<Relationships>
  >;
  /** Where the pairs the three-digest rule let go are recorded. */
  steering?: Pick<SteeringStore, 'steer'>;
  mailer: Mailer;
  issueToken: (claims: TokenClaims) => string;
  clock: Clock;
  logger: Logger;
  mailDomain: string;
  /** The digest's From address. Defaults to digest@ the mail domain (the local stack). */
  fromAddress?: string;
  unsubscribeUrl: (token: string) => string;
  /**
   * Brings the user's history checkpoint up to now (`makeRefreshHistory`), told what the digest
   * read of it.
   */
  refreshHistory?: (user: User, viewed?: CheckpointViewed) => Promise<void>;
}) {
  const fromAddress = deps.fromAddress ?? `digest@${deps.mailDomain}`;
  return async function sendDigest(user: User): Promise<SendDigestOutcome> {
    const now = deps.clock();
    const relationships = await deps.relationships(user, now, { forDigest: true });
    await recordLettingGo(user, now, relationships.lettingGo ?? []);
    const outcome = await composeAndSend(user, now, relationships);
    try {
      await deps.refreshHistory?.(user, relationships.checkpoint);
    } catch (error) {
      const failure = error instanceof Error ? error.message : String(error);
      deps.logger.warn('history checkpoint not refreshed', { userId: user.userId, failure });
    }
    return outcome;
  };

  async function recordLettingGo(
    user: User,
    now: Date,
    pairs: NonNullable<Relationships['lettingGo']>,
  ): Promise<void> {
    const { steering } = deps;
    if (!steering || pairs.length === 0) return;
    const letGoAt = now.toISOString();
    try {
      for (const { threadKey, address } of pairs)
        await steering.steer(user.userId, { key: steerKeys.pair(threadKey, address), letGoAt });
    } catch (error) {
      const failure = error instanceof Error ? error.message : String(error);
      deps.logger.warn('let-go not recorded', { userId: user.userId, failure });
    }
  }

  async function composeAndSend(
    user: User,
    now: Date,
    relationships: Awaited<ReturnType<typeof deps.relationships>>,
  ): Promise<SendDigestOutcome> {
    // People the user let go themselves (`drop`) are not announced back to them.
    const shown = new Set([
      ...(await deps.store.letGoShown(user.userId)),
      ...(relationships.quietlyLetGo ?? []),
    ]);
    const digest = composeDigest({ user, relationships, now, letGoAlreadyShown: shown });
    const localDate = digest?.date ?? '';
    if (!digest) return { status: 'nothing-to-show', localDate };

    const begun = await deps.store.beginDigest(user.userId, {
      localDate: digest.date,
      subject: digest.subject,
      startedAt: now.toISOString(),
      items: digest.items.map((i) => ({
        number: i.number,
        section: i.section,
        kind: i.kind,
        address: i.address,
        threadKey: i.threadKey,
        messageKey: i.messageKey,
        name: i.name,
        subject: i.subject,
      })),
    });
    if (!begun) return { status: 'already-begun', localDate: digest.date };

    const expiresAt = new Date(now.getTime() + replyAddressDays * 86_400_000);
    const claims = { userId: user.userId, ref: digest.date, expiresAt };
    const reply = `reply+${deps.issueToken({ ...claims, kind: 'digest' })}@${deps.mailDomain}`;
    const unsubscribe = deps.unsubscribeUrl(deps.issueToken({ ...claims, kind: 'unsubscribe' }));
    const rendered = renderDigest(digest, {
      replyAddress: reply,
      unsubscribeUrl: unsubscribe,
      logAddress: `log@${deps.mailDomain}`,
    });
    try {
      const { messageId } = await deps.mailer.send({
        from: `givefirst <${fromAddress}>`,
        to: user.email,
        replyTo: reply,
        subject: rendered.subject,
        text: rendered.text,
        html: rendered.html,
        headers: {
          'Auto-Submitted': 'auto-generated',
          'List-Unsubscribe': `<${unsubscribe}>, <mailto:${reply}?subject=unsubscribe>`,
          'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
        },
      });
      await deps.store.finishDigest(
        user.userId,
        digest.date,
        { state: 'sent', messageId },
        deps.clock(),
      );
      await deps.store.addLetGoShown(user.userId, digest.letGo.keys);
      deps.logger.info('digest sent', { userId: user.userId, items: digest.items.length });
      return { status: 'sent', localDate: digest.date, messageId, items: digest.items.length };
    } catch (error) {
      const failure = error instanceof Error ? error.message : String(error);
      await deps.store.finishDigest(
        user.userId,
        digest.date,
        { state: 'failed', failure },
        deps.clock(),
      );
      deps.logger.error('digest not sent', { userId: user.userId, failure });
      return { status: 'failed', localDate: digest.date, failure };
    }
  }
}
