import { makeSesClient } from '#adapters/aws-clients.ts';
import { composeRaw } from '#adapters/ses/compose-raw.ts';
import { makeSesMailer } from '#adapters/ses/ses-mailer.ts';
import type { Clock, Logger } from '#domain/ports.ts';
import { makeAccountCommands } from '#use-cases/account-commands.ts';
import { confirmationsPerHour, makeHandleReply } from '#use-cases/handle-reply.ts';
import { makeJoin } from '#use-cases/join.ts';
import { makeNoteUnknownTags } from '#use-cases/note-unknown-tags.ts';
import { localRegion } from './local-config.ts';
import type { Services } from './services.ts';
import { localReplyTokens } from './token-keys.ts';

/**
 * Reply commands, joining by email and unknown-tag notes on the local stack: answers go out through the SES emulator (its page shows
 * them), tokens are read with the data folder's key.
 */
export async function makeLocalReplyHandler(
  services: Services,
  options: {
    dataDir: string;
    mailDomain: string;
    sesEndpoint: string;
    clock: Clock;
    logger: Logger;
  },
) {
  const ses = makeSesClient({ region: localRegion, endpoint: options.sesEndpoint });
  const tokens = await localReplyTokens(options.dataDir);
  const mailer = makeSesMailer({ ses, composeRaw });
  const handleReply = makeHandleReply({
    users: services.store,
    digests: services.store,
    steering: services.steering,
    relationships: services.relationships,
    tokens,
    mailer,
    clock: options.clock,
    logger: options.logger,
    mailDomain: options.mailDomain,
    account: makeAccountCommands({
      store: services.store,
      steering: services.steering,
      rawMail: services.rawMail,
      mailer,
      logger: options.logger,
      relationships: services.relationships,
    }),
  });
  const noteUnknownTags = makeNoteUnknownTags({
    steering: services.steering,
    mailer,
    tokens,
    clock: options.clock,
    logger: options.logger,
    mailDomain: options.mailDomain,
    perHour: confirmationsPerHour,
  });
  const join = makeJoin({
    onboarding: services.onboarding,
    users: services.store,
    registerUser: services.registerUser,
    tokens,
    mailer,
    clock: options.clock,
    logger: options.logger,
    mailDomain: options.mailDomain,
  });
  return {
    answers: { handleReply: join.replies(handleReply), noteUnknownTags, welcome: join.welcome },
    close: () => ses.destroy(),
  };
}
