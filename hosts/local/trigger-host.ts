/**
 * The local host's non-HTTP triggers: timer functions on their six-field NCRONTAB schedules (croner, no
 * overlapping runs) and queue functions fed by the embedded queue, with Service Bus-like trigger metadata.
 * Timers always run in this process (one owner, like Azure's singleton timer lock). Queue messages are
 * received here, where the queue lives, and their invocations run through a QueueInvoker: in this process, or
 * in the worker processes (LOCAL_WORKERS > 1, workers/queue-dispatch.ts). Either way the queue's consumer
 * decides completion (ok) or abandonment (anything else), holds the concurrency limit for all invocations
 * together, and keeps one message of a session in flight at a time.
 */
import { randomUUID } from 'node:crypto';
import { Cron } from 'croner';
import { InvocationContext } from '@azure/functions';
import type { QueueFunction, TimerFunction } from '../../functions/definition';
import type { AppServices } from '../../shared/app/services';
import type { Consumer, EmbeddedQueue } from '../../shared/stores/queue/embedded-queue';
import { inProcessInvoker, queueInvocation, type QueueInvoker } from './queue-invocation';

export interface TriggerHost {
  /** Stop timers, stop taking messages, and wait for work in flight. */
  stop(): Promise<void>;
  /** Run a timer function now, as its schedule would (tests, demos). */
  fire(name: string): Promise<void>;
}

export interface TriggerHostOptions {
  timers: TimerFunction[];
  queues: QueueFunction[];
  queue: EmbeddedQueue;
  /** Run timers on their schedules; when false they only run through fire(). */
  scheduleTimers: boolean;
  /** Where queue invocations run; this process when absent. */
  invoker?: QueueInvoker;
}

export function startTriggerHost(
  { timers, queues, queue, scheduleTimers, invoker: dispatchTo }: TriggerHostOptions,
  services: AppServices,
): TriggerHost {
  const invoker = dispatchTo ?? inProcessInvoker(queues, services);
  const running = new Set<Promise<void>>();
  const runTimer = (definition: TimerFunction, isPastDue: boolean): Promise<void> => {
    const context = new InvocationContext({ invocationId: randomUUID(), functionName: definition.name });
    const run = definition
      .handler(
        { isPastDue, schedule: { adjustForDST: false }, scheduleStatus: { last: '', next: '', lastUpdated: '' } },
        context,
        services,
      )
      .catch((error: unknown) => services.logger.error(`${definition.name} failed`, { error }))
      .finally(() => running.delete(run));
    running.add(run);
    return run;
  };

  const jobs = (scheduleTimers ? timers : []).map(
    (definition) =>
      new Cron(definition.schedule(services.settings), { protect: true }, () => runTimer(definition, false)),
  );

  const consumers: Consumer[] = queues.map((definition) =>
    queue.consume(
      definition.queueName,
      async (message) => {
        const outcome = await invoker.invoke(queueInvocation(definition, message));
        services.metrics.increment('queue_invocations', 1, {
          function: definition.name,
          ranIn: outcome.ranIn,
          outcome: outcome.ok ? 'completed' : 'failed',
        });
        if (outcome.ok) return;
        services.logger.warn(`${definition.name} did not complete a message`, {
          messageId: message.messageId,
          deliveryCount: message.deliveryCount,
          ranIn: outcome.ranIn,
          error: outcome.error,
        });
        // The consumer abandons the message with this error's message as the reason.
        throw asError(outcome.error);
      },
      {
        concurrency: services.settings.queueLimits.maxConcurrency,
      },
    ),
  );

  return {
    async stop() {
      for (const job of jobs) job.stop();
      await Promise.all(consumers.map((consumer) => consumer.stop()));
      await Promise.allSettled([...running]);
    },
    async fire(name) {
      const definition = timers.find((candidate) => candidate.name === name);
      if (!definition) throw new Error(`no timer function ${name}`);
      await runTimer(definition, false);
    },
  };
}

/** An Error as it came (its message is the abandon reason); anything else thrown becomes one. */
function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
