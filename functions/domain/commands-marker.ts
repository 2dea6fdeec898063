/**
 * The first line of a digest's footer; reading a reply stops at it. On its own so that the digest
 * renderer takes this line without the reply-command reader (and its date parser) in the scheduler
 * bundle.
 */
export const commandsMarker = '-- reply commands --';
