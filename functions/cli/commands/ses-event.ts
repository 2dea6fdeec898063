import { readFile } from 'node:fs/promises';
import { silentLogger } from '#adapters/logger.ts';
import { readSesNotification, sesMessagesOf } from '#adapters/ses/ses-notification.ts';
import {
  makeStopDigestsOnBounce,
  type StopDigestsOutcome,
  stopDigestsForNotice,
} from '#use-cases/stop-digests-on-bounce.ts';
import { UsageError } from '../command-line.ts';
import { print } from '../output.ts';
import type { Command } from './command.ts';

const describe = (o: StopDigestsOutcome) =>
  o.status === 'stopped'
    ? `${o.userId}: digests stopped (${o.reason})`
    : o.status === 'soft-bounce-counted'
      ? `${o.userId}: soft bounce counted (${o.inARow} in a row)`
      : o.status === 'delivered'
        ? `${o.userId}: delivered; soft bounces cleared`
        : 'no user has that address';

/**
 * An SES notification saved as JSON (SNS-wrapped or bare), through the same use case as the
 * deployment's SNS handler: how bounce handling is tried without AWS.
 */
export const sesEvent: Command = async (line, connected) => {
  const file = line.operands[0] ?? '';
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(
      error.code === 'ENOENT' ? `${file}: no such file` : `${file}: cannot be read (${error.code})`,
      'ses-event takes one JSON file: an SES notification, bare or as SNS delivers it',
    );
  });
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw new UsageError(`${file} is not JSON`, 'ses-event takes an SES notification as JSON');
  }
  return connected(async (conn) => {
    const stopDigests = makeStopDigestsOnBounce({
      store: conn.services.store,
      clock: conn.clock,
      logger: silentLogger,
    });
    const results: { notice: string; outcomes: StopDigestsOutcome[] }[] = [];
    for (const message of sesMessagesOf(document)) {
      const notice = readSesNotification(message);
      results.push(
        notice.kind === 'ignored'
          ? { notice: `ignored: ${notice.why}`, outcomes: [] }
          : { notice: notice.kind, outcomes: await stopDigestsForNotice(stopDigests, notice) },
      );
    }
    print(line, { results }, () =>
      results
        .map((r) => [r.notice, ...r.outcomes.map((o) => `  ${describe(o)}`)].join('\n'))
        .join('\n'),
    );
    return 0;
  });
};
