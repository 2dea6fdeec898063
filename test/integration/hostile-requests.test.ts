import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aRawMessage } from '../builders/raw-mail.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

const domain = 'in.givefirst.test';

/** Writes raw bytes to the web listener and resolves with the status line of its answer. */
function rawRequest(port: number, bytes: string | Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(bytes));
    let answer = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      answer += chunk;
    });
    // The server may close while a large body is still being written: what it answered counts.
    socket.on('error', () => undefined);
    socket.on('close', () => {
      const status = answer.split('\r\n')[0] ?? '';
      if (status) resolve(status);
      else reject(new Error('the connection closed without an answer'));
    });
  });
}

/**
 * The local stack's web listener under requests no browser sends: each one gets a 4xx, and the
 * whole stack (web, SMTP, storage) keeps serving. An uncaught exception here fails the run.
 */
describe('hostile web requests', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack({ mailDomain: domain });
    const added = await stack.services.registerUser({ email: 'me@example.com' });
    if (!added.ok) throw new Error(added.problems.join('; '));
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it.each([
    ['a target that is not a URL', 'GET //[ HTTP/1.1\r\nHost: x\r\n\r\n', 400],
    ['an absolute target that is not a URL', 'GET http://[ HTTP/1.1\r\nHost: x\r\n\r\n', 400],
    ['a bad percent escape', 'GET /unsubscribe?t=%E0%A4%A HTTP/1.1\r\nHost: x\r\n\r\n', 400],
    ['an unknown method', 'BREW /unsubscribe HTTP/1.1\r\nHost: x\r\n\r\n', 400],
    ['a method it does not serve', 'DELETE /unsubscribe HTTP/1.1\r\nHost: x\r\n\r\n', 405],
    ['a binary request line', '\u0000\u0001\u0002 \u00ff\r\n\r\n', 400],
    ['a header without a colon', 'GET / HTTP/1.1\r\nHost x\r\n\r\n', 400],
    [
      'a body larger than one-click unsubscribe needs',
      `POST /unsubscribe?t=x HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\n\r\n${'a'.repeat(2_000_000)}`,
      413,
    ],
    [
      'a chunked body larger than one-click unsubscribe needs',
      `POST /unsubscribe?t=x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n${`4000\r\n${'a'.repeat(0x4000)}\r\n`.repeat(64)}0\r\n\r\n`,
      413,
    ],
    [
      'headers larger than Node reads',
      `GET /unsubscribe HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(100_000)}\r\n\r\n`,
      431,
    ],
  ])('answers %s with a 4xx and keeps serving', async (_case, bytes, status) => {
    const answer = await rawRequest(stack.http.port, bytes);

    expect(answer).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
    const page = await fetch(`${stack.http.url}/unsubscribe?t=nothing`);
    expect(page.status).toBe(400);
  });

  it.each([
    ['a target that is not a URL', 'GET //[ HTTP/1.1\r\nHost: x\r\n\r\n'],
    [
      'a body that is not JSON',
      'POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-amz-json-1.0\r\nX-Amz-Target: DynamoDB_20120810.GetItem\r\nContent-Length: 5\r\n\r\n{{{{{',
    ],
    [
      'a broken SES request',
      'POST /v2/email/outbound-emails HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 7\r\n\r\n{"a":[}',
    ],
  ])('the storage and sent-mail listeners answer %s and keep serving', async (_case, bytes) => {
    for (const endpoint of [stack.dynamo.endpoint, stack.ses.endpoint]) {
      const answer = await rawRequest(Number(new URL(endpoint).port), bytes);

      expect(answer).toMatch(/^HTTP\/1\.1 \d{3} /);
    }
    expect((await fetch(`${stack.ses.endpoint}/store`)).status).toBe(200);
  });

  it('still takes mail and stores it after every one of them', async () => {
    const response = await stack.sendRaw(
      { from: 'me@example.com', to: [`log@${domain}`] },
      aRawMessage({ to: 'Alice <alice@x.com>', subject: 'Still here?' }),
    );

    expect(response).toMatch(/\(logged\)/);
  });
});
