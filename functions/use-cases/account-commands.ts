import type { User } from '#domain/model.ts';
import type {
  AccountStore,
  DigestStore,
  HistoryStore,
  LedgerStore,
  Logger,
  Mailer,
  RawMailStore,
  SteeringStore,
  UserDeletion,
} from '#domain/ports.ts';
import { makeDeleteMyData } from './delete-my-data.ts';
import { makeExportData } from './export-data.ts';
import { makeForgetContact } from './forget-contact.ts';
import type { AccountCommands } from './handle-reply.ts';
import type { Relationships } from './help-first.ts';

/** The account commands of reply mail, wired to one store: shared by the local stack and AWS. */
export function makeAccountCommands(deps: {
  store: Pick<LedgerStore, 'listMessages'> &
    Pick<HistoryStore, 'getCheckpoint' | 'putCheckpoint' | 'forgetColdContact'> &
    AccountStore &
    Pick<DigestStore, 'letGoShown'> &
    UserDeletion;
  steering: SteeringStore;
  rawMail: Pick<RawMailStore, 'remove'>;
  mailer: Mailer;
  logger: Logger;
  relationships: (user: User, asOf?: Date) => Promise<Relationships>;
}): AccountCommands {
  return {
    forget: makeForgetContact({
      ledger: deps.store,
      account: deps.store,
      history: deps.store,
      rawMail: deps.rawMail,
      steering: deps.steering,
      digests: deps.store,
      relationships: deps.relationships,
    }),
    exportData: makeExportData({ relationships: deps.relationships }),
    deleteMyData: makeDeleteMyData({
      deletion: deps.store,
      rawMail: deps.rawMail,
      mailer: deps.mailer,
      logger: deps.logger,
    }),
  };
}
