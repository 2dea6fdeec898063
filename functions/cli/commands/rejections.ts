import { print } from '../output.ts';
import type { Command } from './command.ts';

export const rejections: Command = (line, connected) =>
  connected(async (conn) => {
    const days = line.days ?? 7;
    const rejections = await conn.services.store.listRejections({ days, limit: 200 });
    print(line, { rejections }, () =>
      rejections.length
        ? rejections
            .map(
              (r) =>
                `${r.receivedAt}  ${r.from ?? '(no from)'} → ${r.recipients.join(', ')}\n  ${r.reason}: ${r.detail}`,
            )
            .join('\n')
        : `no rejections in the last ${days} days`,
    );
    return 0;
  });
