import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as sesLocal from 'aws-ses-v2-local';
import { keepIdleConnections } from './loopback-server.ts';

export interface RunningSesEmulator {
  endpoint: string;
  close(): Promise<void>;
}

type StartSes = (config?: { host?: string; port?: number }) => Promise<Server>;

/** aws-ses-v2-local: the SES API on loopback; its page lists every email sent. */
export async function startSesEmulator(port: number): Promise<RunningSesEmulator> {
  const module = sesLocal as unknown as { default: StartSes | { default: StartSes } };
  const start = typeof module.default === 'function' ? module.default : module.default.default;
  const server = await start({ host: '127.0.0.1', port });
  keepIdleConnections(server);
  if (!server.listening) await new Promise((resolve) => server.once('listening', resolve));
  const bound = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${bound}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
