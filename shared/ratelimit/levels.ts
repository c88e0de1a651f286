/**
 * Turns one outbound call (tenant, integration, provider, operation) into the levels it is checked against,
 * from the provider defaults and the tenant's and integration's overrides. Overrides are cached for a short
 * time so a decision stays one Redis round trip; a change made through this process is seen at once.
 */
import type { ProviderId } from '../adapters/contract';
import type { LimitOverride, OverrideStore } from './overrides';
import { matchOperation, type OperationRule, type ProviderLimits } from './provider-limits';
import type { LevelName, LevelSpec, LimitRule, RateRule } from './types';

export interface CallTarget {
  tenantId: string;
  integrationId: string;
  provider: ProviderId;
  /** The provider operation, e.g. "issues.list" or "chat.postMessage". */
  operation: string;
}

export interface LevelResolverOptions {
  keyPrefix: string;
  providerLimits: Record<ProviderId, ProviderLimits>;
  tenantRule: RateRule;
  overrides: OverrideStore;
  overrideCacheMs: number;
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

  constructor(private readonly options: LevelResolverOptions) {}

  /**
   * The levels for one call, in a fixed order: tenant, integration, operation?, app, concurrency?. The
   * result is shared: copy a level before changing it.
   */
  async resolve(target: CallTarget): Promise<readonly LevelSpec[]> {
    const pair = await this.overridesFor(target.tenantId, target.integrationId);
    const cacheKey = `${target.provider}\u0000${target.tenantId}\u0000${target.integrationId}\u0000${target.operation}`;
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
      level('integration', `${keyPrefix}rl:i:${ti}`, integration?.integration ?? tenant?.integration ?? limits.integration),
    ];
    const operationRules: OperationRule[] = [...overrideRules(integration), ...overrideRules(tenant), ...limits.operations];
    const operation = matchOperation(operationRules, target.operation);
    if (operation) levels.push(level('operation', `${keyPrefix}rl:o:${ti}:${enc(operation.keyPart)}`, operation.rule));
    levels.push(level('app', `${keyPrefix}rl:a:${target.provider}`, limits.app));
    const concurrency = integration?.concurrency ?? tenant?.concurrency ?? limits.concurrency;
    if (concurrency) levels.push(level('concurrency', `${keyPrefix}rl:c:${ti}`, concurrency));
    return levels;
  }

  /** Forget cached overrides of a tenant (after a change through this process). */
  invalidate(tenantId: string): void {
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
    const cached = this.cache.get(cacheKey);
    if (cached && this.options.now() - cached.fetchedAt < this.options.overrideCacheMs) return cached.pair;
    if (cached && this.options.overrideCacheMs > 0) {
      if (!cached.refreshing) {
        cached.refreshing = true;
        void this.read(cacheKey, tenantId, integrationId, cached).finally(() => (cached.refreshing = false));
      }
      return cached.pair;
    }
    return this.read(cacheKey, tenantId, integrationId, cached);
  }

  private async read(cacheKey: string, tenantId: string, integrationId: string, cached: CachedPair | undefined): Promise<CachedPair['pair']> {
    const now = this.options.now();
    try {
      const pair = await this.options.overrides.getPair(tenantId, integrationId);
      const text = JSON.stringify(pair);
      // Invalidated or replaced while this read ran: what it read may predate the change; keep the newer entry.
      if (cached && this.cache.get(cacheKey) !== cached) return pair;
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
  return Object.entries(override.operations).map(([pattern, rule]) => ({ match: [pattern], keyBy: 'operation' as const, rule }));
}
