// What the two digest functions share: the store, the keys and send-digest, wired as deployed.
import { makeDocumentClient, makeSesClient } from '#adapters/aws-clients.ts';
import { makeClock } from '#adapters/clock.ts';
import type { DigestConfig } from '#adapters/config.ts';
import { digestFunctionsStore } from '#adapters/dynamodb/digest-functions-store.ts';
import { DynamoSteeringStore } from '#adapters/dynamodb/steering-store.ts';
import { makeLogger } from '#adapters/logger.ts';
import {
  replyTokenKeysOf,
  replyTokensPerInvocation,
} from '#adapters/secrets/secret-reply-tokens.ts';
import { pacedMailer } from '#adapters/ses/paced-mailer.ts';
import { makeSesMailer } from '#adapters/ses/ses-mailer.ts';
import { makeRelationships } from '#use-cases/help-first.ts';
import { makeRefreshHistory } from '#use-cases/read-history.ts';
import { makeSendDigest } from '#use-cases/send-digest.ts';

/**
 * A digest function's parts, made once per container: its clock, logger and store, the reply-token
 * keys (refreshed per invocation), and one user's digest as the scheduler sends it inline and the
 * worker sends it from the queue: paced to the function's share of the SES rate, its links on the
 * public URL, and the user's history checkpoint brought up to date after each send.
 */
export function makeDeployedDigests(config: DigestConfig, fn: string) {
  const clock = makeClock('system');
  const logger = makeLogger({ fn });
  const dynamo = makeDocumentClient({ region: config.region });
  const store = digestFunctionsStore({ client: dynamo, tableName: config.tableName, clock });
  const steering = new DynamoSteeringStore({ client: dynamo, tableName: config.tableName, clock });
  const replyTokens = replyTokensPerInvocation(replyTokenKeysOf(config, clock));
  const sendDigest = makeSendDigest({
    store,
    relationships: makeRelationships({ store, steering, clock }),
    steering,
    mailer: pacedMailer(
      makeSesMailer({
        ses: makeSesClient({ region: config.region }),
        configurationSet: config.configurationSet,
      }),
      config.sesSendIntervalMs,
    ),
    issueToken: replyTokens.tokens.issue,
    clock,
    logger,
    mailDomain: config.mailDomain,
    fromAddress: config.fromAddress,
    unsubscribeUrl: (token) => `${config.publicUrl}/unsubscribe?t=${token}`,
    refreshHistory: makeRefreshHistory({ store, clock, logger }),
  });
  return { clock, logger, store, replyTokens, sendDigest };
}
