import type { TokenClaims } from './reply-token.ts';

/**
 * The ref of the confirmation token that `delete my data` answers with: a date no digest or answer
 * ever has (a token's ref is a date), so a `yes, delete` acts only in reply to that one answer.
 */
export const deleteConfirmationRef = '2170-01-01';

/** How long the confirmation works: a `yes, delete` weeks later is more likely a mistake. */
export const deleteConfirmationDays = 2;

export function isDeleteConfirmation(claims: Pick<TokenClaims, 'kind' | 'ref'>): boolean {
  return claims.kind === 'confirmation' && claims.ref === deleteConfirmationRef;
}
