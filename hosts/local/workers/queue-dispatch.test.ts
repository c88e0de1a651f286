/**
 * Queue-triggered invocations dispatched by the trigger host to worker processes (LOCAL_WORKERS > 1): the host's
 * embedded queue receives and settles, the "workers" run the handlers over channels that serialise as the
 * cluster's IPC does. Completion, abandonment up to the dead-letter queue, session order, the concurrency limit
 * across workers, the least busy worker, and a worker that goes away mid-message. Real worker processes (and a
 * SIGKILL) are in tests/e2e/demo-sync-workers.test.ts and tests/e2e/queue-dispatch-kill.test.ts.
 */
import type { QueueFunction } from '../../../functions/definition';
import type { AppServices } from '../../../shared/app/services';
import { EmbeddedQueue } from '../../../shared/stores/queue/embedded-queue';
import { deliveryInfoFrom } from '../../../shared/stores/queue/queue-port';
import type { QueueName } from '../../../shared/stores/queue/queues';
import { Metrics } from '../../../shared/platform/observability/metrics';
import { createMemoryLogger } from '../../../shared/platform/observability/logger';
import { eventually } from '../../../tests/support/eventually';
import { channelPair } from '../../../tests/support/ipc-channel';
import { startTriggerHost, type TriggerHost } from '../trigger-host';
import { QueueDispatcher, FUNCTIONS_TARGET, servedQueueFunctions } from './queue-dispatch';
import { serveCalls } from './rpc';

const PLAIN: QueueName = 'sync-outbound';
const SESSIONS: QueueName = 'sync-inbound';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What a handler saw: which worker ran it, and the invocation's context. */
interface Seen {
  worker: string;
  body: unknown;
  messageId: string;
  deliveryCount: number;
  sessionId?: string;
  functionName: string;
  invocationId: string;
}

function servicesOf(name: string, maxConcurrency: number): AppServices & { workerName: string } {
  return {
    workerName: name,
    settings: { queueLimits: { maxConcurrency } },
    metrics: new Metrics(),
    logger: createMemoryLogger('error').logger,
  } as unknown as AppServices & { workerName: string };
}

interface Rig {
  queue: EmbeddedQueue;
  host: AppServices;
  dispatcher: QueueDispatcher;
  triggers: TriggerHost;
  seen: Seen[];
  /** Adds a worker that serves `definitions` over its own channel pair. */
  addWorker(name: string): void;
}

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.triggers.stop();
  rig = undefined;
});

/** The trigger host over an embedded queue, dispatching to workers that run `handle` for both test functions. */
function start(
  handle: (seen: Seen) => Promise<void>,
  options: { workers?: number; maxConcurrency?: number; maxWaitMs?: number } = {},
): Rig {
  const maxConcurrency = options.maxConcurrency ?? 4;
  const queue = new EmbeddedQueue({ maxDeliveryCount: 3, duplicateWindowMs: 60_000, lockDurationMs: 60_000 });
  const seen: Seen[] = [];
  const definition = (name: string, queueName: QueueName): QueueFunction => ({
    name,
    trigger: 'serviceBusQueue',
    queueName,
    isSessionsEnabled: queueName === SESSIONS,
    async handler(body, context, services) {
      const delivery = deliveryInfoFrom(context.triggerMetadata);
      const record: Seen = {
        worker: (services as AppServices & { workerName: string }).workerName,
        body,
        messageId: delivery.messageId,
        deliveryCount: delivery.deliveryCount,
        sessionId: delivery.sessionId,
        functionName: context.functionName,
        invocationId: context.invocationId,
      };
      seen.push(record);
      await handle(record);
    },
  });
  const definitions = [definition('PlainFunction', PLAIN), definition('SessionFunction', SESSIONS)];
  const dispatcher = new QueueDispatcher({ maxWaitMs: options.maxWaitMs ?? 10_000 });
  const addWorker = (name: string) => {
    const [hostEnd, workerEnd] = channelPair();
    serveCalls(workerEnd, {
      [FUNCTIONS_TARGET]: servedQueueFunctions(definitions, servicesOf(name, maxConcurrency), new Set()),
    });
    dispatcher.add(name, hostEnd);
  };
  for (let i = 0; i < (options.workers ?? 2); i++) addWorker(`worker-${i}`);
  const host = servicesOf('host', maxConcurrency);
  const triggers = startTriggerHost(
    { timers: [], queues: definitions, queue, scheduleTimers: false, invoker: dispatcher },
    host,
  );
  rig = { queue, host, dispatcher, triggers, seen, addWorker };
  return rig;
}

const invocations = (host: AppServices, functionName: string, ranIn: string, outcome: string) =>
  host.metrics.get('queue_invocations', { function: functionName, ranIn, outcome });

describe('queue invocations dispatched to worker processes', () => {
  it('runs each message in a worker with its trigger metadata, completes it, and spreads work to the least busy', async () => {
    let active = 0;
    let peak = 0;
    const activeIn = new Map<string, number>();
    let peakInOne = 0;
    const { queue, host, seen } = start(
      async ({ worker }) => {
        active += 1;
        activeIn.set(worker, (activeIn.get(worker) ?? 0) + 1);
        peak = Math.max(peak, active);
        peakInOne = Math.max(peakInOne, activeIn.get(worker)!);
        await sleep(20);
        activeIn.set(worker, activeIn.get(worker)! - 1);
        active -= 1;
      },
      { maxConcurrency: 4 },
    );
    await queue.send(
      PLAIN,
      Array.from({ length: 16 }, (_, i) => ({ messageId: `m${i}`, body: { i } })),
    );
    await eventually(() => (queue.depth(PLAIN) === 0 ? true : undefined), 'every message completed', 10_000, 10);

    expect(seen.map((s) => (s.body as { i: number }).i).sort((a, b) => a - b)).toEqual([...Array(16).keys()]);
    expect(seen.every((s) => s.functionName === 'PlainFunction' && s.deliveryCount === 1)).toBe(true);
    expect(seen[0]!.messageId).toBe('m0');
    expect(new Set(seen.map((s) => s.invocationId)).size).toBe(16);
    // The host's limit holds for all workers together; the least busy worker gets the next one.
    expect(peak).toBe(4);
    expect(peakInOne).toBe(2);
    const perWorker = ['worker-0', 'worker-1'].map((w) => invocations(host, 'PlainFunction', w, 'completed'));
    expect(perWorker[0]! + perWorker[1]!).toBe(16);
    expect(Math.min(...perWorker)).toBeGreaterThan(0);
    expect(invocations(host, 'PlainFunction', 'host', 'completed')).toBe(0);
    expect(queue.deadLetters(PLAIN)).toEqual([]);
  });

  it('abandons a message whose handler threw in a worker, delivers it again, and dead-letters it after the last delivery', async () => {
    const { queue, host, seen } = start(async () => {
      throw new Error('provider exploded');
    });
    await queue.send(PLAIN, [{ messageId: 'poison', body: { poison: true } }]);
    await eventually(() => (queue.deadLetters(PLAIN).length === 1 ? true : undefined), 'the dead letter', 10_000, 10);

    expect(seen.map((s) => s.deliveryCount)).toEqual([1, 2, 3]);
    const [letter] = queue.deadLetters(PLAIN);
    expect(letter).toMatchObject({
      messageId: 'poison',
      deliveryCount: 3,
      deadLetterReason: 'MaxDeliveryCountExceeded',
      deadLetterErrorDescription: 'provider exploded',
    });
    const failed = ['worker-0', 'worker-1'].map((w) => invocations(host, 'PlainFunction', w, 'failed'));
    expect(failed[0]! + failed[1]!).toBe(3);
    expect(queue.depth(PLAIN)).toBe(0);
  });

  it('never runs two messages of one session at once and keeps their order, while other sessions run beside it', async () => {
    const activeSessions = new Map<string, number>();
    let overlapWithin = 0;
    let peakAcross = 0;
    const { queue, seen } = start(async ({ sessionId }) => {
      const now = (activeSessions.get(sessionId!) ?? 0) + 1;
      activeSessions.set(sessionId!, now);
      if (now > 1) overlapWithin += 1;
      peakAcross = Math.max(peakAcross, [...activeSessions.values()].filter((n) => n > 0).length);
      await sleep(5 + Math.floor(Math.random() * 10));
      activeSessions.set(sessionId!, activeSessions.get(sessionId!)! - 1);
    });
    const messages = ['a', 'b', 'c'].flatMap((session) =>
      Array.from({ length: 6 }, (_, i) => ({ messageId: `${session}${i}`, sessionId: session, body: { i } })),
    );
    await queue.send(SESSIONS, messages);
    await eventually(() => (queue.depth(SESSIONS) === 0 ? true : undefined), 'every session drained', 10_000, 10);

    expect(overlapWithin).toBe(0);
    for (const session of ['a', 'b', 'c'])
      expect(seen.filter((s) => s.sessionId === session).map((s) => s.messageId)).toEqual(
        Array.from({ length: 6 }, (_, i) => `${session}${i}`),
      );
    expect(peakAcross).toBeGreaterThan(1);
    // Sessions are not pinned to a worker: both ran some.
    expect(new Set(seen.map((s) => s.worker)).size).toBe(2);
  });

  it('delivers a message again at once when the worker running it goes away, without waiting for its lock', async () => {
    let release!: () => void;
    const stuck = new Promise<void>((resolve) => (release = resolve));
    const { queue, host, dispatcher, seen } = start(async ({ messageId, deliveryCount }) => {
      if (messageId === 'first' && deliveryCount === 1) await stuck;
    });
    await queue.send(SESSIONS, [
      { messageId: 'first', sessionId: 's', body: {} },
      { messageId: 'second', sessionId: 's', body: {} },
    ]);
    const running = await eventually(() => seen[0], 'the first delivery', 5_000, 5);
    dispatcher.remove(running.worker, `${running.worker} exited (SIGKILL) before it finished the invocation`);
    const started = Date.now();
    await eventually(
      () => (queue.depth(SESSIONS) === 0 ? true : undefined),
      'both messages completed',
      5_000,
      10,
    ).finally(release);
    // The lock lasts 60 s: only the worker's departure can have freed the message this soon.
    expect(Date.now() - started).toBeLessThan(5_000);

    expect(seen.map((s) => [s.messageId, s.deliveryCount])).toEqual([
      ['first', 1],
      ['first', 2],
      ['second', 1],
    ]);
    const other = running.worker === 'worker-0' ? 'worker-1' : 'worker-0';
    expect(seen.slice(1).every((s) => s.worker === other)).toBe(true);
    expect(invocations(host, 'SessionFunction', running.worker, 'failed')).toBe(1);
    expect(invocations(host, 'SessionFunction', other, 'completed')).toBe(2);
  });

  it('holds an invocation until a worker is up, and abandons it when none comes in time', async () => {
    const { queue, host, seen, addWorker } = start(async () => undefined, { workers: 0, maxWaitMs: 300 });
    await queue.send(PLAIN, [{ messageId: 'early', body: {} }]);
    await eventually(
      () => (invocations(host, 'PlainFunction', 'none', 'failed') === 1 ? true : undefined),
      'the abandoned invocation',
      5_000,
      10,
    );
    expect(seen).toEqual([]);
    addWorker('worker-0');
    // The lock was given back: the next delivery (the second) reaches the worker that came up.
    await eventually(() => (queue.depth(PLAIN) === 0 ? true : undefined), 'the message completed', 5_000, 10);
    expect(seen.map((s) => [s.worker, s.deliveryCount])).toEqual([['worker-0', 2]]);
  });
});
