import { connect, type Socket } from 'node:net';

/**
 * An SMTP client that says exactly what a test tells it to, as a hostile or broken sender would:
 * commands one by one, DATA in pieces, a connection dropped at any point.
 */
export interface RawSmtp {
  /** The greeting line. */
  greeting: string;
  /** Sends one command line and resolves with the server's whole (possibly multi-line) reply. */
  command(line: string): Promise<string>;
  /** Writes bytes without waiting for anything. */
  write(bytes: string | Buffer): Promise<void>;
  /** Resolves with the next reply. */
  reply(): Promise<string>;
  /** Resets the TCP connection (RST), as a client that crashed. */
  reset(): void;
  /** Resolves when the server has closed the connection. */
  closed: Promise<void>;
  end(): void;
}

export async function openRawSmtp(port: number): Promise<RawSmtp> {
  const socket: Socket = connect(port, '127.0.0.1');
  socket.setEncoding('latin1');
  let buffer = '';
  const waiting: ((reply: string) => void)[] = [];
  const replies: string[] = [];
  const deliver = () => {
    // A reply ends with a line whose code is followed by a space ("250 ok"), not a dash.
    for (;;) {
      const match = /^(?:\d{3}-[^\n]*\n)*\d{3}(?: [^\n]*)?\r?\n/.exec(buffer);
      if (!match) return;
      buffer = buffer.slice(match[0].length);
      const next = waiting.shift();
      if (next) next(match[0].trimEnd());
      else replies.push(match[0].trimEnd());
    }
  };
  socket.on('data', (chunk: string) => {
    buffer += chunk;
    deliver();
  });
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  const reply = () =>
    new Promise<string>((resolve, reject) => {
      const ready = replies.shift();
      if (ready !== undefined) {
        resolve(ready);
        return;
      }
      waiting.push(resolve);
      closed.then(() => reject(new Error(`connection closed; unread: ${buffer}`)));
    });
  const write = (bytes: string | Buffer) =>
    new Promise<void>((resolve, reject) =>
      socket.write(bytes, (error) => (error ? reject(error) : resolve())),
    );
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('error', reject);
  });
  const greeting = await reply();
  return {
    greeting,
    async command(line) {
      await write(`${line}\r\n`);
      return reply();
    },
    write,
    reply,
    reset: () => socket.resetAndDestroy(),
    closed,
    end: () => socket.end(),
  };
}
