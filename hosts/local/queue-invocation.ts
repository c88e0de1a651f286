/**
 * One invocation of a queue-triggered function as the local host makes it: the message's body and the Service
 * Bus-like trigger metadata, built once from the embedded queue's delivery where the queue lives (the host
 * process), and run wherever the handler runs (the host process itself, or a worker process with
 * LOCAL_WORKERS > 1). Plain values only, so an invocation crosses processes as a structured clone.
 */
import { randomUUID } from 'node:crypto';
import { InvocationContext } from '@azure/functions';
import type { QueueFunction } from '../../functions/definition';
import type { AppServices } from '../../shared/app/services';
import type { ReceivedMessage } from '../../shared/stores/queue/embedded-queue';

export interface QueueInvocation {
  functionName: string;
  invocationId: string;
  body: unknown;
  triggerMetadata: Record<string, unknown>;
}

/**
 * How an invocation ended, and where it ran ("host", "worker-<index>", or "none" when no worker could take it):
 * the trigger host completes the message on `ok` and abandons it otherwise, exactly as for a handler run here.
 */
export type QueueOutcome = { ranIn: string } & ({ ok: true } | { ok: false; error: unknown });

/** Runs a queue function's invocation somewhere; never rejects: a failure is an outcome. */
export interface QueueInvoker {
  invoke(invocation: QueueInvocation): Promise<QueueOutcome>;
}

export function queueInvocation(definition: QueueFunction, message: ReceivedMessage): QueueInvocation {
  return {
    functionName: definition.name,
    invocationId: randomUUID(),
    body: message.body,
    triggerMetadata: {
      messageId: message.messageId,
      deliveryCount: message.deliveryCount,
      sessionId: message.sessionId,
      enqueuedTimeUtc: message.enqueuedTimeUtc.toISOString(),
      sequenceNumber: message.sequenceNumber,
      applicationProperties: message.applicationProperties ?? {},
    },
  };
}

/** Runs the invocation's handler in this process, with its own InvocationContext. */
export async function runQueueInvocation(
  definitions: readonly QueueFunction[],
  invocation: QueueInvocation,
  services: AppServices,
): Promise<void> {
  const definition = definitions.find((candidate) => candidate.name === invocation.functionName);
  if (!definition) throw new Error(`no queue function ${invocation.functionName}`);
  const context = new InvocationContext({
    invocationId: invocation.invocationId,
    functionName: definition.name,
    triggerMetadata: invocation.triggerMetadata,
  });
  await definition.handler(invocation.body, context, services);
}

/** LOCAL_WORKERS=1: every queue invocation runs in the host process, as it always did. */
export function inProcessInvoker(definitions: readonly QueueFunction[], services: AppServices): QueueInvoker {
  return {
    invoke: (invocation) =>
      runQueueInvocation(definitions, invocation, services).then(
        (): QueueOutcome => ({ ranIn: 'host', ok: true }),
        (error: unknown): QueueOutcome => ({ ranIn: 'host', ok: false, error }),
      ),
  };
}
