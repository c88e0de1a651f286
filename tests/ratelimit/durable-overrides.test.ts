/**
 * Rate-limit overrides survive Redis losing its data: they are kept in Cosmos (cosmosdb-server) with Redis
 * (a private redis-server) as their cache. After a FLUSHALL or a restart without persistence, a new instance
 * (empty caches) still lists the override through the admin API and the limiter still applies it.
 */
import Redis from 'ioredis';
import { adminApi } from '../../functions/AdminApi';
import { newIntegration } from '../../shared/core/integration';
import { isAppError } from '../../shared/core/app-error';
import { DurableOverrideStore, type OverrideDocuments } from '../../shared/ratelimit/durable-overrides';
import { createRateLimiter } from '../../shared/ratelimit';
import { RedisOverrideStore, type LimitOverride } from '../../shared/ratelimit/overrides';
import { bodyOf, httpRequest, invocation } from '../support/invoke';
import { startRedisServer } from '../support/redis-server';
import { createTestServices, TEST_ADMIN_KEY, type TestServices } from '../support/test-services';

const TENANT = 't-dur';
const OVERRIDE = { tenant: { kind: 'rate', limit: 2, windowMs: 60_000, burst: 2 } };
const target = { tenantId: TENANT, integrationId: 'dur-1', provider: 'github' as const, operation: 'issues.list' };

let redisServer: Awaited<ReturnType<typeof startRedisServer>>;
let database: string;
const opened: TestServices[] = [];
const clients: Redis[] = [];

/** One instance of the app; every call is a fresh process as far as caches go. */
async function instance(): Promise<TestServices> {
  const t = await createTestServices({
    REDIS_URL: redisServer.settings.REDIS_URL,
    REDIS_KEY_PREFIX: 'dur:',
    COSMOS_DATABASE: database,
  });
  opened.push(t);
  return t;
}

async function admin(t: TestServices, method: string, path: string, body?: unknown) {
  const response = await adminApi.handler(
    httpRequest(method, `admin/${path}`, { body, headers: { 'x-api-key': TEST_ADMIN_KEY }, params: { path } }),
    invocation('AdminApi'),
    t.services,
  );
  return { status: response.status ?? 200, body: bodyOf(response) as { override: unknown } };
}

/** How many calls the limiter lets through at once before refusing (the tenant override allows 2). */
async function allowedInARow(t: TestServices): Promise<number> {
  for (let count = 0; count < 10; count++) {
    try {
      await t.services.rateLimiter.acquire(target, { maxWaitMs: 0 });
    } catch (error) {
      if (isAppError(error) && error.code === 'rate_limited') return count;
      throw error;
    }
  }
  return 10;
}

function redis(): Redis {
  const client = new Redis(redisServer.settings.REDIS_URL!, { lazyConnect: false, maxRetriesPerRequest: 1 });
  clients.push(client);
  return client;
}

beforeAll(async () => {
  redisServer = await startRedisServer();
  database = `test-dur-${Date.now()}`;
  const first = await instance();
  await first.services.integrations.create(
    newIntegration(TENANT, 'dur-1', { provider: 'github', name: 'gh' }, { intervalMinutes: 60 }, new Date()),
  );
});

afterAll(async () => {
  for (const t of opened) await t.services.close();
  for (const client of clients) client.disconnect();
  await redisServer.stop();
});

it('keeps an override through a FLUSHALL: listed by the admin API and applied by a fresh instance', async () => {
  const before = await instance();
  expect((await admin(before, 'PUT', `tenants/${TENANT}/rate-limits`, OVERRIDE)).status).toBe(200);
  expect(await allowedInARow(before)).toBe(2);

  await redis().flushall();

  const after = await instance();
  expect((await admin(after, 'GET', `tenants/${TENANT}/rate-limits`)).body.override).toEqual(OVERRIDE);
  expect(await allowedInARow(after)).toBe(2);
});

it('keeps it through a restart of redis-server without persistence, and forgets it once deleted', async () => {
  const port = redisServer.port;
  await redisServer.stop();
  redisServer = await startRedisServer(port);

  const restarted = await instance();
  expect(await allowedInARow(restarted)).toBe(2);
  expect((await admin(restarted, 'GET', `tenants/${TENANT}/rate-limits`)).body.override).toEqual(OVERRIDE);

  expect((await admin(restarted, 'DELETE', `tenants/${TENANT}/rate-limits`)).status).toBe(204);
  await redis().flushall();
  const fresh = await instance();
  expect((await admin(fresh, 'GET', `tenants/${TENANT}/rate-limits`)).body.override).toBeNull();
  expect(await allowedInARow(fresh)).toBe(10);
});

it('a running instance picks the override up again within its change check after Redis lost it', async () => {
  const t = await instance();
  await admin(t, 'PUT', `tenants/${TENANT}/integrations/dur-1/rate-limits`, {
    integration: { kind: 'rate', limit: 3, windowMs: 60_000, burst: 3 },
  });
  const store = t.services.rateLimiter.overrides;
  await redis().flushall();
  // The change counter read (once a second in the limiter) rebuilds the Redis copy and moves the counter.
  const counter = await store.changeCounter!();
  expect(counter).not.toBe('none');
  expect(await new RedisOverrideStore(redis(), 'dur:').get({ tenantId: TENANT, integrationId: 'dur-1' })).toEqual({
    integration: { kind: 'rate', limit: 3, windowMs: 60_000, burst: 3 },
  });
});

it('adopts overrides that only Redis has (set before this version) into the documents', async () => {
  const t = await instance();
  const client = redis();
  await client.flushall();
  await new RedisOverrideStore(client, 'dur:').set(
    { tenantId: 't-old' },
    { tenant: { kind: 'rate', limit: 9, windowMs: 1000 } },
  );
  const documents = t.services.documents.rateLimitOverrides;
  const store = new DurableOverrideStore(client, 'dur:', documents);
  const old = { tenant: { kind: 'rate', limit: 9, windowMs: 1000 } };
  expect((await store.getPair('t-old', 'x')).tenant).toEqual(old);
  expect(await documents.get({ tenantId: 't-old' })).toEqual(old);
  await client.flushall();
  expect(await store.get({ tenantId: 't-old' })).toEqual(old);
});

it('a rebuild racing with a write keeps the write', async () => {
  const t = await instance();
  const client = redis();
  const documents = t.services.documents.rateLimitOverrides;
  const stores = [
    new DurableOverrideStore(client, 'dur:', documents),
    new DurableOverrideStore(redis(), 'dur:', documents),
  ];
  for (let round = 0; round < 5; round++) {
    await client.flushall();
    const written = { tenant: { kind: 'rate' as const, limit: 100 + round, windowMs: 1000 } };
    await Promise.all([
      stores[0]!.getPair('t-race', 'i'),
      stores[1]!.set({ tenantId: 't-race' }, written),
      stores[0]!.changeCounter!(),
    ]);
    expect(await stores[0]!.get({ tenantId: 't-race' })).toEqual(written);
    expect(await new RedisOverrideStore(client, 'dur:').get({ tenantId: 't-race' })).toEqual(written);
  }
});

it('without Redis, a new limiter reads the overrides another one set from the documents', async () => {
  const t = await instance();
  const documents = t.services.documents.rateLimitOverrides;
  const writer = createRateLimiter({ keyPrefix: 'nr:', overrideDocuments: documents });
  await writer.setOverride({ tenantId: 't-noredis' }, OVERRIDE as LimitOverride);
  const reader = createRateLimiter({ keyPrefix: 'nr:', overrideDocuments: documents });
  expect(await reader.getOverride({ tenantId: 't-noredis' })).toEqual(OVERRIDE);
  const noRedisTarget = { ...target, tenantId: 't-noredis' };
  await reader.acquire(noRedisTarget, { maxWaitMs: 0 });
  await reader.acquire(noRedisTarget, { maxWaitMs: 0 });
  await expect(reader.acquire(noRedisTarget, { maxWaitMs: 0 })).rejects.toMatchObject({ code: 'rate_limited' });
  await Promise.all([writer.close(), reader.close()]);
});

it('a rebuild that read the documents before a write does not overwrite the write with what it read', async () => {
  const t = await instance();
  const documents = t.services.documents.rateLimitOverrides;
  const client = redis();
  await client.flushall();
  const scope = { tenantId: 't-cas' };
  const old: LimitOverride = { tenant: { kind: 'rate', limit: 1, windowMs: 1000 } };
  const fresh: LimitOverride = { tenant: { kind: 'rate', limit: 2, windowMs: 1000 } };
  await documents.put(scope, old);
  const writer = new DurableOverrideStore(redis(), 'cas:', documents);
  // The write lands between the rebuild's read of the documents and its write to Redis.
  let between: (() => Promise<void>) | undefined = () => writer.set(scope, fresh);
  const slowReads: OverrideDocuments = {
    get: (s) => documents.get(s),
    put: (s, o) => documents.put(s, o),
    remove: (s) => documents.remove(s),
    all: async () => {
      const read = await documents.all();
      const step = between;
      between = undefined;
      await step?.();
      return read;
    },
  };
  const rebuilding = new DurableOverrideStore(client, 'cas:', slowReads);
  expect((await rebuilding.getPair('t-cas', 'i')).tenant).toEqual(fresh);
  expect(await new RedisOverrideStore(client, 'cas:').get(scope)).toEqual(fresh);
});
