/**
 * Redis when it answers, the in-memory backend when it does not. Policy while Redis is configured but down:
 * decide locally with conservative limits (every rate, burst and concurrency limit times `conservativeFactor`,
 * since each instance now spends its own budget), report a degraded health state, probe Redis every
 * `probeIntervalMs`, and return to Redis as soon as it answers again. A call never waits longer than
 * `timeoutMs` for Redis.
 */
import type Redis from 'ioredis';
import { LocalLimiterBackend } from './local-backend';
import { RedisLimiterBackend } from './redis-backend';
import type {
  AdaptiveChange,
  AdaptivePolicy,
  AdaptiveState,
  DecideOptions,
  Decision,
  LevelSpec,
  LimiterBackend,
} from './types';

export interface LimiterHealth {
  backend: 'redis' | 'local';
  /** True while Redis is configured but not used. */
  degraded: boolean;
  message?: string;
  /** Since when the current state holds (epoch ms). */
  since: number;
}

export interface FailoverOptions {
  timeoutMs: number;
  conservativeFactor: number;
  probeIntervalMs: number;
  onHealthChange?: (health: LimiterHealth) => void;
}

export const DEFAULT_FAILOVER: FailoverOptions = { timeoutMs: 250, conservativeFactor: 0.5, probeIntervalMs: 1000 };

class RedisTimeout extends Error {}

export class FailoverLimiterBackend implements LimiterBackend {
  private readonly remote: RedisLimiterBackend;
  readonly local = new LocalLimiterBackend();
  private state: LimiterHealth = { backend: 'redis', degraded: false, since: Date.now() };
  private probing: ReturnType<typeof setInterval> | undefined;
  private watchdog: ReturnType<typeof setInterval> | undefined;
  private readonly inflight = new Map<number, { startedAt: number; reject: (error: Error) => void }>();
  private nextCallId = 0;
  private startupWaitDone = false;
  private connecting: Promise<void> | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly options: FailoverOptions = DEFAULT_FAILOVER,
    keyPrefix = '',
  ) {
    this.remote = new RedisLimiterBackend(redis, { keyPrefix });
  }

  get kind(): 'redis' | 'local' {
    return this.state.backend;
  }

  health(): LimiterHealth {
    return { ...this.state };
  }

  decide(levels: readonly LevelSpec[], options: DecideOptions): Promise<Decision> {
    return this.route(
      () => this.remote.decide(levels, options),
      () =>
        this.local.decide(
          levels.map((level) => this.conservative(level)),
          options,
        ),
    );
  }

  release(keys: readonly string[], leaseId: string): Promise<void> {
    // A lease may live on either side after a switch: free both.
    return this.route(
      () => Promise.all([this.remote.release(keys, leaseId), this.local.release(keys, leaseId)]).then(() => undefined),
      () => this.local.release(keys, leaseId),
    );
  }

  block(level: LevelSpec, blockMs: number): Promise<void> {
    return this.route(
      () => this.remote.block(level, blockMs),
      () => this.local.block(this.conservative(level), blockMs),
    );
  }

  readAdaptive(policy: AdaptivePolicy): Promise<Map<string, AdaptiveState>> {
    return this.route(
      () => this.remote.readAdaptive(policy),
      () => this.local.readAdaptive(policy),
    );
  }

  lowerAdaptive(key: string, change: AdaptiveChange, policy: AdaptivePolicy): Promise<AdaptiveState> {
    return this.route(
      () => this.remote.lowerAdaptive(key, change, policy),
      () => this.local.lowerAdaptive(key, change, policy),
    );
  }

  /** Stops the timers (the Redis client belongs to the caller). */
  close(): void {
    this.stopProbing();
    if (this.watchdog) clearInterval(this.watchdog);
    this.watchdog = undefined;
  }

  private firstConnection(): Promise<void> {
    this.connecting ??= new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.redis.off('ready', done);
        this.startupWaitDone = true;
        resolve();
      };
      const timer = setTimeout(done, this.options.timeoutMs);
      this.redis.once('ready', done);
      if (this.redis.status === 'wait') this.redis.connect().catch(() => undefined);
    });
    return this.connecting;
  }

  private stopProbing(): void {
    if (this.probing) clearInterval(this.probing);
    this.probing = undefined;
  }

  private async route<T>(remote: () => Promise<T>, local: () => Promise<T>): Promise<T> {
    // Right after start-up the client is still connecting: give it up to timeoutMs once, not a false alarm.
    if (!this.startupWaitDone) {
      if (this.redis.status === 'ready') this.startupWaitDone = true;
      else if (this.state.backend === 'redis') await this.firstConnection();
    }
    // A client that is not connected would queue the command until it reconnects: do not wait for that.
    if (this.state.backend === 'local' || this.redis.status !== 'ready') {
      if (this.state.backend === 'redis') this.fallBack(`redis not connected (${this.redis.status})`);
      return local();
    }
    try {
      return await this.withTimeout(remote());
    } catch (error) {
      if (!isConnectionProblem(error)) throw error;
      this.fallBack(
        error instanceof RedisTimeout
          ? `redis did not answer within ${this.options.timeoutMs} ms`
          : 'redis connection failed',
      );
      return local();
    }
  }

  /**
   * One watchdog timer for all calls instead of a timer per call (this is the hot path): calls are kept in
   * start order, so each tick only looks at the oldest ones.
   */
  private withTimeout<T>(call: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const id = this.nextCallId++;
      this.inflight.set(id, { startedAt: Date.now(), reject });
      this.watch();
      call.then(
        (value) => {
          this.inflight.delete(id);
          resolve(value);
        },
        (error: unknown) => {
          this.inflight.delete(id);
          reject(error);
        },
      );
    });
  }

  private watch(): void {
    if (this.watchdog) return;
    this.watchdog = setInterval(
      () => {
        const now = Date.now();
        for (const [id, call] of this.inflight) {
          if (now - call.startedAt < this.options.timeoutMs) break;
          this.inflight.delete(id);
          call.reject(new RedisTimeout());
        }
      },
      Math.max(5, Math.floor(this.options.timeoutMs / 5)),
    );
    this.watchdog.unref();
  }

  private conservative(level: LevelSpec): LevelSpec {
    const f = this.options.conservativeFactor;
    if (level.rule.kind === 'rate') {
      const burst = Math.max(1, Math.floor((level.rule.burst ?? 1) * f));
      return { ...level, rule: { ...level.rule, burst }, factor: (level.factor ?? 1) * f };
    }
    return { ...level, rule: { ...level.rule, limit: Math.max(1, Math.floor(level.rule.limit * f)) } };
  }

  private fallBack(message: string): void {
    this.setState({
      backend: 'local',
      degraded: true,
      message: `rate limiter fell back to local limits: ${message}`,
      since: Date.now(),
    });
    if (this.probing) return;
    this.probing = setInterval(() => void this.probe(), this.options.probeIntervalMs);
    this.probing.unref();
  }

  private async probe(): Promise<void> {
    // A lazily connecting client never connects by itself while every call goes to the local side.
    if (this.redis.status === 'wait') this.redis.connect().catch(() => undefined);
    if (this.redis.status !== 'ready') return;
    try {
      await this.withTimeout(this.redis.ping());
    } catch {
      return;
    }
    this.stopProbing();
    this.setState({ backend: 'redis', degraded: false, since: Date.now() });
  }

  private setState(next: LimiterHealth): void {
    const changed = next.backend !== this.state.backend;
    this.state = next;
    if (changed) this.options.onHealthChange?.(this.health());
  }
}

/** Replies that mean the server cannot serve now (a long script, loading, failover), not a bug of ours. */
const UNAVAILABLE_REPLY = /^(BUSY|LOADING|MASTERDOWN|TRYAGAIN|CLUSTERDOWN)\b/;

/** Script and argument errors are bugs to surface; socket trouble, timeouts and busy servers mean "down". */
function isConnectionProblem(error: unknown): boolean {
  if (error instanceof RedisTimeout) return true;
  if (!(error instanceof Error)) return false;
  if (error.name === 'ReplyError') return UNAVAILABLE_REPLY.test(error.message);
  return true;
}
