/**
 * The rate limiter the product calls: `acquire` before every outbound provider request (all levels at once,
 * waiting in line up to a maximum, else a rate_limited AppError with retryAfterMs so the sync page is
 * rescheduled), `reportSignal` with what the provider answered (adaptive throttling), `checkInbound` for
 * the webhook endpoint and the admin API, and the override API behind the admin routes.
 */
import { randomUUID } from 'node:crypto';
import { AppError } from '../core/app-error';
import type { ProviderId } from '../core/providers';
import { interpretSignal } from './adaptive';
import { AdaptiveFactors } from './adaptive-factors';
import type { LimiterHealth } from './failover-backend';
import { level, LevelResolver, type CallTarget } from './levels';
import type { LimitOverride, OverrideScope, OverrideStore } from './overrides';
import { DEFAULT_TENANT_RULE, PROVIDER_LIMITS, type ProviderLimits } from './provider-limits';
import type { RateLimitSignal } from './signal';
import {
  DEFAULT_ADAPTIVE_POLICY,
  type AdaptivePolicy,
  type LevelSpec,
  type LimiterBackend,
  type RateRule,
} from './types';
import { sleep, WaitingLines } from './waiting';
import type { LevelUsage, UsageReader } from './usage';
import { MemoryThrottleHistory, type ThrottleHistory } from './throttle-history';
import { InboundDecisions } from './inbound-batch';

export type InboundKind = 'webhook' | 'admin';

export interface RateLimiterConfig {
  /** Prefix of every key (the app's REDIS_KEY_PREFIX). */
  keyPrefix: string;
  providerLimits?: Record<ProviderId, ProviderLimits>;
  tenantRule?: RateRule;
  inbound?: Record<InboundKind, RateRule>;
  adaptivePolicy?: AdaptivePolicy;
  /** How stale a cached adaptive factor may get before it is read again. */
  adaptiveRefreshMs?: number;
  overrideCacheMs?: number;
  /** How often the override store's change counter is read (a change through another instance applies within it). */
  overrideChangeCheckMs?: number;
  /** Longest wait for a turn inside one call; beyond it the caller gets rate_limited and reschedules. */
  maxWaitMs?: number;
  /** How often the head of a semaphore line asks again (earlier when this process frees a lease). */
  concurrencyPollMs?: number;
  /** retryAfterMs given when a semaphore stays full past the wait (its leases' end is only an upper bound). */
  concurrencyRetryMs?: number;
}

export const DEFAULT_INBOUND: Record<InboundKind, RateRule> = {
  webhook: { kind: 'rate', limit: 50, windowMs: 1000, burst: 100 },
  admin: { kind: 'rate', limit: 10, windowMs: 1000, burst: 30 },
};

export interface AcquireOptions {
  maxWaitMs?: number;
  signal?: AbortSignal;
}

export interface Permit {
  /** How long the call waited for its turn. */
  waitedMs: number;
  /** When the turn started on the limiter's clock (Redis server time with Redis), epoch ms. */
  turnAt: number;
  /** Whether the permit holds a concurrency lease that `release` frees. */
  leased: boolean;
  /** Frees concurrency leases at once (they expire by themselves otherwise). Safe to call twice. */
  release(): Promise<void>;
}

export type InboundDecision =
  { allowed: true } | { allowed: false; status: 429; retryAfterMs: number; headers: { 'Retry-After': string } };

type Backend = LimiterBackend & { health?(): LimiterHealth; close?(): void };

export class RateLimiter {
  private readonly resolver: LevelResolver;
  private readonly adaptive: AdaptiveFactors;
  private readonly lines = new WaitingLines();
  private readonly limits: Record<ProviderId, ProviderLimits>;
  private readonly policy: AdaptivePolicy;
  private readonly inbound: Record<InboundKind, RateRule>;
  private readonly inboundDecisions: InboundDecisions;
  private readonly inboundLevels = new Map<string, LevelSpec>();

  constructor(
    private readonly backend: Backend,
    readonly overrides: OverrideStore,
    private readonly config: RateLimiterConfig,
    /** Reads the current state per level for the admin usage view; absent: usage is not available. */
    private readonly usageReader?: UsageReader,
    /** Where 429 answers and waits are counted over time (the admin charts); memory when not given. */
    readonly throttleHistory: ThrottleHistory = new MemoryThrottleHistory(),
  ) {
    this.limits = config.providerLimits ?? PROVIDER_LIMITS;
    this.policy = config.adaptivePolicy ?? DEFAULT_ADAPTIVE_POLICY;
    this.inbound = config.inbound ?? DEFAULT_INBOUND;
    this.inboundDecisions = new InboundDecisions(backend);
    this.resolver = new LevelResolver({
      keyPrefix: config.keyPrefix,
      providerLimits: this.limits,
      tenantRule: config.tenantRule ?? DEFAULT_TENANT_RULE,
      overrides,
      // With a change counter (the Redis store), pairs are dropped when anything changes: the cache time is only
      // a bound. Without one, it is how stale another instance's change may be.
      overrideCacheMs: config.overrideCacheMs ?? (overrides.changeCounter ? 60_000 : 5000),
      overrideChangeCheckMs: config.overrideChangeCheckMs ?? 1000,
      now: Date.now,
    });
    this.adaptive = new AdaptiveFactors(backend, this.policy, config.adaptiveRefreshMs ?? 1000, Date.now);
  }

  /** Waits for a turn on every level of the call, or throws rate_limited (with retryAfterMs). */
  async acquire(target: CallTarget, options: AcquireOptions = {}): Promise<Permit> {
    const started = Date.now();
    const deadline = started + (options.maxWaitMs ?? this.config.maxWaitMs ?? 10_000);
    const levels = this.levelsNow(target) ?? (await this.levelsWithFactors(target));
    const semaphores = semaphoreKeys(levels);
    const leaseId = semaphores.length > 0 ? randomUUID() : '';
    let leave: (() => void) | undefined;
    try {
      for (;;) {
        const remainingMs = Math.max(0, deadline - Date.now());
        const decision = await this.backend.decide(levels, { maxWaitMs: remainingMs, leaseId });
        if (decision.allowed) {
          const waitedInLine = leave !== undefined;
          leave?.();
          const permit = this.permit(semaphores, leaseId, started, decision.turnAt);
          if (waitedInLine && decision.waitMs <= 0) this.recordWait(target, Date.now() - started);
          if (decision.waitMs > 0) {
            this.recordWait(target, Date.now() - started + decision.waitMs);
            try {
              await sleep(decision.waitMs, options.signal);
            } catch (error) {
              await permit.release().catch(() => undefined);
              throw error;
            }
            permit.waitedMs = Date.now() - started;
          }
          return permit;
        }
        const level = levels[decision.deniedLevel]!;
        if (decision.reason === 'rate' || remainingMs <= 0) {
          const retryAfterMs =
            decision.reason === 'rate'
              ? decision.retryAfterMs
              : Math.min(decision.retryAfterMs, this.config.concurrencyRetryMs ?? 1000);
          // The page is rescheduled: it waits retryAfterMs on top of what it waited here.
          this.recordWait(target, Date.now() - started + retryAfterMs);
          throw limited(target, level, retryAfterMs);
        }
        if (!leave) leave = await this.lines.join(level.key, options.signal);
        else
          await this.lines.pause(
            level.key,
            Math.min(this.config.concurrencyPollMs ?? 100, remainingMs),
            options.signal,
          );
      }
    } finally {
      leave?.();
    }
  }

  /** Applies what a provider said about its limits to the level it concerns, for every instance. */
  async reportSignal(
    target: Omit<CallTarget, 'operation'> & { operation?: string },
    signal: RateLimitSignal,
  ): Promise<void> {
    if (signal.status === 429)
      this.throttleHistory.record({
        tenantId: target.tenantId,
        provider: target.provider,
        at: Date.now(),
        kind: '429',
      });
    const limits = this.limits[target.provider];
    const levels = await this.resolver.resolve({ ...target, operation: target.operation ?? signal.resource ?? '' });
    const integration = levels.find((level) => level.name === 'integration')!;
    const level =
      limits.signalLevel === 'operation' ? (levels.find((l) => l.name === 'operation') ?? integration) : integration;
    if (level.rule.kind !== 'rate') return;
    const effect = interpretSignal(signal, level.rule, limits, this.policy, Date.now());
    if (!effect) return;
    let [factor] = await this.adaptive.factors([level.key]);
    if (effect.change) {
      const state = await this.backend.lowerAdaptive(level.key, effect.change, this.policy);
      this.adaptive.remember(level.key, state);
      factor = state.factor;
    }
    if (effect.blockMs > 0) await this.backend.block({ ...level, factor }, effect.blockMs);
  }

  /** Per-tenant limit of an inbound endpoint; never waits. */
  async checkInbound(kind: InboundKind, tenantId: string): Promise<InboundDecision> {
    const inbound = this.inboundLevel(kind, tenantId);
    // Checks arriving together are decided together (inbound-batch.ts).
    const decision = await this.inboundDecisions.decide(inbound);
    if (decision.allowed) return { allowed: true };
    return {
      allowed: false,
      status: 429,
      retryAfterMs: decision.retryAfterMs,
      headers: { 'Retry-After': String(Math.max(1, Math.ceil(decision.retryAfterMs / 1000))) },
    };
  }

  /** A tenant's inbound level, kept (bounded) since every request asks for it. */
  private inboundLevel(kind: InboundKind, tenantId: string): LevelSpec {
    const cacheKey = `${kind}:${tenantId}`;
    let spec = this.inboundLevels.get(cacheKey);
    if (!spec) {
      spec = level(
        'inbound',
        `${this.config.keyPrefix}rl:in:${kind}:${encodeURIComponent(tenantId)}`,
        this.inbound[kind],
      );
      if (this.inboundLevels.size >= 10_000) this.inboundLevels.clear();
      this.inboundLevels.set(cacheKey, spec);
    }
    return spec;
  }

  async getOverride(scope: OverrideScope, signal?: AbortSignal): Promise<LimitOverride | undefined> {
    return this.overrides.get(scope, signal);
  }

  async setOverride(scope: OverrideScope, override: LimitOverride, signal?: AbortSignal): Promise<void> {
    await this.overrides.set(scope, override, signal);
    this.resolver.invalidate(scope.tenantId);
  }

  async deleteOverride(scope: OverrideScope, signal?: AbortSignal): Promise<void> {
    await this.overrides.delete(scope, signal);
    this.resolver.invalidate(scope.tenantId);
  }

  /** The current state of every level a call would be checked against; consumes nothing. */
  async usage(target: CallTarget): Promise<{ backend: 'redis' | 'local'; levels: LevelUsage[] }> {
    if (!this.usageReader) throw new AppError('not_implemented', 'this limiter has no usage reader');
    return {
      backend: this.usageReader.kind,
      levels: await this.usageReader.read(await this.levelsWithFactors(target)),
    };
  }

  private recordWait(target: CallTarget, waitMs: number): void {
    this.throttleHistory.record({
      tenantId: target.tenantId,
      provider: target.provider,
      at: Date.now(),
      kind: 'wait',
      waitMs,
    });
  }

  /** Which backend decides now, and whether that is a degraded state (for /api/health). */
  health(): LimiterHealth {
    return this.backend.health?.() ?? { backend: this.backend.kind, degraded: false, since: 0 };
  }

  close(): void {
    this.backend.close?.();
  }

  /** The call's levels with the adaptive factors in force. */
  private async levelsWithFactors(target: CallTarget): Promise<readonly LevelSpec[]> {
    return withFactors(await this.resolver.resolve(target), await this.adaptive.current());
  }

  /** The same without a promise when everything it needs is cached (the decision path's usual case). */
  private levelsNow(target: CallTarget): readonly LevelSpec[] | undefined {
    const levels = this.resolver.resolveNow(target);
    const factorOf = levels && this.adaptive.currentNow();
    return factorOf && withFactors(levels, factorOf);
  }

  private permit(semaphores: readonly string[], leaseId: string, started: number, turnAt: number): Permit {
    if (semaphores.length === 0) return { waitedMs: Date.now() - started, turnAt, leased: false, release: noLease };
    let released = false;
    return {
      waitedMs: Date.now() - started,
      turnAt,
      leased: true,
      release: async () => {
        if (released) return;
        released = true;
        await this.backend.release(semaphores, leaseId);
        for (const key of semaphores) this.lines.poke(key);
      },
    };
  }
}

/**
 * The levels with the adaptive factors in force (integration and operation levels adapt). When no level is
 * throttled, which is nearly always, the resolver's shared levels are used as they are: this runs before every
 * provider call, and copying them each time was most of the path's garbage.
 */
function withFactors(levels: readonly LevelSpec[], factorOf: (key: string) => number): readonly LevelSpec[] {
  let adjusted: LevelSpec[] | undefined;
  for (let i = 0; i < levels.length; i++) {
    const level = levels[i]!;
    if (level.name !== 'integration' && level.name !== 'operation') continue;
    const factor = factorOf(level.key);
    if (factor === 1) continue;
    adjusted ??= [...levels];
    adjusted[i] = { ...level, factor };
  }
  return adjusted ?? levels;
}

const NO_SEMAPHORES: readonly string[] = [];
const semaphoresOf = new WeakMap<readonly LevelSpec[], readonly string[]>();

/** The concurrency levels' keys, worked out once per (shared) set of levels. */
function semaphoreKeys(levels: readonly LevelSpec[]): readonly string[] {
  let keys = semaphoresOf.get(levels);
  if (!keys) {
    const found = levels.filter((level) => level.rule.kind === 'concurrency').map((level) => level.key);
    keys = found.length > 0 ? found : NO_SEMAPHORES;
    semaphoresOf.set(levels, keys);
  }
  return keys;
}

const noLease = async (): Promise<void> => undefined;

function limited(target: CallTarget, level: LevelSpec, retryAfterMs: number): AppError {
  return new AppError(
    'rate_limited',
    `${target.provider} ${level.name} rate limit reached for operation ${target.operation}`,
    {
      target: level.name,
      retryAfterMs,
      details: { provider: target.provider, level: level.name, operation: target.operation },
    },
  );
}
