/**
 * A micro-batcher: items added one at a time are handed to `flush` in groups, so work that costs a round
 * trip per call (a Cosmos bulk, a queue send, a blob upload) is paid once per group instead of once per item.
 * A group is flushed when it reaches `maxItems`, when its oldest item has waited `maxDelayMs`, or on
 * `drain()`. At most `maxConcurrentFlushes` flushes run at once; while all are busy, items keep gathering,
 * so groups grow with the load and latency stays near one flush at low load. A partial group starts only while
 * fewer than `partialFlushSlots` flushes run: with one slot, the next group gathers while the current one is
 * written, so a steady load is paid in a few big round trips instead of many small ones, and only full groups
 * use the other slots.
 *
 * `add` resolves with the item's own result, or rejects with the item's own error: `flush` returns one
 * outcome per item, so one bad item does not fail the others in its group.
 */

export type ItemOutcome<R> = { ok: true; value: R } | { ok: false; error: unknown };

export interface MicroBatcherOptions<T, R> {
  /** Handles one group; answers one outcome per item, in order. A throw fails every item of the group. */
  flush(items: T[]): Promise<Array<ItemOutcome<R>>>;
  maxItems: number;
  maxDelayMs: number;
  maxConcurrentFlushes?: number;
  /** Flushes in flight below which a partial group may start (default: maxConcurrentFlushes). */
  partialFlushSlots?: number;
}

interface Pending<T, R> {
  item: T;
  resolve(value: R): void;
  reject(error: unknown): void;
}

export class MicroBatcher<T, R = void> {
  private pending: Array<Pending<T, R>> = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly maxConcurrent: number;
  private readonly partialSlots: number;

  constructor(private readonly options: MicroBatcherOptions<T, R>) {
    if (options.maxItems < 1 || options.maxDelayMs < 0)
      throw new RangeError('maxItems must be at least 1 and maxDelayMs zero or more');
    this.maxConcurrent = options.maxConcurrentFlushes ?? 4;
    this.partialSlots = Math.min(options.partialFlushSlots ?? this.maxConcurrent, this.maxConcurrent);
    if (this.partialSlots < 1) throw new RangeError('partialFlushSlots must be at least 1');
  }

  /** Items waiting for a flush (not counting those being flushed). */
  get size(): number {
    return this.pending.length;
  }

  add(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (this.pending.length >= this.options.maxItems) this.startFlushes();
      else if (this.inFlight.size < this.partialSlots)
        this.timer ??= setTimeout(() => this.onTimer(), this.options.maxDelayMs);
    });
  }

  /** Flush everything waiting, regardless of size and age, and wait until no flush is running. */
  async drain(): Promise<void> {
    while (this.pending.length > 0 || this.inFlight.size > 0) {
      this.startFlushes(true);
      await Promise.race(this.inFlight);
    }
    this.clearTimer();
  }

  private onTimer(): void {
    this.timer = undefined;
    this.startFlushes(true);
  }

  /**
   * Start flushes while slots are free: full groups always, a partial group only when its time has come and a
   * partial slot is free. A partial group held back is started when a flush in flight ends.
   */
  private startFlushes(includePartial = false): void {
    while (
      this.inFlight.size < this.maxConcurrent &&
      (this.pending.length >= this.options.maxItems ||
        (includePartial && this.pending.length > 0 && this.inFlight.size < this.partialSlots))
    ) {
      const group = this.pending.splice(0, this.options.maxItems);
      const run: Promise<void> = this.flushGroup(group).finally(() => {
        this.inFlight.delete(run);
        // Items that gathered while every slot was busy have waited long enough already.
        if (this.pending.length > 0) this.startFlushes(this.timer === undefined);
      });
      this.inFlight.add(run);
    }
    if (this.pending.length === 0) this.clearTimer();
    else if (this.inFlight.size < this.partialSlots)
      this.timer ??= setTimeout(() => this.onTimer(), this.options.maxDelayMs);
  }

  private async flushGroup(group: Array<Pending<T, R>>): Promise<void> {
    let outcomes: Array<ItemOutcome<R>>;
    try {
      outcomes = await this.options.flush(group.map((entry) => entry.item));
    } catch (error) {
      for (const entry of group) entry.reject(error);
      return;
    }
    group.forEach((entry, index) => {
      const outcome = outcomes[index];
      if (!outcome) entry.reject(new Error('the batch flush gave no outcome for this item'));
      else if (outcome.ok) entry.resolve(outcome.value);
      else entry.reject(outcome.error);
    });
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
