import type { User } from '#domain/model.ts';
import type { Clock, Logger, Mailer, SteeringStore } from '#domain/ports.ts';
import { answerHtml } from '#domain/reply-answer.ts';
import { noDigestRef, type ReplyTokens, replyAddressDays } from '#domain/reply-token.ts';
import { knownTags } from '#domain/tags.ts';

export type NoteUnknownTags = (user: User, unknown: string[]) => Promise<void>;

/**
 * A logged message whose address carried tags givefirst did not understand (`log+3dd@`): the
 * message is logged with them kept, and the user gets one short note naming them and the tags
 * known. Each tag is named once per user, ever; a note that cannot be sent never fails the log.
 */
export function makeNoteUnknownTags(deps: {
  steering: Pick<SteeringStore, 'claimNote' | 'countConfirmation'>;
  mailer: Mailer;
  tokens: ReplyTokens;
  clock: Clock;
  logger: Logger;
  mailDomain: string;
  /** Where the note comes from; `digest@` the inbound domain by default. */
  fromAddress?: string;
  perHour: number;
}): NoteUnknownTags {
  return async function noteUnknownTags(user, unknown) {
    const fresh: string[] = [];
    for (const tag of new Set(unknown.map((t) => t.toLowerCase().slice(0, 40)))) {
      if (await deps.steering.claimNote(user.userId, `unknown-tag ${tag}`)) fresh.push(tag);
    }
    if (fresh.length === 0) return;
    const now = deps.clock();
    if (
      !(await deps.steering.countConfirmation(
        user.userId,
        now.toISOString().slice(0, 13),
        deps.perHour,
      ))
    ) {
      return;
    }
    const named = fresh.map((t) => `“${t}”`).join(', ');
    const text = [
      `Your message was logged, but givefirst did not understand the tag ${named} in the log address.`,
      `The tags it knows: ${knownTags}.`,
      `For example log+ask+5d@${deps.mailDomain}.`,
      '',
    ].join('\n');
    const expiresAt = new Date(now.getTime() + replyAddressDays * 86_400_000);
    const token = deps.tokens.issue({
      kind: 'confirmation',
      userId: user.userId,
      ref: noDigestRef,
      expiresAt,
    });
    try {
      await deps.mailer.send({
        from: `givefirst <${deps.fromAddress ?? `digest@${deps.mailDomain}`}>`,
        to: user.email,
        replyTo: `reply+${token}@${deps.mailDomain}`,
        subject: `A tag givefirst did not understand: ${fresh.join(', ')}`.slice(0, 100),
        text,
        html: answerHtml(text),
        headers: { 'Auto-Submitted': 'auto-generated' },
      });
    } catch (error) {
      deps.logger.warn('unknown-tag note not sent', {
        userId: user.userId,
        failure: error instanceof Error ? error.message : String(error),
      });
    }
  };
}
