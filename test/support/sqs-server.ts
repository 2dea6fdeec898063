import { createHash, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TestSqs {
  endpoint: string;
  /** The queue's URL: on this server, as SQS's URLs name their queue's own endpoint. */
  queueUrl: string;
  /** Puts a message on the queue, as Lambda's on-failure destination does. */
  enqueue(body: string): void;
  /** The bodies still on the queue (received or not), in order. */
  readonly bodies: string[];
  close(): Promise<void>;
}

/**
 * One SQS queue answering SendMessageBatch, ReceiveMessage and DeleteMessage (the JSON protocol,
 * `X-Amz-Target`),
 * on loopback. A received message stays hidden until deleted: the visibility timeout never ends
 * within a test.
 */
export async function startTestSqs(queueName: string): Promise<TestSqs> {
  const messages: { id: string; body: string; handle?: string }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    req.on('end', () => {
      const input = JSON.parse(body || '{}') as {
        QueueUrl?: string;
        MaxNumberOfMessages?: number;
        ReceiptHandle?: string;
        Entries?: { Id: string; MessageBody: string }[];
      };
      const md5 = (text: string) => createHash('md5').update(text).digest('hex');
      const target = req.headers['x-amz-target'];
      res.setHeader('content-type', 'application/x-amz-json-1.0');
      const fail = (type: string, message: string) => {
        res.statusCode = 400;
        res.end(JSON.stringify({ __type: `com.amazonaws.sqs#${type}`, message }));
      };
      if (!input.QueueUrl?.endsWith(`/${queueName}`)) {
        fail('QueueDoesNotExist', 'The specified queue does not exist.');
        return;
      }
      if (target === 'AmazonSQS.SendMessageBatch') {
        const entries = input.Entries ?? [];
        if (entries.length === 0 || entries.length > 10) {
          fail('TooManyEntriesInBatchRequest', 'A batch holds 1 to 10 entries.');
          return;
        }
        const successful = entries.map((entry) => {
          const id = randomUUID();
          messages.push({ id, body: entry.MessageBody });
          return { Id: entry.Id, MessageId: id, MD5OfMessageBody: md5(entry.MessageBody) };
        });
        res.end(JSON.stringify({ Successful: successful, Failed: [] }));
        return;
      }
      if (target === 'AmazonSQS.ReceiveMessage') {
        const visible = messages
          .filter((m) => m.handle === undefined)
          .slice(0, input.MaxNumberOfMessages ?? 1);
        for (const m of visible) m.handle = randomUUID();
        res.end(
          JSON.stringify({
            Messages: visible.map((m) => ({
              MessageId: m.id,
              ReceiptHandle: m.handle,
              MD5OfBody: md5(m.body),
              Body: m.body,
            })),
          }),
        );
        return;
      }
      if (target === 'AmazonSQS.DeleteMessage') {
        const at = messages.findIndex((m) => m.handle && m.handle === input.ReceiptHandle);
        if (at < 0) {
          fail('ReceiptHandleIsInvalid', 'The input receipt handle is invalid.');
          return;
        }
        messages.splice(at, 1);
        res.end('{}');
        return;
      }
      fail('InvalidAction', `not answered here: ${String(target)}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    queueUrl: `${endpoint}/000000000000/${queueName}`,
    enqueue: (body) => {
      messages.push({ id: randomUUID(), body });
    },
    get bodies() {
      return messages.map((m) => m.body);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
