/**
 * The queue semantics the app relies on, as one suite any queue implementation with a local consumer can run:
 * at-least-once, delivery count, dead-letter after max deliveries with a reason, scheduled enqueue, sessions
 * (FIFO per session, one consumer per session at a time), duplicate detection by message id, bounded
 * concurrency, lock expiry, redrive.
 */
import type { EmbeddedQueue, ReceivedMessage } from '../../shared/messaging/embedded-queue';

export interface QueueUnderTest {
  queue: EmbeddedQueue;
  /** Advance the queue's clock (for windows and schedules). */
  advance(ms: number): void;
}

const Q = 'sync-inbound' as const;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await sleep(5);
  }
}

export function runQueueConformance(name: string, make: (options: { maxDeliveryCount: number; lockDurationMs: number; duplicateWindowMs: number }) => QueueUnderTest): void {
  describe(`queue conformance: ${name}`, () => {
    const defaults = { maxDeliveryCount: 3, lockDurationMs: 60_000, duplicateWindowMs: 60_000 };

    it('delivers every message at least once and completes it', async () => {
      const { queue } = make(defaults);
      await queue.send(Q, Array.from({ length: 20 }, (_, i) => ({ messageId: `m${i}`, body: { i } })));
      const seen: number[] = [];
      const consumer = queue.consume(Q, async (message) => void seen.push((message.body as { i: number }).i), { concurrency: 4 });
      await until(() => seen.length === 20);
      await consumer.stop();
      expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
      expect(queue.depth(Q)).toBe(0);
    });

    it('redelivers a failed message with a growing delivery count, then dead-letters it with the reason', async () => {
      const { queue } = make(defaults);
      await queue.send(Q, [{ messageId: 'poison', body: {} }]);
      const counts: number[] = [];
      const consumer = queue.consume(Q, async (message) => {
        counts.push(message.deliveryCount);
        throw new Error('provider exploded');
      }, { concurrency: 1 });
      await until(() => queue.deadLetters(Q).length === 1);
      await consumer.stop();
      expect(counts).toEqual([1, 2, 3]);
      const [letter] = queue.deadLetters(Q);
      expect(letter).toMatchObject({ messageId: 'poison', deadLetterReason: 'MaxDeliveryCountExceeded', deadLetterErrorDescription: 'provider exploded', deliveryCount: 3 });
      expect(queue.depth(Q)).toBe(0);
    });

    it('a message that fails once and then succeeds is not dead-lettered', async () => {
      const { queue } = make(defaults);
      await queue.send(Q, [{ messageId: 'flaky', body: {} }]);
      let attempts = 0;
      const consumer = queue.consume(Q, async () => {
        if (++attempts === 1) throw new Error('transient');
      }, { concurrency: 1 });
      await until(() => queue.depth(Q) === 0);
      await consumer.stop();
      expect(attempts).toBe(2);
      expect(queue.deadLetters(Q)).toHaveLength(0);
    });

    it('drops a message whose id was seen within the duplicate window, accepts it after the window', async () => {
      const { queue, advance } = make(defaults);
      await queue.send(Q, [{ messageId: 'same', body: { n: 1 } }]);
      await queue.send(Q, [{ messageId: 'same', body: { n: 2 } }]);
      expect(queue.depth(Q)).toBe(1);
      advance(defaults.duplicateWindowMs + 1);
      await queue.send(Q, [{ messageId: 'same', body: { n: 3 } }]);
      expect(queue.depth(Q)).toBe(2);
    });

    it('holds a scheduled message until its time', async () => {
      const { queue, advance } = make(defaults);
      const at = new Date(Date.now() + 10_000);
      await queue.send(Q, [{ messageId: 'later', body: {}, scheduledEnqueueTimeUtc: at }]);
      expect(queue.receive(Q)).toBeUndefined();
      advance(10_001);
      expect(queue.receive(Q)?.messageId).toBe('later');
    });

    it('keeps FIFO order within a session and gives a session to one consumer at a time', async () => {
      const { queue } = make(defaults);
      const messages = ['a', 'b'].flatMap((session) => Array.from({ length: 10 }, (_, i) => ({ messageId: `${session}${i}`, sessionId: session, body: { session, i } })));
      await queue.send(Q, messages);
      const order: Record<string, number[]> = { a: [], b: [] };
      const active = new Map<string, number>();
      let overlap = false;
      const consumer = queue.consume(Q, async (message: ReceivedMessage) => {
        const { session, i } = message.body as { session: string; i: number };
        active.set(session, (active.get(session) ?? 0) + 1);
        if (active.get(session)! > 1) overlap = true;
        await sleep(Math.random() * 3);
        order[session]!.push(i);
        active.set(session, active.get(session)! - 1);
      }, { concurrency: 8 });
      await until(() => order.a!.length === 10 && order.b!.length === 10);
      await consumer.stop();
      expect(overlap).toBe(false);
      expect(order.a).toEqual([...Array(10).keys()]);
      expect(order.b).toEqual([...Array(10).keys()]);
    });

    it('never runs more than the configured number of messages at once', async () => {
      const { queue } = make(defaults);
      await queue.send(Q, Array.from({ length: 30 }, (_, i) => ({ messageId: `c${i}`, body: {} })));
      let inFlight = 0;
      let peak = 0;
      let done = 0;
      const consumer = queue.consume(Q, async () => {
        peak = Math.max(peak, ++inFlight);
        await sleep(2);
        inFlight--;
        done++;
      }, { concurrency: 3 });
      await until(() => done === 30);
      await consumer.stop();
      expect(peak).toBe(3);
    });

    it('delivers a message again when its lock expires before it is settled', async () => {
      const { queue, advance } = make({ ...defaults, lockDurationMs: 1000 });
      await queue.send(Q, [{ messageId: 'slow', body: {} }]);
      const first = queue.receive(Q)!;
      expect(queue.receive(Q)).toBeUndefined();
      advance(1001);
      const second = queue.receive(Q)!;
      expect(second.messageId).toBe('slow');
      expect(second.deliveryCount).toBe(2);
      expect(() => queue.complete(Q, first.lockToken)).toThrow(/lock/i);
      queue.complete(Q, second.lockToken);
      expect(queue.depth(Q)).toBe(0);
    });

    it('redrives a dead-lettered message as a fresh one', async () => {
      const { queue } = make({ ...defaults, maxDeliveryCount: 1 });
      await queue.send(Q, [{ messageId: 'dl', body: { keep: true } }]);
      const message = queue.receive(Q)!;
      queue.abandon(Q, message.lockToken, 'broken');
      expect(queue.deadLetters(Q)).toHaveLength(1);
      expect(await queue.redrive(Q, 'dl')).toBe(true);
      expect(queue.deadLetters(Q)).toHaveLength(0);
      const again = queue.receive(Q)!;
      expect(again).toMatchObject({ messageId: 'dl', deliveryCount: 1, body: { keep: true } });
      expect(await queue.redrive(Q, 'missing')).toBe(false);
    });

    it('drains in-flight work when a consumer stops', async () => {
      const { queue } = make(defaults);
      await queue.send(Q, [{ messageId: 'drain', body: {} }]);
      let finished = false;
      let started = false;
      const consumer = queue.consume(Q, async () => {
        started = true;
        await sleep(50);
        finished = true;
      }, { concurrency: 1 });
      await until(() => started);
      await consumer.stop();
      expect(finished).toBe(true);
      expect(queue.depth(Q)).toBe(0);
    });
  });
}
