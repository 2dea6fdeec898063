import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** The process "died" on this call: the request never reached the table. */
export class SimulatedCrashError extends Error {
  constructor(call: CallSeen) {
    super(`simulated crash on call ${call.index} (${call.command} ${call.sortKey ?? ''})`);
    this.name = 'SimulatedCrashError';
  }
}

/** What a crash rule sees of one call: its order, the command's class name and the item's sort key. */
export interface CallSeen {
  index: number;
  command: string;
  sortKey: string | undefined;
}

type Command = Parameters<DynamoDBDocumentClient['send']>[0];

/**
 * A document client that fails the calls `crashesOn` picks, as if the process stopped there, and
 * passes every other call through. `settled()` waits until no call is in flight any more, so what
 * the "crash" left is complete before the retry starts.
 */
export function crashingClient(
  client: DynamoDBDocumentClient,
  crashesOn: (call: CallSeen) => boolean,
) {
  const inFlight: Promise<unknown>[] = [];
  const send = (command: Command) => {
    const input = command.input as { Key?: { SK?: string }; Item?: { SK?: string } };
    const call: CallSeen = {
      index: inFlight.length,
      command: command.constructor.name,
      sortKey: input.Key?.SK ?? input.Item?.SK,
    };
    const sent = crashesOn(call)
      ? Promise.reject(new SimulatedCrashError(call))
      : client.send(command);
    inFlight.push(sent);
    return sent;
  };
  const crashing = new Proxy(client, {
    get: (target, property, receiver) =>
      property === 'send' ? send : Reflect.get(target, property, receiver),
  });
  return {
    client: crashing,
    settled: async () => {
      let seen = -1;
      while (seen !== inFlight.length) {
        seen = inFlight.length;
        await Promise.allSettled(inFlight);
        await new Promise((resolve) => setImmediate(resolve));
      }
    },
  };
}
