/**
 * Turns one outbound call (tenant, integration, provider, operation) into the levels it is checked against,
 * from the provider defaults and the tenant's and integration's overrides. Overrides are cached so a decision
 * stays one Redis round trip: a change made through this process is seen at once, one made through another
 * instance within about a second (the store's change counter), and a cached pair is read again after
 * overrideCacheMs in any case.
 */
import type { ProviderId } from '../core/providers';
import type { LimitOverride, OverrideStore } from './overrides';
import { matchOperation, tierRules, type OperationRule, type ProviderLimits } from './provider-limits';
import type { LevelName, LevelSpec, LimitRule, RateRule } from './types';

export interface CallTarget {
  tenantId: string;
  integrationId: string;
  provider: ProviderId;
  /** The provider operation, e.g. "issues.list" or "chat.postMessage". */
  operation: string;
  /**
   * The integration's limits tier, where the provider's limits depend on one (Slack's app distribution:
   * `limitsTierOf`); absent: the provider's default tier.
   */
  tier?: string;
}

export interface LevelResolverOptions {
  keyPrefix: string;
  providerLimits: Record<ProviderId, ProviderLimits>;
  tenantRule: RateRule;
  overrides: OverrideStore;
  /** Longest a cached pair answers without being read again. */
  overrideCacheMs: number;
  /**
   * How often the store's change counter is read (when it has one): a change anywhere drops the cached pairs,
   * so a change made through another instance applies within about this long. Default 1 s.
   */
  overrideChangeCheckMs?: number;
  now: () => number;
}

interface CachedPair {
  pair: { tenant?: LimitOverride; integration?: LimitOverride };
  /** The pair as read, to tell a re-read that changed nothing (the pair object, and the levels built from it, stay). */
  text: string;
  fetchedAt: number;
  refreshing?: boolean;
}

const enc = (value: string): string => encodeURIComponent(value);

/** Resolved levels are reused for this long at most, and never across an override change. */
const RESOLVED_CACHE_SIZE = 20_000;

export class LevelResolver {
  private readonly cache = new Map<string, CachedPair>();
  private readonly resolved = new Map<string, { levels: readonly LevelSpec[]; pair: CachedPair['pair'] }>();
  /** The store's change counter as last read, and when; `generation` moves whenever the cache is dropped. */
  private changes: { known?: string; checkedAt: number; checking: boolean; generation: number } = {
    checkedAt: Number.NEGATIVE_INFINITY,
    checking: false,
    generation: 0,
  };

  constructor(private readonly options: LevelResolverOptions) {}

  /**
   * The levels for one call, in a fixed order: tenant, integration, operation?, app, concurrency?. The
   * result is shared: copy a level before changing it.
   */
  async resolve(target: CallTarget): Promise<readonly LevelSpec[]> {
    return (
      this.resolveNow(target) ?? this.levelsFor(target, await this.overridesFor(target.tenantId, target.integrationId))
    );
  }

  /**
   * The levels without waiting, when the call's overrides are cached (nearly always: the decision path asks
   * before every provider call, and skips a promise per call this way); undefined when they must be read.
   */
  resolveNow(target: CallTarget): readonly LevelSpec[] | undefined {
    const pair = this.cachedOverrides(target.tenantId, target.integrationId);
    return pair && this.levelsFor(target, pair);
  }

  private levelsFor(target: CallTarget, pair: CachedPair['pair']): readonly LevelSpec[] {
    const cacheKey = `${target.provider}\u0000${target.tenantId}\u0000${target.integrationId}\u0000${target.operation}\u0000${target.tier ?? ''}`;
    const hit = this.resolved.get(cacheKey);
    if (hit && hit.pair === pair) return hit.levels;
    const levels = this.build(target, pair);
    if (this.resolved.size >= RESOLVED_CACHE_SIZE) this.resolved.clear();
    this.resolved.set(cacheKey, { levels, pair });
    return levels;
  }

  private build(target: CallTarget, { tenant, integration }: CachedPair['pair']): LevelSpec[] {
    const { keyPrefix, providerLimits, tenantRule } = this.options;
    const limits = providerLimits[target.provider];
    const t = enc(target.tenantId);
    const ti = `${t}:${enc(target.integrationId)}`;
    const levels: LevelSpec[] = [
      level('tenant', `${keyPrefix}rl:t:${t}`, tenant?.tenant ?? tenantRule),
      level(
        'integration',
        `${keyPrefix}rl:i:${ti}`,
        integration?.integration ?? tenant?.integration ?? limits.integration,
      ),
    ];
    const operationRules: OperationRule[] = [
      ...overrideRules(integration),
      ...overrideRules(tenant),
      ...tierRules(limits, target.tier),
      ...limits.operations,
    ];
    const operation = matchOperation(operationRules, target.operation);
    if (operation) levels.push(level('operation', `${keyPrefix}rl:o:${ti}:${enc(operation.keyPart)}`, operation.rule));
    levels.push(level('app', `${keyPrefix}rl:a:${target.provider}`, limits.app));
    const concurrency = integration?.concurrency ?? tenant?.concurrency ?? limits.concurrency;
    if (concurrency) levels.push(level('concurrency', `${keyPrefix}rl:c:${ti}`, concurrency));
    return levels;
  }

  /** Forget cached overrides of a tenant (after a change through this process). */
  invalidate(tenantId: string): void {
    // Reads running now may have read before the change: they answer, but do not cache.
    this.changes.generation++;
    for (const key of this.cache.keys()) if (key.startsWith(`${tenantId}\u0000`)) this.cache.delete(key);
  }

  /** Drops everything cached (tests, or after bulk changes). */
  clear(): void {
    this.cache.clear();
    this.resolved.clear();
  }

  /**
   * A pair's overrides: read and waited for the first time; once cached and older than overrideCacheMs, the
   * cached pair answers while one re-read runs beside the call (a decision never waits a second round trip
   * for a re-read that almost always finds nothing changed). With overrideCacheMs 0 every call reads.
   */
  private async overridesFor(tenantId: string, integrationId: string): Promise<CachedPair['pair']> {
    const cacheKey = `${tenantId}\u0000${integrationId}`;
    return (
      this.cachedOverrides(tenantId, integrationId) ??
      this.read(cacheKey, tenantId, integrationId, this.cache.get(cacheKey))
    );
  }

  /** The cached pair when it may answer (fresh, or stale with a re-read started); undefined when a read must be waited for. */
  private cachedOverrides(tenantId: string, integrationId: string): CachedPair['pair'] | undefined {
    const now = this.options.now();
    this.checkForChanges(now);
    const cacheKey = `${tenantId}\u0000${integrationId}`;
    const cached = this.cache.get(cacheKey);
    if (!cached) return undefined;
    if (now - cached.fetchedAt < this.options.overrideCacheMs) return cached.pair;
    if (this.options.overrideCacheMs <= 0) return undefined;
    if (!cached.refreshing) {
      cached.refreshing = true;
      void this.read(cacheKey, tenantId, integrationId, cached).finally(() => (cached.refreshing = false));
    }
    return cached.pair;
  }

  /**
   * Reads the store's change counter now and then (one read at a time, beside the calls): when it moved, every
   * cached pair is dropped, and pairs being read meanwhile are not cached (they may predate the change).
   */
  private checkForChanges(now: number): void {
    const { overrides, overrideChangeCheckMs = 1000 } = this.options;
    if (!overrides.changeCounter || this.changes.checking || now - this.changes.checkedAt < overrideChangeCheckMs)
      return;
    this.changes.checking = true;
    this.changes.checkedAt = now;
    overrides
      .changeCounter()
      .then((counter) => {
        // The first reading is the baseline (what is cached was read moments ago); later, a moved counter
        // drops the cache.
        if (this.changes.known !== undefined && counter !== this.changes.known) {
          this.cache.clear();
          this.changes.generation++;
        }
        this.changes.known = counter;
      })
      // Unreadable (Redis down): keep what is cached, as reads of the pairs themselves do.
      .catch(() => undefined)
      .finally(() => (this.changes.checking = false));
  }

  private async read(
    cacheKey: string,
    tenantId: string,
    integrationId: string,
    cached: CachedPair | undefined,
  ): Promise<CachedPair['pair']> {
    const now = this.options.now();
    const generation = this.changes.generation;
    try {
      const pair = await this.options.overrides.getPair(tenantId, integrationId);
      const text = JSON.stringify(pair);
      // Invalidated or replaced while this read ran: what it read may predate the change; keep the newer entry.
      if ((cached && this.cache.get(cacheKey) !== cached) || generation !== this.changes.generation) return pair;
      if (cached && cached.text === text) {
        cached.fetchedAt = now;
        return cached.pair;
      }
      if (this.cache.size > 10_000) this.cache.clear();
      this.cache.set(cacheKey, { pair, text, fetchedAt: now });
      return pair;
    } catch {
      // The override store shares Redis with the limiter: when it is down, keep the last known overrides
      // (or the defaults) rather than failing the call; the limiter's own fallback reports the outage.
      if (cached) cached.fetchedAt = now;
      return cached?.pair ?? {};
    }
  }
}

/**
 * A rate level's key names its rule, so a changed limit starts from a fresh budget at once instead of
 * inheriting a schedule computed under the old one. A semaphore keeps its key: its current holders must
 * count against a changed limit.
 */
export function level(name: LevelName, baseKey: string, rule: LimitRule): LevelSpec {
  if (rule.kind === 'concurrency') return { name, key: baseKey, rule };
  return { name, key: `${baseKey}:${rule.limit}/${rule.windowMs}/${rule.burst ?? 1}`, rule };
}

function overrideRules(override: LimitOverride | undefined): OperationRule[] {
  if (!override?.operations) return [];
  return Object.entries(override.operations).map(([pattern, rule]) => ({
    match: [pattern],
    keyBy: 'operation' as const,
    rule,
  }));
}
