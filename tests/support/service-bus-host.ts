/**
 * Delivers Service Bus messages to a handler the way the Functions host's Service Bus trigger does, over the
 * stand-in's receivers: peek-lock, call the handler, complete on success, abandon on throw; at most
 * `concurrency` calls at once; on a session-enabled queue, one session per worker (session lock) and one
 * message of a session at a time. The handler sees deliveryCount from 1, as the trigger metadata reports it.
 */
import type { Consumer, DeliveredMessage } from './queue-conformance';
import type { StandInReceivedMessage, StandInReceiver, StandInServiceBusClient } from './service-bus-standin/client';

const POLL_MS = 20;

function delivered(message: StandInReceivedMessage): DeliveredMessage {
  return {
    messageId: String(message.messageId),
    body: message.body,
    sessionId: message.sessionId,
    deliveryCount: (message.deliveryCount ?? 0) + 1,
    lockToken: message.lockToken!,
  };
}

async function settle(
  receiver: StandInReceiver,
  message: StandInReceivedMessage,
  handler: (message: DeliveredMessage) => Promise<void>,
): Promise<void> {
  let failed = false;
  try {
    await handler(delivered(message));
  } catch {
    failed = true;
  }
  // A lock lost while the handler ran makes settling fail, as on the host: the message comes back anyway.
  await (failed ? receiver.abandonMessage(message) : receiver.completeMessage(message)).catch(() => undefined);
}

export function consumeLikeFunctionsHost(
  client: StandInServiceBusClient,
  queue: string,
  handler: (message: DeliveredMessage) => Promise<void>,
  options: { concurrency: number },
): Consumer {
  let stopped = false;
  const sessions = client.ns.options(queue).requiresSession;
  const workers = sessions ? Array.from({ length: options.concurrency }, () => sessionWorker()) : [plainLoop()];

  async function plainLoop(): Promise<void> {
    const receiver = client.createReceiver(queue, { receiveMode: 'peekLock' });
    const inFlight = new Set<Promise<void>>();
    try {
      while (!stopped) {
        if (inFlight.size >= options.concurrency) {
          await Promise.race(inFlight);
          continue;
        }
        const batch = await receiver.receiveMessages(options.concurrency - inFlight.size, { maxWaitTimeInMs: POLL_MS });
        for (const message of batch) {
          const run: Promise<void> = settle(receiver, message, handler).finally(() => inFlight.delete(run));
          inFlight.add(run);
        }
      }
      await Promise.all(inFlight);
    } finally {
      await receiver.close();
    }
  }

  async function sessionWorker(): Promise<void> {
    while (!stopped) {
      const session = await client.acceptSession(queue, undefined, { maxWaitTimeInMs: POLL_MS });
      if (!session) continue;
      try {
        while (!stopped) {
          const [message] = await session.receiveMessages(1, { maxWaitTimeInMs: POLL_MS });
          if (!message) break;
          await settle(session, message, handler);
        }
      } finally {
        await session.close();
      }
    }
  }

  return {
    stop: async () => {
      stopped = true;
      await Promise.all(workers);
    },
  };
}
