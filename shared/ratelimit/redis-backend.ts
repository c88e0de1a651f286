/**
 * The Redis backend: every decision is one EVALSHA of a short Lua script, sent straight to the connection
 * (shared/stores/kv/redis/direct-script.ts: no auto-pipelining on this hot path, writes of one tick coalesced; EVAL
 * once after a server restart). Rate levels live as fields of one hash (`{prefix}rl:tat`), swept in small
 * steps for fields idle longer than a minute; semaphores are sorted sets of leases. The other, rarer
 * scripts go through ioredis defineCommand.
 */
import type Redis from 'ioredis';
import { DirectScript } from '../stores/kv/redis/direct-script';
import { BLOCK_LUA, DECIDE_LUA, LOWER_LUA, SWEEP_LUA, THROTTLED_LUA } from './redis-scripts';
import {
  gcraParams,
  gcraParamsForCost,
  type AdaptiveChange,
  type AdaptivePolicy,
  type AdaptiveState,
  type DecideOptions,
  type Decision,
  type LevelSpec,
  type LimiterBackend,
} from './types';

interface LimiterCommands {
  rlBlock(tatKey: string, field: string, blockUs: number, toleranceUs: number): Promise<number>;
  rlSweep(tatKey: string, cursorKey: string, count: number, keepUs: number): Promise<number>;
  rlLower(registry: string, ...args: (string | number)[]): Promise<string>;
  rlThrottled(registry: string, quietMs: number, stepMs: number, step: number): Promise<string[]>;
}

/** The scripts count time from here (see redis-scripts.ts). */
const SCRIPT_EPOCH_MS = 1_700_000_000_000;

export interface RedisBackendOptions {
  /** Prefix of the backend's own keys: `{prefix}rl:tat`, `{prefix}rl:tat:cursor`, `{prefix}rl:adaptive`. */
  keyPrefix?: string;
  /** A rate field idle this long is removed by the sweep. */
  keepMs?: number;
  /** At most one sweep step per this interval and process. */
  sweepIntervalMs?: number;
  /** Fields looked at per sweep step. */
  sweepCount?: number;
}

const defined = new WeakSet<Redis>();

function withCommands(redis: Redis): Redis & LimiterCommands {
  if (!defined.has(redis)) {
    redis.defineCommand('rlBlock', { lua: BLOCK_LUA, numberOfKeys: 1 });
    redis.defineCommand('rlSweep', { lua: SWEEP_LUA, numberOfKeys: 2 });
    redis.defineCommand('rlLower', { lua: LOWER_LUA, numberOfKeys: 1 });
    redis.defineCommand('rlThrottled', { lua: THROTTLED_LUA, numberOfKeys: 1 });
    defined.add(redis);
  }
  return redis as Redis & LimiterCommands;
}

/** {allowed, wait or retry µs, denied level (1-based), is concurrency, turn time µs}: see DECIDE_LUA. */
type DecideReply = [number, number, number, number, number];

export class RedisLimiterBackend implements LimiterBackend {
  readonly kind = 'redis' as const;
  private readonly redis: Redis & LimiterCommands;
  private readonly decideScript = new DirectScript(DECIDE_LUA);
  private readonly tatKey: string;
  private readonly cursorKey: string;
  private readonly registryKey: string;
  private readonly keepUs: number;
  private readonly sweepIntervalMs: number;
  private readonly sweepCount: number;
  private nextSweepAt = 0;

  constructor(redis: Redis, options: RedisBackendOptions = {}) {
    this.redis = withCommands(redis);
    const prefix = options.keyPrefix ?? '';
    this.tatKey = `${prefix}rl:tat`;
    this.cursorKey = `${prefix}rl:tat:cursor`;
    this.registryKey = `${prefix}rl:adaptive`;
    this.keepUs = (options.keepMs ?? 60_000) * 1000;
    this.sweepIntervalMs = options.sweepIntervalMs ?? 1000;
    this.sweepCount = options.sweepCount ?? 500;
  }

  async decide(levels: readonly LevelSpec[], options: DecideOptions): Promise<Decision> {
    // One argument array, built in place (this runs for every provider call): numKeys, the TAT hash, the
    // semaphore keys, then ARGV.
    let numKeys = 1;
    for (const level of levels) if (level.rule.kind === 'concurrency') numKeys++;
    const args: (string | number)[] = [numKeys, this.tatKey];
    let keyIndex = 1;
    for (const level of levels) if (level.rule.kind === 'concurrency') args.push(level.key);
    args.push(Math.floor(options.maxWaitMs * 1000), options.leaseId);
    for (const level of levels) {
      if (level.rule.kind === 'concurrency') {
        args.push('c', ++keyIndex, level.rule.limit, Math.ceil(level.rule.leaseMs * 1000));
      } else {
        const { emissionMs, toleranceMs } = gcraParamsForCost(level.rule, level.factor, options.cost ?? 1);
        // Rounded to the safe side: intervals up, tolerances down.
        args.push('r', level.key, Math.max(1, Math.ceil(emissionMs * 1000)), Math.floor(toleranceMs * 1000));
      }
    }
    this.maybeSweep();
    const [allowed, us, denied, concurrency, turnUs] = await this.decideScript.call<DecideReply>(this.redis, args);
    if (allowed === 1)
      return { allowed: true, waitMs: Math.ceil(Math.max(0, us) / 1000), turnAt: turnUs / 1000 + SCRIPT_EPOCH_MS };
    return {
      allowed: false,
      retryAfterMs: Math.max(1, Math.ceil(us / 1000)),
      deniedLevel: denied - 1,
      reason: concurrency === 1 ? 'concurrency' : 'rate',
    };
  }

  async release(keys: readonly string[], leaseId: string): Promise<void> {
    if (keys.length === 0) return;
    await Promise.all(keys.map((key) => this.redis.zrem(key, leaseId)));
  }

  async block(level: LevelSpec, blockMs: number): Promise<void> {
    if (level.rule.kind !== 'rate' || blockMs <= 0) return;
    await this.redis.rlBlock(
      this.tatKey,
      level.key,
      Math.ceil(blockMs * 1000),
      Math.floor(gcraParams(level.rule, level.factor).toleranceMs * 1000),
    );
  }

  async readAdaptive(policy: AdaptivePolicy): Promise<Map<string, AdaptiveState>> {
    const flat = await this.redis.rlThrottled(this.registryKey, policy.quietMs, policy.stepMs, policy.step);
    const result = new Map<string, AdaptiveState>();
    for (let i = 0; i + 1 < flat.length; i += 2) result.set(flat[i]!, parseEntry(flat[i + 1]!));
    return result;
  }

  async lowerAdaptive(key: string, change: AdaptiveChange, policy: AdaptivePolicy): Promise<AdaptiveState> {
    const entry = await this.redis.rlLower(
      this.registryKey,
      key,
      change.multiplier,
      change.cap,
      policy.quietMs,
      policy.stepMs,
      policy.step,
      policy.minFactor,
    );
    return parseEntry(entry);
  }

  /** One sweep step of idle rate fields, now and then; never waited for, a failure only delays cleanup. */
  sweep(): Promise<number> {
    return this.redis.rlSweep(this.tatKey, this.cursorKey, this.sweepCount, this.keepUs);
  }

  private maybeSweep(): void {
    const now = Date.now();
    if (now < this.nextSweepAt) return;
    this.nextSweepAt = now + this.sweepIntervalMs;
    this.sweep().catch(() => undefined);
  }
}

/** "factor penaltyTime" with the time on the scripts' clock. */
function parseEntry(entry: string): AdaptiveState {
  const [factor, at] = entry.split(' ');
  return { factor: Number(factor), penalizedAt: Number(at) + SCRIPT_EPOCH_MS };
}
