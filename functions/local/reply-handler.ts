import { SESv2Client } from '@aws-sdk/client-sesv2';
import { makeSesMailer } from '#adapters/ses/ses-mailer.ts';
import type { Clock, Logger } from '#domain/ports.ts';
import { makeHandleReply } from '#use-cases/handle-reply.ts';
import { localRegion } from './local-config.ts';
import type { LocalServices } from './services.ts';
import { localReplyTokens } from './token-keys.ts';

/**
 * Reply commands on the local stack: answers go out through the SES emulator (its page shows
 * them), tokens are read with the data folder's key.
 */
export async function makeLocalReplyHandler(
  services: LocalServices,
  options: {
    dataDir: string;
    mailDomain: string;
    sesEndpoint: string;
    clock: Clock;
    logger: Logger;
  },
) {
  const ses = new SESv2Client({
    region: localRegion,
    endpoint: options.sesEndpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const handleReply = makeHandleReply({
    users: services.store,
    digests: services.store,
    steering: services.steering,
    relationships: services.relationships,
    tokens: await localReplyTokens(options.dataDir),
    mailer: makeSesMailer({ ses, logger: options.logger }),
    clock: options.clock,
    logger: options.logger,
    mailDomain: options.mailDomain,
  });
  return { handleReply, close: () => ses.destroy() };
}
