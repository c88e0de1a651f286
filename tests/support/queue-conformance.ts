/**
 * The queue semantics the app relies on, as one suite every queue adapter runs with a consumer beside it:
 * at-least-once, delivery count, dead-letter after max deliveries with a reason, scheduled enqueue, sessions
 * (FIFO per session, one consumer per session at a time), duplicate detection by message id, bounded
 * concurrency, lock expiry, redrive. Sending, listing and re-driving go through the adapter under test;
 * receiving goes through what delivers in that world (the embedded queue itself locally; a host-like consumer
 * over Service Bus receivers in Azure, where the Functions host delivers).
 */
import type { DeadLetterAccess, QueueSender } from '../../shared/stores/queue/queue-port';
import type { EmbeddedQueue } from '../../shared/stores/queue/embedded-queue';
import type { QueueName } from '../../shared/stores/queue/queues';

/** A delivered message as a handler sees it (deliveryCount starts at 1, as in the Functions trigger metadata). */
export interface DeliveredMessage {
  messageId: string;
  body: unknown;
  sessionId?: string;
  deliveryCount: number;
  lockToken: string;
}

export interface Consumer {
  /** Stop taking messages and wait for the ones in flight to settle. */
  stop(): Promise<void>;
}

type MaybePromise<T> = T | Promise<T>;

export interface QueueUnderTest {
  /** The adapter the app uses: send, list and re-drive dead letters. */
  queue: QueueSender & DeadLetterAccess;
  /** Deliver to the handler with at most `concurrency` in flight: complete on success, abandon on throw. */
  consume(
    queue: QueueName,
    handler: (message: DeliveredMessage) => Promise<void>,
    options: { concurrency: number },
  ): Consumer;
  /** Lock and return the next deliverable message, or undefined. */
  receive(queue: QueueName): MaybePromise<DeliveredMessage | undefined>;
  complete(queue: QueueName, lockToken: string): MaybePromise<void>;
  abandon(queue: QueueName, lockToken: string, reason: string): MaybePromise<void>;
  /** Messages waiting or in flight (not dead-lettered). */
  depth(queue: QueueName): MaybePromise<number>;
  /** Advance the queue's clock (for windows, schedules and locks). */
  advance(ms: number): void;
  /** The description a message carries when a throwing handler used up its deliveries. */
  exhaustedDescription(handlerError: string, maxDeliveryCount: number): string;
  /** The id of a re-driven dead letter's copy. */
  redrivenId(messageId: string): string | RegExp;
}

/**
 * The embedded queue as its own deliverer, with `queue` the adapter under test (the queue itself, or what reaches
 * it from elsewhere). Its clock moves with `advance`: build the queue with the `now` this passes.
 */
export function embeddedQueueUnderTest(
  build: (now: () => number) => EmbeddedQueue,
  adapter?: (queue: EmbeddedQueue) => QueueSender & DeadLetterAccess,
): QueueUnderTest {
  let offset = 0;
  const queue = build(() => Date.now() + offset);
  return {
    queue: adapter ? adapter(queue) : queue,
    consume: (name, handler, consumeOptions) => queue.consume(name, handler, consumeOptions),
    receive: (name) => queue.receive(name),
    complete: (name, lockToken) => queue.complete(name, lockToken),
    abandon: (name, lockToken, reason) => queue.abandon(name, lockToken, reason),
    depth: (name) => queue.depth(name),
    advance: (ms) => void (offset += ms),
    // The embedded queue knows the handler's error and keeps it; it can reuse the id because it forgets it.
    exhaustedDescription: (handlerError) => handlerError,
    redrivenId: (messageId) => messageId,
  };
}

/** Plain queue; and a session-enabled one for the session test (Service Bus refuses session-less sends there). */
const Q = 'sync-outbound' as const;
const SQ = 'sync-inbound' as const;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(check: () => MaybePromise<boolean>, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await sleep(5);
  }
}

const deadLetters = (queue: QueueUnderTest['queue'], name: QueueName) => queue.listDeadLetters(name, 1000);

export function runQueueConformance(
  name: string,
  make: (options: { maxDeliveryCount: number; lockDurationMs: number; duplicateWindowMs: number }) => QueueUnderTest,
): void {
  describe(`queue conformance: ${name}`, () => {
    const defaults = { maxDeliveryCount: 3, lockDurationMs: 60_000, duplicateWindowMs: 60_000 };

    it('delivers every message at least once and completes it', async () => {
      const harness = make(defaults);
      await harness.queue.send(
        Q,
        Array.from({ length: 20 }, (_, i) => ({ messageId: `m${i}`, body: { i } })),
      );
      const seen: number[] = [];
      const consumer = harness.consume(Q, async (message) => void seen.push((message.body as { i: number }).i), {
        concurrency: 4,
      });
      await until(() => seen.length === 20);
      await consumer.stop();
      expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
      expect(await harness.depth(Q)).toBe(0);
    });

    it('redelivers a failed message with a growing delivery count, then dead-letters it with the reason', async () => {
      const harness = make(defaults);
      await harness.queue.send(Q, [{ messageId: 'poison', body: {} }]);
      const counts: number[] = [];
      const consumer = harness.consume(
        Q,
        async (message) => {
          counts.push(message.deliveryCount);
          throw new Error('provider exploded');
        },
        { concurrency: 1 },
      );
      await until(async () => (await deadLetters(harness.queue, Q)).length === 1);
      await consumer.stop();
      expect(counts).toEqual([1, 2, 3]);
      const [letter] = await deadLetters(harness.queue, Q);
      expect(letter).toMatchObject({
        messageId: 'poison',
        reason: 'MaxDeliveryCountExceeded',
        description: harness.exhaustedDescription('provider exploded', 3),
        deliveryCount: 3,
      });
      expect(await harness.depth(Q)).toBe(0);
    });

    it('a message that fails once and then succeeds is not dead-lettered', async () => {
      const harness = make(defaults);
      await harness.queue.send(Q, [{ messageId: 'flaky', body: {} }]);
      let attempts = 0;
      const consumer = harness.consume(
        Q,
        async () => {
          if (++attempts === 1) throw new Error('transient');
        },
        { concurrency: 1 },
      );
      await until(async () => (await harness.depth(Q)) === 0);
      await consumer.stop();
      expect(attempts).toBe(2);
      expect(await deadLetters(harness.queue, Q)).toHaveLength(0);
    });

    it('drops a message whose id was seen within the duplicate window, accepts it after the window', async () => {
      const { queue, advance, depth } = make(defaults);
      await queue.send(Q, [{ messageId: 'same', body: { n: 1 } }]);
      await queue.send(Q, [{ messageId: 'same', body: { n: 2 } }]);
      expect(await depth(Q)).toBe(1);
      advance(defaults.duplicateWindowMs + 1);
      await queue.send(Q, [{ messageId: 'same', body: { n: 3 } }]);
      expect(await depth(Q)).toBe(2);
    });

    it('holds a scheduled message until its time', async () => {
      const harness = make(defaults);
      const at = new Date(Date.now() + 10_000);
      await harness.queue.send(Q, [{ messageId: 'later', body: {}, scheduledEnqueueTimeUtc: at }]);
      expect(await harness.receive(Q)).toBeUndefined();
      harness.advance(10_001);
      expect((await harness.receive(Q))?.messageId).toBe('later');
    });

    it('keeps FIFO order within a session and gives a session to one consumer at a time', async () => {
      const harness = make(defaults);
      const messages = ['a', 'b'].flatMap((session) =>
        Array.from({ length: 10 }, (_, i) => ({
          messageId: `${session}${i}`,
          sessionId: session,
          body: { session, i },
        })),
      );
      await harness.queue.send(SQ, messages);
      const order: Record<string, number[]> = { a: [], b: [] };
      const active = new Map<string, number>();
      let overlap = false;
      const consumer = harness.consume(
        SQ,
        async (message: DeliveredMessage) => {
          const { session, i } = message.body as { session: string; i: number };
          active.set(session, (active.get(session) ?? 0) + 1);
          if (active.get(session)! > 1) overlap = true;
          await sleep(Math.random() * 3);
          order[session]!.push(i);
          active.set(session, active.get(session)! - 1);
        },
        { concurrency: 8 },
      );
      await until(() => order.a!.length === 10 && order.b!.length === 10);
      await consumer.stop();
      expect(overlap).toBe(false);
      expect(order.a).toEqual([...Array(10).keys()]);
      expect(order.b).toEqual([...Array(10).keys()]);
    });

    it('never runs more than the configured number of messages at once', async () => {
      const harness = make(defaults);
      await harness.queue.send(
        Q,
        Array.from({ length: 30 }, (_, i) => ({ messageId: `c${i}`, body: {} })),
      );
      let inFlight = 0;
      let peak = 0;
      let done = 0;
      const consumer = harness.consume(
        Q,
        async () => {
          peak = Math.max(peak, ++inFlight);
          await sleep(2);
          inFlight--;
          done++;
        },
        { concurrency: 3 },
      );
      await until(() => done === 30);
      await consumer.stop();
      expect(peak).toBe(3);
    });

    it('delivers a message again when its lock expires before it is settled', async () => {
      const harness = make({ ...defaults, lockDurationMs: 1000 });
      await harness.queue.send(Q, [{ messageId: 'slow', body: {} }]);
      const first = (await harness.receive(Q))!;
      expect(await harness.receive(Q)).toBeUndefined();
      harness.advance(1001);
      const second = (await harness.receive(Q))!;
      expect(second.messageId).toBe('slow');
      expect(second.deliveryCount).toBe(2);
      await expect(Promise.resolve().then(() => harness.complete(Q, first.lockToken))).rejects.toThrow(/lock/i);
      await harness.complete(Q, second.lockToken);
      expect(await harness.depth(Q)).toBe(0);
    });

    it('redrives a dead-lettered message as a fresh one', async () => {
      const harness = make({ ...defaults, maxDeliveryCount: 1 });
      await harness.queue.send(Q, [{ messageId: 'dl', body: { keep: true, attempt: 4 } }]);
      const message = (await harness.receive(Q))!;
      await harness.abandon(Q, message.lockToken, 'broken');
      expect(await deadLetters(harness.queue, Q)).toHaveLength(1);
      // Refused by the caller's check (another integration's letter): nothing moves.
      expect(
        await harness.queue.redrive(Q, 'dl', {
          accept: (letter) => (letter.body as { keep?: boolean }).keep === false,
        }),
      ).toBe(false);
      expect(await deadLetters(harness.queue, Q)).toHaveLength(1);
      expect(
        await harness.queue.redrive(Q, 'dl', { accept: (letter) => (letter.body as { keep?: boolean }).keep === true }),
      ).toBe(true);
      expect(await deadLetters(harness.queue, Q)).toHaveLength(0);
      const again = (await harness.receive(Q))!;
      const id = harness.redrivenId('dl');
      // A fresh message with a fresh retry budget.
      expect(again).toMatchObject({
        messageId: typeof id === 'string' ? id : expect.stringMatching(id),
        deliveryCount: 1,
      });
      expect(again.body).toEqual({ keep: true });
      expect(await harness.queue.redrive(Q, 'missing')).toBe(false);
    });

    it('lists dead letters oldest first, filtered while it scans, within its bounds', async () => {
      const harness = make({ ...defaults, maxDeliveryCount: 1 });
      await harness.queue.send(
        Q,
        Array.from({ length: 6 }, (_, i) => ({ messageId: `l${i}`, body: { i } })),
      );
      for (let i = 0; i < 6; i++) {
        const message = (await harness.receive(Q))!;
        await harness.abandon(Q, message.lockToken, 'broken');
      }
      const odd = (letter: { body: unknown }) => (letter.body as { i: number }).i % 2 === 1;
      expect((await harness.queue.listDeadLetters(Q, 4)).map((letter) => letter.messageId)).toEqual([
        'l0',
        'l1',
        'l2',
        'l3',
      ]);
      expect(
        (await harness.queue.listDeadLetters(Q, 2, { accept: odd, scanLimit: 6 })).map((letter) => letter.messageId),
      ).toEqual(['l1', 'l3']);
      expect(
        (await harness.queue.listDeadLetters(Q, 5, { accept: odd, scanLimit: 6 })).map((letter) => letter.messageId),
      ).toEqual(['l1', 'l3', 'l5']);
      expect(
        (await harness.queue.listDeadLetters(Q, 5, { accept: odd, scanLimit: 3 })).map((letter) => letter.messageId),
      ).toEqual(['l1']);
    });

    it('drains in-flight work when a consumer stops', async () => {
      const harness = make(defaults);
      await harness.queue.send(Q, [{ messageId: 'drain', body: {} }]);
      let finished = false;
      let started = false;
      const consumer = harness.consume(
        Q,
        async () => {
          started = true;
          await sleep(50);
          finished = true;
        },
        { concurrency: 1 },
      );
      await until(() => started);
      await consumer.stop();
      expect(finished).toBe(true);
      expect(await harness.depth(Q)).toBe(0);
    });
  });
}
