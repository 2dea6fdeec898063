import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TestSecrets {
  endpoint: string;
  /** The GetSecretValue calls answered so far. */
  reads: number;
  close(): Promise<void>;
}

/**
 * The one Secrets Manager call givefirst makes (GetSecretValue, AWS JSON 1.1), answered on loopback
 * with the secrets given, so a handler's real SDK client reads a real HTTP answer.
 */
export async function startTestSecrets(secrets: Record<string, string>): Promise<TestSecrets> {
  const state = { reads: 0 };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    req.on('end', () => {
      const target = req.headers['x-amz-target'];
      const { SecretId } = JSON.parse(body || '{}') as { SecretId?: string };
      const secret = SecretId === undefined ? undefined : secrets[SecretId];
      res.setHeader('content-type', 'application/x-amz-json-1.1');
      if (target !== 'secretsmanager.GetSecretValue' || secret === undefined) {
        res.statusCode = 400;
        res.end(JSON.stringify({ __type: 'ResourceNotFoundException', message: 'no such secret' }));
        return;
      }
      state.reads++;
      res.end(JSON.stringify({ ARN: SecretId, Name: SecretId, SecretString: secret }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    get reads() {
      return state.reads;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
