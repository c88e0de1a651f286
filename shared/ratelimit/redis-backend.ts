/**
 * The Redis backend: every decision is one EVALSHA of a short Lua script (loaded once per client through
 * ioredis defineCommand, which falls back to EVAL after a server restart). Works best on a client created
 * with `enableAutoPipelining: true`, which batches concurrent decisions into one write.
 */
import type Redis from 'ioredis';
import { BLOCK_LUA, DECIDE_LUA, LOWER_LUA, THROTTLED_LUA } from './redis-scripts';
import {
  gcraParams,
  type AdaptiveChange,
  type AdaptivePolicy,
  type AdaptiveState,
  type DecideOptions,
  type Decision,
  type LevelSpec,
  type LimiterBackend,
} from './types';

interface LimiterCommands {
  rlDecide(numKeys: number, ...args: (string | number)[]): Promise<[number, number, number, number, number]>;
  rlBlock(key: string, blockMs: number, toleranceMs: number): Promise<number>;
  rlLower(registry: string, ...args: (string | number)[]): Promise<string>;
  rlThrottled(registry: string, quietMs: number, stepMs: number, step: number): Promise<string[]>;
}

/** The scripts count time from here (see redis-scripts.ts). */
const SCRIPT_EPOCH_MS = 1_700_000_000_000;

const defined = new WeakSet<Redis>();

function withCommands(redis: Redis): Redis & LimiterCommands {
  if (!defined.has(redis)) {
    redis.defineCommand('rlDecide', { lua: DECIDE_LUA });
    redis.defineCommand('rlBlock', { lua: BLOCK_LUA, numberOfKeys: 1 });
    redis.defineCommand('rlLower', { lua: LOWER_LUA, numberOfKeys: 1 });
    redis.defineCommand('rlThrottled', { lua: THROTTLED_LUA, numberOfKeys: 1 });
    defined.add(redis);
  }
  return redis as Redis & LimiterCommands;
}

/** A key outlives its last possible TAT by this much (see redis-scripts.ts). */
const KEEP_MS = 60_000;

/** The per-level script arguments: kind, two integers in µs (or the limit), and the key's TTL in ms. */
export function levelArgs(level: LevelSpec, maxWaitMs: number): [string, number, number, number] {
  if (level.rule.kind === 'concurrency') return ['c', level.rule.limit, Math.ceil(level.rule.leaseMs * 1000), Math.ceil(level.rule.leaseMs) + 1000];
  const { emissionMs, toleranceMs } = gcraParams(level.rule, level.factor);
  // Rounded to the safe side: intervals up, tolerances down.
  return ['r', Math.max(1, Math.ceil(emissionMs * 1000)), Math.floor(toleranceMs * 1000), Math.ceil(maxWaitMs + toleranceMs + emissionMs) + KEEP_MS];
}

export class RedisLimiterBackend implements LimiterBackend {
  readonly kind = 'redis' as const;
  private readonly redis: Redis & LimiterCommands;

  /** `registryKey`: the hash listing throttled levels (see redis-scripts.ts). */
  constructor(
    redis: Redis,
    private readonly registryKey = 'rl:adaptive',
  ) {
    this.redis = withCommands(redis);
  }

  async decide(levels: readonly LevelSpec[], options: DecideOptions): Promise<Decision> {
    const args: (string | number)[] = [levels.length];
    for (const level of levels) args.push(level.key);
    args.push(Math.floor(options.maxWaitMs * 1000), options.leaseId);
    for (const level of levels) args.push(...levelArgs(level, options.maxWaitMs));
    const [allowed, us, denied, concurrency, turnUs] = await this.redis.rlDecide(...(args as [number, ...(string | number)[]]));
    if (allowed === 1) return { allowed: true, waitMs: Math.ceil(Math.max(0, us) / 1000), turnAt: turnUs / 1000 + SCRIPT_EPOCH_MS };
    return { allowed: false, retryAfterMs: Math.max(1, Math.ceil(us / 1000)), deniedLevel: denied - 1, reason: concurrency === 1 ? 'concurrency' : 'rate' };
  }

  async release(keys: readonly string[], leaseId: string): Promise<void> {
    if (keys.length === 0) return;
    await Promise.all(keys.map((key) => this.redis.zrem(key, leaseId)));
  }

  async block(level: LevelSpec, blockMs: number): Promise<void> {
    if (level.rule.kind !== 'rate' || blockMs <= 0) return;
    await this.redis.rlBlock(level.key, Math.ceil(blockMs * 1000), Math.floor(gcraParams(level.rule, level.factor).toleranceMs * 1000));
  }

  async readAdaptive(policy: AdaptivePolicy): Promise<Map<string, AdaptiveState>> {
    const flat = await this.redis.rlThrottled(this.registryKey, policy.quietMs, policy.stepMs, policy.step);
    const result = new Map<string, AdaptiveState>();
    for (let i = 0; i + 1 < flat.length; i += 2) result.set(flat[i]!, parseEntry(flat[i + 1]!));
    return result;
  }

  async lowerAdaptive(key: string, change: AdaptiveChange, policy: AdaptivePolicy): Promise<AdaptiveState> {
    const entry = await this.redis.rlLower(this.registryKey, key, change.multiplier, change.cap, policy.quietMs, policy.stepMs, policy.step, policy.minFactor);
    return parseEntry(entry);
  }
}

/** "factor penaltyTime" with the time on the scripts' clock. */
function parseEntry(entry: string): AdaptiveState {
  const [factor, at] = entry.split(' ');
  return { factor: Number(factor), penalizedAt: Number(at) + SCRIPT_EPOCH_MS };
}
