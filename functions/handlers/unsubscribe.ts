// (primary adapter: Lambda function URL) --> unsubscribe --> (DynamoDB)
import type { APIGatewayProxyStructuredResultV2, LambdaFunctionURLEvent } from 'aws-lambda';
import { makeDocumentClient } from '#adapters/aws-clients.ts';
import { makeClock } from '#adapters/clock.ts';
import { readUnsubscribeConfig } from '#adapters/config.ts';
import { DynamoStore } from '#adapters/dynamodb/dynamodb-store.ts';
import {
  type UnsubscribeResponse,
  unsubscribeHeaders,
  unsubscribePages,
} from '#adapters/http/unsubscribe-pages.ts';
import { makeLogger } from '#adapters/logger.ts';
import { replyTokenKeysOf } from '#adapters/secrets/secret-reply-tokens.ts';
import { makeUnsubscribe } from '#use-cases/unsubscribe.ts';

const config = readUnsubscribeConfig(process.env);
const clock = makeClock('system');
const logger = makeLogger({ fn: 'unsubscribe' });
const store = new DynamoStore({
  client: makeDocumentClient({ region: config.region }),
  tableName: config.tableName,
  clock,
});
const replyTokens = replyTokenKeysOf(config, clock);

const answer = ({ status, html }: UnsubscribeResponse): APIGatewayProxyStructuredResultV2 => ({
  statusCode: status,
  headers: { ...unsubscribeHeaders },
  body: html,
});

/**
 * The public one-click unsubscribe endpoint (the digest's List-Unsubscribe URL): a POST unsubscribes
 * (RFC 8058), a GET only shows a button, as on the local listener.
 */
export async function handler(
  event: LambdaFunctionURLEvent,
): Promise<APIGatewayProxyStructuredResultV2> {
  if (event.rawPath !== '/unsubscribe') return answer(unsubscribePages.notFound());
  const token = event.queryStringParameters?.t ?? '';
  const method = event.requestContext.http.method;
  if (method !== 'GET' && method !== 'POST') return answer(unsubscribePages.notAllowed());
  const unsubscribe = makeUnsubscribe({ store, tokens: await replyTokens.current(), clock });
  if (method === 'GET') return answer(unsubscribePages.confirm(token, unsubscribe.check(token)));
  const outcome = await unsubscribe.unsubscribe(token);
  logger.info('unsubscribe', { status: outcome.status });
  return answer(unsubscribePages.done(outcome));
}
