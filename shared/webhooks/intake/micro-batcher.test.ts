import fc from 'fast-check';
import { MicroBatcher, type ItemOutcome } from './micro-batcher';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const allOk = <T>(items: T[]): Array<ItemOutcome<T>> => items.map((value) => ({ ok: true, value }));

function recording(options: {
  maxItems: number;
  maxDelayMs: number;
  maxConcurrentFlushes?: number;
  partialFlushSlots?: number;
  flushMs?: number;
}) {
  const groups: number[][] = [];
  const batcher = new MicroBatcher<number, number>({
    ...options,
    flush: async (items) => {
      groups.push(items);
      if (options.flushMs) await sleep(options.flushMs);
      return allOk(items);
    },
  });
  return { batcher, groups };
}

describe('MicroBatcher', () => {
  it('flushes as soon as a group is full, without waiting for the delay', async () => {
    const { batcher, groups } = recording({ maxItems: 3, maxDelayMs: 60_000 });
    const started = Date.now();
    await expect(Promise.all([batcher.add(1), batcher.add(2), batcher.add(3)])).resolves.toEqual([1, 2, 3]);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(groups).toEqual([[1, 2, 3]]);
    const fourth = batcher.add(4);
    await sleep(20);
    expect(groups).toHaveLength(1);
    await batcher.drain();
    await expect(fourth).resolves.toBe(4);
  });

  it('flushes a partial group once its oldest item has waited maxDelayMs', async () => {
    const { batcher, groups } = recording({ maxItems: 100, maxDelayMs: 40 });
    const results = Promise.all([batcher.add(1), batcher.add(2)]);
    await sleep(10);
    expect(groups).toEqual([]);
    await expect(results).resolves.toEqual([1, 2]);
    expect(groups).toEqual([[1, 2]]);
  });

  it('drain flushes what waits and waits for flushes in flight', async () => {
    const { batcher, groups } = recording({ maxItems: 2, maxDelayMs: 60_000, flushMs: 30 });
    const settled: number[] = [];
    for (const n of [1, 2, 3]) void batcher.add(n).then((value) => settled.push(value));
    await batcher.drain();
    await Promise.resolve();
    expect(groups).toEqual([[1, 2], [3]]);
    expect(settled.sort()).toEqual([1, 2, 3]);
    expect(batcher.size).toBe(0);
  });

  it('gathers items into bigger groups while every flush slot is busy', async () => {
    const { batcher, groups } = recording({ maxItems: 50, maxDelayMs: 1, maxConcurrentFlushes: 1, flushMs: 40 });
    const first = batcher.add(0);
    await sleep(10);
    const rest = Array.from({ length: 10 }, (_, i) => batcher.add(i + 1));
    await Promise.all([first, ...rest]);
    expect(groups).toEqual([[0], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]]);
  });

  it('starts a partial group only while a partial slot is free; full groups use every slot', async () => {
    let running = 0;
    let mostRunning = 0;
    const groups: number[][] = [];
    const batcher = new MicroBatcher<number, number>({
      maxItems: 3,
      maxDelayMs: 1,
      maxConcurrentFlushes: 3,
      partialFlushSlots: 1,
      flush: async (items) => {
        groups.push(items);
        running++;
        mostRunning = Math.max(mostRunning, running);
        await sleep(30);
        running--;
        return allOk(items);
      },
    });
    // A partial group starts alone; the items arriving while it is written wait for it, however long.
    const first = batcher.add(0);
    await sleep(10);
    const trickle = [batcher.add(1), batcher.add(2)];
    await sleep(10);
    expect(groups).toEqual([[0]]);
    await Promise.all([first, ...trickle]);
    expect(groups).toEqual([[0], [1, 2]]);
    expect(mostRunning).toBe(1);
    // A burst of full groups runs side by side.
    groups.length = 0;
    await Promise.all(Array.from({ length: 9 }, (_, i) => batcher.add(10 + i)));
    expect(groups).toEqual([
      [10, 11, 12],
      [13, 14, 15],
      [16, 17, 18],
    ]);
    expect(mostRunning).toBe(3);
  });

  it('fails only the items the flush says failed; a throwing flush fails its whole group', async () => {
    const perItem = new MicroBatcher<number, number>({
      maxItems: 3,
      maxDelayMs: 5,
      flush: async (items) =>
        items.map((n) =>
          n % 2 ? { ok: true as const, value: n } : { ok: false as const, error: new Error(`bad ${n}`) },
        ),
    });
    const outcomes = await Promise.allSettled([perItem.add(1), perItem.add(2), perItem.add(3)]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);

    const throwing = new MicroBatcher<number>({
      maxItems: 2,
      maxDelayMs: 5,
      flush: async () => Promise.reject(new Error('store down')),
    });
    const all = await Promise.allSettled([throwing.add(1), throwing.add(2)]);
    expect(all.map((o) => o.status)).toEqual(['rejected', 'rejected']);
  });

  it('every item is flushed exactly once, in order, in groups no larger than maxItems', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.constant('drain' as const), fc.integer({ min: 0, max: 5 })), { maxLength: 40 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 3 }),
        async (script, maxItems, slots, partialSlots) => {
          const { batcher, groups } = recording({
            maxItems,
            maxDelayMs: 1,
            maxConcurrentFlushes: slots,
            partialFlushSlots: partialSlots,
          });
          const added: Array<Promise<number>> = [];
          let next = 0;
          for (const step of script) {
            if (step === 'drain') await batcher.drain();
            else for (let i = 0; i < step; i++) added.push(batcher.add(next++));
          }
          await batcher.drain();
          await expect(Promise.all(added)).resolves.toEqual(Array.from({ length: next }, (_, i) => i));
          expect(groups.flat()).toEqual(Array.from({ length: next }, (_, i) => i));
          expect(groups.every((group) => group.length >= 1 && group.length <= maxItems)).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });
});
