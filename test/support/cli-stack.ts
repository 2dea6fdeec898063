import { silentLogger } from '#adapters/logger.ts';
import { readLocalConfig } from '#local/local-config.ts';
import { type LocalStack, startLocalStack } from '#local/local-stack.ts';

/**
 * The local stack on a data folder, as `npm start` runs it but on free ports, with no scheduler
 * and its stack file written, so the compiled CLI finds it and talks to it (and runs on its clock).
 */
export function startCliStack(
  dataDir: string,
  options: { clock?: string; writeStackFile?: boolean } = {},
): Promise<LocalStack> {
  return startLocalStack(
    {
      ...readLocalConfig({
        GIVEFIRST_DATA_DIR: dataDir,
        ...(options.clock ? { GIVEFIRST_CLOCK: options.clock } : {}),
      }),
      smtpPort: 0,
      dynamoPort: 0,
      sesPort: 0,
      httpPort: 0,
      schedulerSeconds: 0,
    },
    { logger: silentLogger, writeStackFile: options.writeStackFile ?? true },
  );
}
