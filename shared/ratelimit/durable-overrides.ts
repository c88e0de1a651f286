/**
 * Overrides kept in the document store (the `rate-limit-overrides` container), with Redis as their cache.
 *
 * Writes go to the documents first, then to Redis (hash and change counter in one transaction, as before),
 * so a change that Redis never saw is still there after a restart. Reads come from Redis. A marker key says
 * the Redis copy was loaded from the documents; when it is missing (Redis restarted without persistence, a
 * FLUSHALL, the first start of this version) the copy is rebuilt from the documents before the read answers.
 * The limiter's hot path does not change: it reads the change counter once a second beside the calls, and
 * that read also fetches the marker (one MGET instead of one GET), so a lost copy is rebuilt within a second
 * and the counter moves, dropping every process's cache.
 *
 * The rebuild is a compare-and-set: it notes the counter, reads the documents, and writes them to Redis in a
 * script only if the counter has not moved meanwhile (a set or delete in between may be newer than what it
 * read: it reads again). A rebuild that finds the counter but no marker (Redis data from before this version)
 * first copies the overrides that only Redis has into the documents, so an upgrade loses none.
 *
 * Without Redis, DocumentOverrideStore reads the documents directly (the limiter caches pairs 5 s then).
 */
import type Redis from 'ioredis';
import {
  decodeOverride,
  overrideChangesKey,
  overrideField,
  overridesKey,
  parseOverride,
  RedisOverrideStore,
  type LimitOverride,
  type OverrideScope,
  type OverrideStore,
} from './overrides';

export interface StoredOverride {
  scope: OverrideScope;
  override: LimitOverride;
}

/** The document store port (storage/rate-limit-overrides-repository.ts). */
export interface OverrideDocuments {
  get(scope: OverrideScope): Promise<LimitOverride | undefined>;
  put(scope: OverrideScope, override: LimitOverride): Promise<void>;
  remove(scope: OverrideScope): Promise<void>;
  /** Every override of every tenant: a rebuild reads them all (they are few: set by hand). */
  all(): Promise<StoredOverride[]>;
}

/** KEYS: marker, counter, then one hash per entry; ARGV: expected counter ('' = missing), then field/value pairs. */
const REBUILD_SCRIPT = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 1 end
local counter = redis.call('GET', KEYS[2]) or ''
if counter ~= ARGV[1] then return 0 end
for i = 3, #KEYS do redis.call('HSET', KEYS[i], ARGV[2 * (i - 2)], ARGV[2 * (i - 2) + 1]) end
redis.call('SET', KEYS[1], '1')
redis.call('INCR', KEYS[2])
return 1`;

const REBUILD_ATTEMPTS = 5;

export class DurableOverrideStore implements OverrideStore {
  private readonly cache: RedisOverrideStore;
  private rebuilding: Promise<void> | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly documents: OverrideDocuments,
  ) {
    this.cache = new RedisOverrideStore(redis, keyPrefix);
  }

  async set(scope: OverrideScope, override: LimitOverride): Promise<void> {
    const parsed = parseOverride(override);
    await this.documents.put(scope, parsed);
    await this.cache.set(scope, parsed);
  }

  async delete(scope: OverrideScope): Promise<void> {
    await this.documents.remove(scope);
    await this.cache.delete(scope);
  }

  /** The admin read: from Redis once it holds the documents' copy; from the documents when Redis fails. */
  async get(scope: OverrideScope): Promise<LimitOverride | undefined> {
    try {
      await this.loaded();
      return await this.cache.get(scope);
    } catch {
      return this.documents.get(scope);
    }
  }

  async getPair(
    tenantId: string,
    integrationId: string,
  ): Promise<{ tenant?: LimitOverride; integration?: LimitOverride }> {
    let cached: [number, Array<string | null>];
    try {
      // Side by side: the auto-pipelined client sends both in one round trip, as the single HMGET was before.
      cached = await Promise.all([
        this.redis.exists(this.markerKey()),
        this.redis.hmget(
          overridesKey(this.keyPrefix, tenantId),
          overrideField({ tenantId }),
          overrideField({ tenantId, integrationId }),
        ),
      ]);
    } catch {
      return documentPair(this.documents, tenantId, integrationId);
    }
    const [marker, pair] = cached;
    if (marker === 1) return { tenant: decodeOverride(pair[0] ?? null), integration: decodeOverride(pair[1] ?? null) };
    await this.rebuild();
    return this.cache.getPair(tenantId, integrationId);
  }

  /** Read once a second by every limiter: a missing marker rebuilds the copy (and so moves the counter). */
  async changeCounter(): Promise<string> {
    const [counter, marker] = await this.redis.mget(overrideChangesKey(this.keyPrefix), this.markerKey());
    if (marker !== null) return counter ?? 'none';
    await this.rebuild();
    return this.cache.changeCounter();
  }

  private async loaded(): Promise<void> {
    if ((await this.redis.exists(this.markerKey())) === 0) await this.rebuild();
  }

  /** One rebuild at a time in this process; others wait for it. */
  private rebuild(): Promise<void> {
    this.rebuilding ??= this.rebuildOnce().finally(() => (this.rebuilding = undefined));
    return this.rebuilding;
  }

  private async rebuildOnce(): Promise<void> {
    for (let attempt = 0; attempt < REBUILD_ATTEMPTS; attempt++) {
      const counter = await this.redis.get(overrideChangesKey(this.keyPrefix));
      if (counter !== null) await this.adoptRedisOnly();
      const entries = await this.documents.all();
      const keys = [
        this.markerKey(),
        overrideChangesKey(this.keyPrefix),
        ...entries.map(({ scope }) => overridesKey(this.keyPrefix, scope.tenantId)),
      ];
      const args = [
        counter ?? '',
        ...entries.flatMap(({ scope, override }) => [overrideField(scope), JSON.stringify(override)]),
      ];
      if ((await this.redis.eval(REBUILD_SCRIPT, keys.length, ...keys, ...args)) === 1) return;
    }
    throw new Error('rate-limit overrides: the Redis copy kept changing while it was rebuilt');
  }

  /** Overrides that only Redis has (set before overrides were kept as documents) become documents. */
  private async adoptRedisOnly(): Promise<void> {
    const known = new Set(
      (await this.documents.all()).map(({ scope }) => `${scope.tenantId}\u0000${overrideField(scope)}`),
    );
    const prefix = overridesKey(this.keyPrefix, '');
    for await (const keys of this.redis.scanStream({ match: `${escapeGlob(prefix)}*`, count: 500 }) as AsyncIterable<
      string[]
    >) {
      for (const key of keys) {
        const tenantId = decodeURIComponent(key.slice(prefix.length));
        for (const [name, raw] of Object.entries(await this.redis.hgetall(key))) {
          const override = decodeOverride(raw);
          if (!override || known.has(`${tenantId}\u0000${name}`)) continue;
          const scope =
            name === overrideField({ tenantId })
              ? { tenantId }
              : name.startsWith('i:')
                ? { tenantId, integrationId: name.slice(2) }
                : undefined;
          if (scope) await this.documents.put(scope, override);
        }
      }
    }
  }

  private markerKey(): string {
    return `${this.keyPrefix}rl:ovr-loaded`;
  }
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, (character) => `\\${character}`);
}

/** Without Redis: the documents are the only copy, read directly (the limiter's cache spares most reads). */
export class DocumentOverrideStore implements OverrideStore {
  constructor(private readonly documents: OverrideDocuments) {}

  get(scope: OverrideScope): Promise<LimitOverride | undefined> {
    return this.documents.get(scope);
  }

  set(scope: OverrideScope, override: LimitOverride): Promise<void> {
    return this.documents.put(scope, parseOverride(override));
  }

  delete(scope: OverrideScope): Promise<void> {
    return this.documents.remove(scope);
  }

  getPair(tenantId: string, integrationId: string): Promise<{ tenant?: LimitOverride; integration?: LimitOverride }> {
    return documentPair(this.documents, tenantId, integrationId);
  }
}

async function documentPair(
  documents: OverrideDocuments,
  tenantId: string,
  integrationId: string,
): Promise<{ tenant?: LimitOverride; integration?: LimitOverride }> {
  const [tenant, integration] = await Promise.all([
    documents.get({ tenantId }),
    documents.get({ tenantId, integrationId }),
  ]);
  return { tenant, integration };
}

/** Documents in memory: for benchmarks and tests that need the durable store's Redis path without Cosmos. */
export class MemoryOverrideDocuments implements OverrideDocuments {
  private readonly data = new Map<string, StoredOverride>();

  async get(scope: OverrideScope): Promise<LimitOverride | undefined> {
    return this.data.get(memoryKey(scope))?.override;
  }

  async put(scope: OverrideScope, override: LimitOverride): Promise<void> {
    this.data.set(memoryKey(scope), { scope, override });
  }

  async remove(scope: OverrideScope): Promise<void> {
    this.data.delete(memoryKey(scope));
  }

  async all(): Promise<StoredOverride[]> {
    return [...this.data.values()];
  }
}

const memoryKey = (scope: OverrideScope) => `${scope.tenantId}\u0000${overrideField(scope)}`;
