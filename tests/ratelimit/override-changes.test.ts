/**
 * Overrides changed through one instance reach another through the Redis store's change counter: the other
 * instance's cached levels answer until its next counter check, then the new limit applies, without re-reading
 * every cached pair on a timer.
 */
import Redis from 'ioredis';
import { startRedisServer } from '../support/redis-server';
import { LevelResolver } from '../../shared/ratelimit/levels';
import { RedisOverrideStore } from '../../shared/ratelimit/overrides';
import { DEFAULT_TENANT_RULE, PROVIDER_LIMITS } from '../../shared/ratelimit/provider-limits';

let server: Awaited<ReturnType<typeof startRedisServer>>;
const clients: Redis[] = [];
beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  for (const client of clients) client.disconnect();
  await server.stop();
});

const client = () => {
  const redis = new Redis(server.settings.REDIS_URL!);
  clients.push(redis);
  return redis;
};
const target = { tenantId: 't1', integrationId: 'i1', provider: 'notion' as const, operation: 'pages.query' };
const tenantLimit = async (resolver: LevelResolver) => {
  const rule = (await resolver.resolve(target)).find((level) => level.name === 'tenant')!.rule;
  return rule.kind === 'rate' ? rule.limit : undefined;
};

it('moves the counter with every set and delete, in the same transaction', async () => {
  const store = new RedisOverrideStore(client(), 'oc1:');
  expect(await store.changeCounter()).toBe('none');
  await store.set({ tenantId: 't1' }, { tenant: { kind: 'rate', limit: 5, windowMs: 1000, burst: 5 } });
  expect(await store.changeCounter()).toBe('1');
  await store.delete({ tenantId: 't1' });
  expect(await store.changeCounter()).toBe('2');
});

it("applies another instance's change after the next counter check", async () => {
  const reading = new RedisOverrideStore(client(), 'oc2:');
  const resolver = new LevelResolver({
    keyPrefix: 'oc2:',
    providerLimits: PROVIDER_LIMITS,
    tenantRule: DEFAULT_TENANT_RULE,
    overrides: reading,
    overrideCacheMs: 60_000,
    overrideChangeCheckMs: 100,
    now: Date.now,
  });
  expect(await tenantLimit(resolver)).toBe(DEFAULT_TENANT_RULE.limit);
  await new Promise((resolve) => setTimeout(resolve, 20));
  await new RedisOverrideStore(client(), 'oc2:').set(
    { tenantId: 't1' },
    { tenant: { kind: 'rate', limit: 7, windowMs: 1000, burst: 7 } },
  );
  expect(await tenantLimit(resolver)).toBe(DEFAULT_TENANT_RULE.limit);
  const deadline = Date.now() + 2000;
  while ((await tenantLimit(resolver)) !== 7) {
    if (Date.now() > deadline) throw new Error('the change did not arrive');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
});
