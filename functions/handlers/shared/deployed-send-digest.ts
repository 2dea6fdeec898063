// What the two digest functions share: send-digest wired to DynamoDB and SES as deployed.
import { makeSesClient } from '#adapters/aws-clients.ts';
import type { DigestConfig } from '#adapters/config.ts';
import type { DynamoStore } from '#adapters/dynamodb/dynamodb-store.ts';
import type { DynamoSteeringStore } from '#adapters/dynamodb/steering-store.ts';
import { pacedMailer } from '#adapters/ses/paced-mailer.ts';
import { makeSesMailer } from '#adapters/ses/ses-mailer.ts';
import type { Clock, Logger } from '#domain/ports.ts';
import type { ReplyTokens } from '#domain/reply-token.ts';
import { makeRelationships } from '#use-cases/help-first.ts';
import { makeRefreshHistory } from '#use-cases/read-history.ts';
import { makeSendDigest } from '#use-cases/send-digest.ts';

/**
 * One user's digest, as the scheduler sends it inline and the worker sends it from the queue:
 * paced to the function's share of the SES rate, its links on the public URL, and the user's
 * history checkpoint brought up to date after each send.
 */
export function makeDeployedSendDigest(
  config: DigestConfig,
  deps: {
    store: DynamoStore;
    steering: DynamoSteeringStore;
    issueToken: ReplyTokens['issue'];
    clock: Clock;
    logger: Logger;
  },
) {
  const { store, steering, clock, logger } = deps;
  return makeSendDigest({
    store,
    relationships: makeRelationships({ store, steering, clock }),
    mailer: pacedMailer(
      makeSesMailer({
        ses: makeSesClient({ region: config.region }),
        configurationSet: config.configurationSet,
      }),
      config.sesSendIntervalMs,
    ),
    issueToken: deps.issueToken,
    clock,
    logger,
    mailDomain: config.mailDomain,
    fromAddress: config.fromAddress,
    unsubscribeUrl: (token) => `${config.publicUrl}/unsubscribe?t=${token}`,
    refreshHistory: makeRefreshHistory({ store, clock, logger }),
  });
}
