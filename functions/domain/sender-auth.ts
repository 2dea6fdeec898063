import type { Verdicts } from './model.ts';

export type SenderJudgement =
  | { ok: true; because: string }
  | { ok: false; reason: 'sender-not-authenticated' | 'spam' | 'virus'; detail: string };

const upper = (v: string | undefined) => (v ?? '').toUpperCase();

/**
 * Whether the From address of a received message can be believed.
 * Accept only a DMARC pass (aligned DKIM is added to this rule with the mailauth work), unless the
 * operator vouched for the sender or local mode was started with authentication relaxed.
 * A spam or virus FAIL is refused whatever the rest says.
 */
export function judgeSender(verdicts: Verdicts): SenderJudgement {
  if (upper(verdicts.virus) === 'FAIL') {
    return { ok: false, reason: 'virus', detail: 'the virus scan failed' };
  }
  if (upper(verdicts.spam) === 'FAIL') {
    return { ok: false, reason: 'spam', detail: 'the spam check failed' };
  }
  switch (verdicts.source) {
    case 'operator':
      return { ok: true, because: 'the operator vouched for the sender' };
    case 'relaxed':
      return { ok: true, because: 'local mode with sender authentication relaxed' };
    case 'none':
      return {
        ok: false,
        reason: 'sender-not-authenticated',
        detail: 'no authentication verdicts were available for this message',
      };
    default:
      if (upper(verdicts.dmarc) === 'PASS') return { ok: true, because: 'DMARC pass' };
      return {
        ok: false,
        reason: 'sender-not-authenticated',
        detail: `DMARC ${upper(verdicts.dmarc) || 'missing'}, DKIM ${upper(verdicts.dkim) || 'missing'}`,
      };
  }
}
