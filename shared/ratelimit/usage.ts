/**
 * Read-only view of the limiter's current state per level, for the admin UI ("how much of each budget is in
 * use now"). It reads what the backends store and changes nothing: a Redis reader (one MULTI: TIME, HMGET of
 * the rate hash, the leases of each semaphore) and a local reader over the in-memory backend. Kept apart from the
 * decision path on purpose: it must never slow a decision down, and it must not grow the Lua scripts.
 *
 * A GCRA schedule keeps no call counts. What it does say is how far its theoretical arrival time (TAT) runs
 * ahead of now: that many milliseconds, divided by the emission interval, is the number of calls' worth of
 * budget already spoken for. That figure against the burst is the "usage" shown.
 */
import type Redis from 'ioredis';
import type { LocalLimiterBackend } from './local-backend';
import { gcraParams, type ConcurrencyRule, type LevelName, type LevelSpec, type RateRule } from './types';

export type LevelUsage =
  | {
      level: LevelName;
      key: string;
      kind: 'rate';
      rule: RateRule;
      factor: number;
      reserved: number;
      capacity: number;
      available: number;
      waitMs: number;
    }
  | {
      level: LevelName;
      key: string;
      kind: 'concurrency';
      rule: ConcurrencyRule;
      inUse: number;
      capacity: number;
      available: number;
    };

/** What a backend stores for a set of levels, on the backend's own clock (epoch ms). */
export interface RawLevelState {
  nowMs: number;
  /** TAT per rate level key (absent: idle). */
  tats: Map<string, number>;
  /** Live lease count per semaphore key. */
  leases: Map<string, number>;
}

export interface UsageReader {
  readonly kind: 'redis' | 'local';
  read(levels: readonly LevelSpec[]): Promise<LevelUsage[]>;
}

/** Same epoch as the Lua scripts (redis-backend.ts, redis-scripts.ts): integer µs from epoch second 1.7e9. */
const SCRIPT_EPOCH_S = 1_700_000_000;

/** Turns stored state into usage figures; pure, so both readers agree by construction. */
export function usageOf(levels: readonly LevelSpec[], raw: RawLevelState): LevelUsage[] {
  return levels.map((level): LevelUsage => {
    if (level.rule.kind === 'concurrency') {
      const inUse = raw.leases.get(level.key) ?? 0;
      return {
        level: level.name,
        key: level.key,
        kind: 'concurrency',
        rule: level.rule,
        inUse,
        capacity: level.rule.limit,
        available: Math.max(0, level.rule.limit - inUse),
      };
    }
    const factor = level.factor ?? 1;
    const { emissionMs, toleranceMs } = gcraParams(level.rule, factor);
    const startTat = Math.max(raw.tats.get(level.key) ?? raw.nowMs, raw.nowMs);
    const aheadMs = startTat - raw.nowMs;
    const capacity = Math.max(1, Math.floor(level.rule.burst ?? 1));
    // Counted the way a decision steps the schedule (same float operations, in the same order), so the
    // figure agrees with the limiter even where the division would round the other way.
    let available = 0;
    for (let tat = startTat; available < capacity && tat - toleranceMs - raw.nowMs <= 0; tat += emissionMs) available++;
    return {
      level: level.name,
      key: level.key,
      kind: 'rate',
      rule: level.rule,
      factor,
      reserved: round(aheadMs / emissionMs),
      capacity,
      available,
      waitMs: available > 0 ? 0 : Math.max(1, Math.ceil(startTat - toleranceMs - raw.nowMs)),
    };
  });
}

export class RedisUsageReader implements UsageReader {
  readonly kind = 'redis' as const;
  private readonly tatKey: string;

  constructor(
    private readonly redis: Redis,
    keyPrefix = '',
  ) {
    this.tatKey = `${keyPrefix}rl:tat`;
  }

  async read(levels: readonly LevelSpec[]): Promise<LevelUsage[]> {
    const rateKeys = levels.filter((level) => level.rule.kind === 'rate').map((level) => level.key);
    const semaphores = levels.filter((level) => level.rule.kind === 'concurrency').map((level) => level.key);
    // One transaction, one server time for every figure. Lease scores are expiry times, so a lease is live
    // while its score is after now; a semaphore holds at most `limit` leases, so reading them all is cheap.
    const batch = this.redis.multi().time();
    if (rateKeys.length > 0) batch.hmget(this.tatKey, ...rateKeys);
    for (const key of semaphores) batch.zrange(key, '0', '-1', 'WITHSCORES');
    const replies = (await batch.exec()) ?? [];
    for (const [error] of replies) if (error) throw error;
    const [seconds, micros] = replies[0]![1] as [string, string];
    const nowUs = (Number(seconds) - SCRIPT_EPOCH_S) * 1_000_000 + Number(micros);
    let next = 1;
    const tats = new Map<string, number>();
    if (rateKeys.length > 0) {
      const values = replies[next++]![1] as Array<string | null>;
      rateKeys.forEach((key, i) => {
        const value = values[i];
        if (value !== null && value !== undefined) tats.set(key, toEpochMs(Number(value)));
      });
    }
    const leases = new Map<string, number>();
    for (const key of semaphores) {
      const flat = replies[next++]![1] as string[];
      let live = 0;
      for (let i = 1; i < flat.length; i += 2) if (Number(flat[i]) > nowUs) live++;
      leases.set(key, live);
    }
    return usageOf(levels, { nowMs: toEpochMs(nowUs), tats, leases });
  }
}

export class LocalUsageReader implements UsageReader {
  readonly kind = 'local' as const;

  constructor(private readonly backend: Pick<LocalLimiterBackend, 'peek'>) {}

  async read(levels: readonly LevelSpec[]): Promise<LevelUsage[]> {
    return usageOf(levels, this.backend.peek(levels.map((level) => level.key)));
  }
}

/** Reads where decisions are made now: Redis while the limiter uses it, the local fallback otherwise. */
export class FailoverUsageReader implements UsageReader {
  constructor(
    private readonly redis: UsageReader,
    private readonly local: UsageReader,
    private readonly current: () => 'redis' | 'local',
  ) {}

  get kind(): 'redis' | 'local' {
    return this.current();
  }

  read(levels: readonly LevelSpec[]): Promise<LevelUsage[]> {
    return (this.current() === 'redis' ? this.redis : this.local).read(levels);
  }
}

function toEpochMs(scriptUs: number): number {
  return scriptUs / 1000 + SCRIPT_EPOCH_S * 1000;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
