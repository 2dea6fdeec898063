/** A raw message could not be read as email at all. */
export class UnreadableMailError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UnreadableMailError';
  }
}

/**
 * A receipt's raw mail is no longer stored: deleted once its mail was logged, or expired with the
 * bucket's lifecycle. Nothing can be decided again from it.
 */
export class RawMailGoneError extends Error {
  constructor(
    readonly rawKey: string,
    options?: { cause?: unknown },
  ) {
    super(`raw mail ${rawKey} is no longer stored`, options);
    this.name = 'RawMailGoneError';
  }
}

/** Ingest stopped for a reason outside the message (storage down, say); the receipt is kept for redrive. */
export class IngestFailedError extends Error {
  constructor(
    readonly receiptId: string,
    options?: { cause?: unknown },
  ) {
    const why = options?.cause instanceof Error ? ` (${options.cause.message})` : '';
    super(`ingest of receipt ${receiptId} failed${why}; it is kept for redrive`, options);
    this.name = 'IngestFailedError';
  }
}

/** Configuration missing or malformed at start. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/**
 * Sender authentication could not be completed (a DNS timeout or SERVFAIL, a verdict SES could not
 * compute): the message is neither logged nor rejected, it is tried again later.
 */
export class SenderCheckUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SenderCheckUnavailableError';
  }
}

/**
 * Mail that needs an answer (a reply command, a request to join) reached a runner that cannot send
 * one (the command line with no stack running, `redrive --aws`): it is kept for redrive where
 * answers go out, never rejected for good.
 */
export class AnswersUnavailableError extends Error {
  constructor(what: string) {
    super(
      `${what} needs answers sent: redrive it through the running stack, or on AWS through the deployed ingest function`,
    );
    this.name = 'AnswersUnavailableError';
  }
}
