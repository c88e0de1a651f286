/**
 * The local host's non-HTTP triggers: timer functions on their six-field NCRONTAB schedules (croner, no
 * overlapping runs) and queue functions fed by the embedded queue, with Service Bus-like trigger metadata.
 */
import { randomUUID } from 'node:crypto';
import { Cron } from 'croner';
import { InvocationContext } from '@azure/functions';
import type { QueueFunction, TimerFunction } from '../../functions/definition';
import type { AppServices } from '../../shared/app/services';
import type { Consumer, EmbeddedQueue } from '../../shared/stores/queue/embedded-queue';

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
}

export function startTriggerHost(
  { timers, queues, queue, scheduleTimers }: TriggerHostOptions,
  services: AppServices,
): TriggerHost {
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
        const context = new InvocationContext({
          invocationId: randomUUID(),
          functionName: definition.name,
          triggerMetadata: {
            messageId: message.messageId,
            deliveryCount: message.deliveryCount,
            sessionId: message.sessionId,
            enqueuedTimeUtc: message.enqueuedTimeUtc.toISOString(),
            sequenceNumber: message.sequenceNumber,
            applicationProperties: message.applicationProperties ?? {},
          },
        });
        await definition.handler(message.body, context, services);
      },
      {
        concurrency: services.settings.queueLimits.maxConcurrency,
        onError: (error, message) =>
          services.logger.warn(`${definition.name} did not complete a message`, {
            messageId: message.messageId,
            deliveryCount: message.deliveryCount,
            error,
          }),
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
