// (primary adapter: SNS topic of the SES configuration set) --> stop digests on bounce --> (DynamoDB)
import type { SNSEvent } from 'aws-lambda';
import { makeDocumentClient } from '#adapters/aws-clients.ts';
import { makeClock } from '#adapters/clock.ts';
import { readSesNotificationConfig } from '#adapters/config.ts';
import { DynamoStore } from '#adapters/dynamodb/dynamodb-store.ts';
import { makeLogger } from '#adapters/logger.ts';
import { readSesNotification } from '#adapters/ses/ses-notification.ts';
import {
  makeStopDigestsOnBounce,
  type StopDigestsOutcome,
  stopDigestsForNotice,
} from '#use-cases/stop-digests-on-bounce.ts';

const config = readSesNotificationConfig(process.env);
const clock = makeClock('system');
const logger = makeLogger({ fn: 'ses-notification' });
const stopDigests = makeStopDigestsOnBounce({
  store: new DynamoStore({
    client: makeDocumentClient({ region: config.region }),
    tableName: config.tableName,
    clock,
  }),
  clock,
  logger,
});

/** Invoked by SNS with the digests' bounce, complaint and delivery events. */
export async function handler(event: SNSEvent): Promise<StopDigestsOutcome[]> {
  const outcomes: StopDigestsOutcome[] = [];
  for (const record of event.Records) {
    const notice = readSesNotification(record.Sns.Message);
    if (notice.kind === 'ignored') continue;
    outcomes.push(...(await stopDigestsForNotice(stopDigests, notice)));
  }
  return outcomes;
}
