import { makeSesClient } from '#adapters/aws-clients.ts';
import { makeSesMailer } from '#adapters/ses/ses-mailer.ts';
import type { Clock, Logger } from '#domain/ports.ts';
import { makeRefreshHistory } from '#use-cases/read-history.ts';
import { makeSendDigest } from '#use-cases/send-digest.ts';
import { localRegion } from './local-config.ts';
import type { Services } from './services.ts';
import { localReplyTokens } from './token-keys.ts';

/**
 * The digest sender of the local stack: SES is the emulator (aws-ses-v2-local, whose page shows
 * every email sent), tokens use the data folder's key.
 */
export async function makeLocalDigestSender(
  services: Services,
  options: {
    dataDir: string;
    mailDomain: string;
    sesEndpoint: string;
    publicUrl: string;
    clock: Clock;
    logger: Logger;
  },
) {
  const ses = makeSesClient({ region: localRegion, endpoint: options.sesEndpoint });
  const tokens = await localReplyTokens(options.dataDir);
  const sendDigest = makeSendDigest({
    store: services.store,
    relationships: services.relationships,
    steering: services.steering,
    mailer: makeSesMailer({ ses }),
    issueToken: (claims) => tokens.issue(claims),
    clock: options.clock,
    logger: options.logger,
    mailDomain: options.mailDomain,
    unsubscribeUrl: (token) => `${options.publicUrl}/unsubscribe?t=${token}`,
    refreshHistory: makeRefreshHistory({
      store: services.store,
      clock: options.clock,
      logger: options.logger,
    }),
  });
  return { sendDigest, close: () => ses.destroy() };
}
