/**
 * How often each provider throttled a tenant's calls, over time: 429 answers and the waits the limiter imposed
 * (a turn reserved ahead, a full semaphore, or a page rescheduled because no turn came within the wait). The
 * limiter's state itself keeps no history (a GCRA schedule has no counts), so these are counted as they happen,
 * per tenant, provider and minute, and the admin API's charts sum the minutes into their buckets.
 *
 * Redis: one hash per tenant and UTC day (`rl:hist:<tenant>:<yyyy-mm-dd>`), one field per provider, figure and
 * minute, kept RETENTION_DAYS; a read is one HGETALL per day of the range. Without Redis, the same figures in
 * memory (this process only). Recording is statistics: it never waits for, or fails, the call it describes.
 */
import type Redis from 'ioredis';

export const THROTTLE_RETENTION_DAYS = 93;
const DAY_MS = 24 * 3600_000;
const MINUTE_MS = 60_000;
/** Days the memory history keeps at most (its tests and single-process use need far fewer). */
const MEMORY_MAX_DAY_KEYS = 10_000;

export type ThrottleEvent =
  | { tenantId: string; provider: string; at: number; kind: '429' }
  | { tenantId: string; provider: string; at: number; kind: 'wait'; waitMs: number };

/** The figures of one provider in one minute (only minutes with something in them are answered). */
export interface ThrottleMinute {
  provider: string;
  /** Start of the minute, epoch ms. */
  minute: number;
  responses429: number;
  waits: number;
  waitMs: number;
}

export interface ThrottleHistory {
  record(event: ThrottleEvent): void;
  /** The tenant's minutes in [fromMs, toMs), any order. */
  read(tenantId: string, fromMs: number, toMs: number): Promise<ThrottleMinute[]>;
}

type Figure = 'r429' | 'waits' | 'waitMs';

function dayKey(tenantId: string, dayStart: number): string {
  return `${encodeURIComponent(tenantId)}:${new Date(dayStart).toISOString().slice(0, 10)}`;
}

/** The hash fields an event adds to, with the amounts. Provider ids hold no "|" (they are [a-z]). */
function increments(event: ThrottleEvent): { dayStart: number; fields: Array<[string, number]> } {
  const dayStart = Math.floor(event.at / DAY_MS) * DAY_MS;
  const minuteOfDay = Math.floor((event.at - dayStart) / MINUTE_MS);
  const field = (figure: Figure) => `${event.provider}|${figure}|${minuteOfDay}`;
  const fields: Array<[string, number]> =
    event.kind === '429'
      ? [[field('r429'), 1]]
      : [
          [field('waits'), 1],
          [field('waitMs'), Math.max(0, Math.round(event.waitMs))],
        ];
  return { dayStart, fields };
}

/** Folds one day's hash back into minutes, keeping those inside [fromMs, toMs). */
function minutesOf(
  hash: Record<string, string>,
  dayStart: number,
  fromMs: number,
  toMs: number,
  into: Map<string, ThrottleMinute>,
): void {
  for (const [field, value] of Object.entries(hash)) {
    const [provider, figure, minuteText] = field.split('|');
    const minute = dayStart + Number(minuteText) * MINUTE_MS;
    if (!provider || !Number.isFinite(minute) || minute < fromMs || minute >= toMs) continue;
    const key = `${provider}|${minute}`;
    const entry = into.get(key) ?? { provider, minute, responses429: 0, waits: 0, waitMs: 0 };
    const amount = Number(value) || 0;
    if (figure === 'r429') entry.responses429 += amount;
    else if (figure === 'waits') entry.waits += amount;
    else if (figure === 'waitMs') entry.waitMs += amount;
    into.set(key, entry);
  }
}

/** Day starts covering [fromMs, toMs) (a minute belongs to the day it starts in). */
function daysOf(fromMs: number, toMs: number): number[] {
  const days: number[] = [];
  for (let day = Math.floor(fromMs / DAY_MS) * DAY_MS; day < toMs; day += DAY_MS) days.push(day);
  return days;
}

export class RedisThrottleHistory implements ThrottleHistory {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix = '',
  ) {}

  record(event: ThrottleEvent): void {
    const { dayStart, fields } = increments(event);
    const key = `${this.keyPrefix}rl:hist:${dayKey(event.tenantId, dayStart)}`;
    const batch = this.redis.multi();
    for (const [field, amount] of fields) batch.hincrby(key, field, amount);
    batch.pexpire(key, THROTTLE_RETENTION_DAYS * DAY_MS);
    // Statistics only: a lost increment while Redis is away must not fail or slow the provider call.
    batch.exec().catch(() => undefined);
  }

  async read(tenantId: string, fromMs: number, toMs: number): Promise<ThrottleMinute[]> {
    const days = daysOf(fromMs, toMs);
    const batch = this.redis.pipeline();
    for (const day of days) batch.hgetall(`${this.keyPrefix}rl:hist:${dayKey(tenantId, day)}`);
    const replies = (await batch.exec()) ?? [];
    const minutes = new Map<string, ThrottleMinute>();
    replies.forEach(([error, hash], index) => {
      if (error) throw error;
      minutesOf(hash as Record<string, string>, days[index]!, fromMs, toMs, minutes);
    });
    return [...minutes.values()];
  }
}

export class MemoryThrottleHistory implements ThrottleHistory {
  private readonly days = new Map<string, Record<string, string>>();

  record(event: ThrottleEvent): void {
    const { dayStart, fields } = increments(event);
    const key = dayKey(event.tenantId, dayStart);
    let hash = this.days.get(key);
    if (!hash) {
      if (this.days.size >= MEMORY_MAX_DAY_KEYS) this.days.delete(this.days.keys().next().value!);
      hash = {};
      this.days.set(key, hash);
    }
    for (const [field, amount] of fields) hash[field] = String(Number(hash[field] ?? 0) + amount);
  }

  async read(tenantId: string, fromMs: number, toMs: number): Promise<ThrottleMinute[]> {
    const minutes = new Map<string, ThrottleMinute>();
    for (const day of daysOf(fromMs, toMs)) {
      const hash = this.days.get(dayKey(tenantId, day));
      if (hash) minutesOf(hash, day, fromMs, toMs, minutes);
    }
    return [...minutes.values()];
  }
}
