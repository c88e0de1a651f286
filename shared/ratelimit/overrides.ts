/**
 * Limit overrides per tenant and per integration, set through the admin API. A tenant override applies to
 * the tenant level and, as a default, to every integration of the tenant; an integration override wins over
 * both for that integration. Stored in Redis (one hash per tenant; durably in Cosmos with Redis as the cache:
 * durable-overrides.ts) or in memory; the shape is validated
 * with zod so the admin API can hand a request body straight to `parseOverride`.
 */
import type Redis from 'ioredis';
import { z } from 'zod';
import { AppError } from '../core/app-error';

const positive = z.number().int().positive();
const rateRuleSchema = z.strictObject({
  kind: z.literal('rate'),
  limit: positive.max(10_000_000),
  windowMs: positive.max(7 * 24 * 3_600_000),
  burst: positive.max(1_000_000).optional(),
});
const concurrencyRuleSchema = z.strictObject({
  kind: z.literal('concurrency'),
  limit: positive.max(10_000),
  leaseMs: positive.max(3_600_000),
});
const limitRuleSchema = z.discriminatedUnion('kind', [rateRuleSchema, concurrencyRuleSchema]);

export const overrideSchema = z.strictObject({
  /** Only read from the tenant scope. */
  tenant: rateRuleSchema.optional(),
  integration: rateRuleSchema.optional(),
  /** Operation glob → rule; checked before the provider's own operation rules, one budget per operation. */
  operations: z.record(z.string().min(1).max(200), limitRuleSchema).optional(),
  concurrency: concurrencyRuleSchema.optional(),
});

export type LimitOverride = z.infer<typeof overrideSchema>;

export interface OverrideScope {
  tenantId: string;
  /** Absent: the tenant-wide override. */
  integrationId?: string;
}

export interface OverrideStore {
  get(scope: OverrideScope, signal?: AbortSignal): Promise<LimitOverride | undefined>;
  set(scope: OverrideScope, override: LimitOverride, signal?: AbortSignal): Promise<void>;
  /**
   * A value that changes whenever any override is set or deleted, through any instance: a reader that sees
   * it unchanged knows its cached overrides are current without reading them again.
   */
  changeCounter?(): Promise<string>;
  delete(scope: OverrideScope, signal?: AbortSignal): Promise<void>;
  /** The tenant-wide override and the integration's, in one read. */
  getPair(tenantId: string, integrationId: string): Promise<{ tenant?: LimitOverride; integration?: LimitOverride }>;
}

/** Validates an admin request body; the error names the offending field. */
export function parseOverride(input: unknown): LimitOverride {
  const result = overrideSchema.safeParse(input);
  if (result.success) {
    const { tenant, integration, operations, concurrency } = result.data;
    // An override that sets no rule changes nothing and would only be stored: DELETE is how one is removed.
    if (!tenant && !integration && !concurrency && Object.keys(operations ?? {}).length === 0) {
      throw new AppError(
        'validation',
        'invalid rate-limit override at body: sets no rule (tenant, integration, operations or concurrency); DELETE removes an override',
        { target: 'body' },
      );
    }
    return result.data;
  }
  const issue = result.error.issues[0]!;
  const target = issue.path.join('.') || 'body';
  throw new AppError('validation', `invalid rate-limit override at ${target}: ${issue.message}`, { target });
}

const TENANT_FIELD = '*';

/** The Redis hash field of a scope (also used by durable-overrides.ts to rebuild the hashes). */
export function overrideField(scope: OverrideScope): string {
  return scope.integrationId === undefined ? TENANT_FIELD : `i:${scope.integrationId}`;
}

/** The Redis hash of a tenant's overrides. */
export function overridesKey(keyPrefix: string, tenantId: string): string {
  return `${keyPrefix}rl:ovr:${encodeURIComponent(tenantId)}`;
}

/** The change counter every set and delete increments. */
export function overrideChangesKey(keyPrefix: string): string {
  return `${keyPrefix}rl:ovr-changes`;
}

export class MemoryOverrideStore implements OverrideStore {
  private readonly data = new Map<string, Map<string, LimitOverride>>();
  private changes = 0;

  async changeCounter(): Promise<string> {
    return String(this.changes);
  }

  async get(scope: OverrideScope): Promise<LimitOverride | undefined> {
    return this.data.get(scope.tenantId)?.get(overrideField(scope));
  }

  async set(scope: OverrideScope, override: LimitOverride): Promise<void> {
    const parsed = parseOverride(override);
    this.changes++;
    let tenant = this.data.get(scope.tenantId);
    if (!tenant) this.data.set(scope.tenantId, (tenant = new Map()));
    tenant.set(overrideField(scope), parsed);
  }

  async delete(scope: OverrideScope): Promise<void> {
    this.changes++;
    this.data.get(scope.tenantId)?.delete(overrideField(scope));
  }

  async getPair(
    tenantId: string,
    integrationId: string,
  ): Promise<{ tenant?: LimitOverride; integration?: LimitOverride }> {
    const tenant = this.data.get(tenantId);
    return { tenant: tenant?.get(TENANT_FIELD), integration: tenant?.get(overrideField({ tenantId, integrationId })) };
  }
}

export class RedisOverrideStore implements OverrideStore {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
  ) {}

  async get(scope: OverrideScope): Promise<LimitOverride | undefined> {
    return decodeOverride(await this.redis.hget(this.key(scope.tenantId), overrideField(scope)));
  }

  // The change counter moves in the same transaction as the change, so a reader never sees it moved before.
  async set(scope: OverrideScope, override: LimitOverride): Promise<void> {
    failed(
      await this.redis
        .multi()
        .hset(this.key(scope.tenantId), overrideField(scope), JSON.stringify(parseOverride(override)))
        .incr(this.changesKey())
        .exec(),
    );
  }

  async delete(scope: OverrideScope): Promise<void> {
    failed(
      await this.redis.multi().hdel(this.key(scope.tenantId), overrideField(scope)).incr(this.changesKey()).exec(),
    );
  }

  /** Missing (never set, or Redis lost its data) reads as "none": a cache made before then is dropped. */
  async changeCounter(): Promise<string> {
    return (await this.redis.get(this.changesKey())) ?? 'none';
  }

  private changesKey(): string {
    return overrideChangesKey(this.keyPrefix);
  }

  async getPair(
    tenantId: string,
    integrationId: string,
  ): Promise<{ tenant?: LimitOverride; integration?: LimitOverride }> {
    const [tenant, integration] = await this.redis.hmget(
      this.key(tenantId),
      TENANT_FIELD,
      overrideField({ tenantId, integrationId }),
    );
    return { tenant: decodeOverride(tenant ?? null), integration: decodeOverride(integration ?? null) };
  }

  private key(tenantId: string): string {
    return overridesKey(this.keyPrefix, tenantId);
  }
}

/** A transaction answers an error per command instead of throwing: the first one is thrown. */
function failed(results: Array<[Error | null, unknown]> | null): void {
  const error = results?.find(([commandError]) => commandError)?.[0];
  if (error) throw error;
}

/** A stored value that no longer parses (older shape, hand edit) is ignored rather than failing calls. */
export function decodeOverride(raw: string | null): LimitOverride | undefined {
  if (raw === null) return undefined;
  try {
    const result = overrideSchema.safeParse(JSON.parse(raw));
    return result.success ? result.data : undefined;
  } catch {
    return undefined;
  }
}
