import type { Clock, DigestStore } from '#domain/ports.ts';
import type { ReplyTokens } from '#domain/reply-token.ts';

export type UnsubscribeOutcome =
  | { status: 'unsubscribed'; userId: string }
  | { status: 'refused'; why: string };

/**
 * One-click unsubscribe (RFC 8058): a POST with a valid unsubscribe token stops that user's digests
 * at once. A forged, expired or wrong-kind token changes nothing.
 */
export function makeUnsubscribe(deps: {
  store: Pick<DigestStore, 'pauseDigests'>;
  tokens: ReplyTokens;
  clock: Clock;
}) {
  return {
    /** Whether a token would unsubscribe someone: for the page a plain GET shows. */
    check(token: string): UnsubscribeOutcome {
      const read = deps.tokens.read(token, deps.clock());
      if (!read.ok) return { status: 'refused', why: read.why };
      if (read.claims.kind !== 'unsubscribe')
        return { status: 'refused', why: 'not an unsubscribe link' };
      return { status: 'unsubscribed', userId: read.claims.userId };
    },
    async unsubscribe(token: string): Promise<UnsubscribeOutcome> {
      const checked = this.check(token);
      if (checked.status === 'unsubscribed')
        await deps.store.pauseDigests(checked.userId, deps.clock(), 'unsubscribed');
      return checked;
    },
  };
}
