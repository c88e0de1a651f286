/**
 * Slack's app distribution in the rate-limit table: apps outside the Marketplace (the default) get
 * conversations.history and conversations.replies at one call a minute each; Marketplace and internal apps
 * keep Tier 3 (50 a minute, bursts of 5). Against the real redis-server of the test run and in memory.
 */
import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { isAppError, type AppError } from '../../shared/core/app-error';
import {
  createAdapterHooks,
  createRateLimiter,
  limitsTierOf,
  PROVIDER_LIMITS,
  type RateLimiter,
} from '../../shared/ratelimit';

let redis: Redis;
beforeAll(() => {
  redis = new Redis(process.env.REDIS_URL!, { enableAutoPipelining: true });
});
afterAll(() => redis.disconnect());

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (isAppError(error)) return error;
    throw error;
  }
  throw new Error('expected a rate_limited error');
}

describe('limitsTierOf', () => {
  it("reads Slack's appDistribution, defaulting to non_marketplace; other providers have no tier", () => {
    expect(limitsTierOf(PROVIDER_LIMITS.slack, { appDistribution: 'marketplace' })).toBe('marketplace');
    expect(limitsTierOf(PROVIDER_LIMITS.slack, { appDistribution: 'internal' })).toBe('internal');
    expect(limitsTierOf(PROVIDER_LIMITS.slack, {})).toBe('non_marketplace');
    expect(limitsTierOf(PROVIDER_LIMITS.slack, { appDistribution: 'gold' })).toBe('non_marketplace');
    expect(limitsTierOf(PROVIDER_LIMITS.github, { appDistribution: 'marketplace' })).toBeUndefined();
  });
});

describe.each(['redis', 'local'] as const)('Slack app tiers on %s', (kind) => {
  let limiter: RateLimiter;
  const target = { tenantId: 'tenant-1', integrationId: 'sl', provider: 'slack' as const };
  beforeEach(() => {
    limiter = createRateLimiter({
      redis: kind === 'redis' ? redis : undefined,
      keyPrefix: `rltier:${randomUUID()}:`,
      maxWaitMs: 0,
    });
  });
  afterEach(() => limiter.close());

  it('outside the Marketplace (the default) allows one history call a minute, and one replies call beside it', async () => {
    for (const tier of [undefined, 'non_marketplace']) {
      const integration = { ...target, integrationId: `sl-${tier ?? 'default'}`, tier };
      await limiter.acquire({ ...integration, operation: 'conversations.history' });
      const refused = await rejection(limiter.acquire({ ...integration, operation: 'conversations.history' }));
      expect(refused.code).toBe('rate_limited');
      expect(refused.details).toMatchObject({ level: 'operation', provider: 'slack' });
      expect(refused.retryAfterMs).toBeGreaterThan(55_000);
      expect(refused.retryAfterMs).toBeLessThanOrEqual(60_000);
      await limiter.acquire({ ...integration, operation: 'conversations.replies' });
      await expect(limiter.acquire({ ...integration, operation: 'conversations.replies' })).rejects.toMatchObject({
        code: 'rate_limited',
      });
      // Other methods keep their own tiers.
      for (let i = 0; i < 3; i++) await limiter.acquire({ ...integration, operation: 'conversations.members' });
    }
  });

  it('Marketplace and internal apps keep Tier 3 for history and replies (bursts of 5)', async () => {
    for (const tier of ['marketplace', 'internal']) {
      const integration = { ...target, integrationId: `sl-${tier}`, tier };
      for (let i = 0; i < 5; i++) {
        await limiter.acquire({ ...integration, operation: 'conversations.history' });
        await limiter.acquire({ ...integration, operation: 'conversations.replies' });
      }
      const refused = await rejection(limiter.acquire({ ...integration, operation: 'conversations.history' }));
      expect(refused.retryAfterMs).toBeLessThanOrEqual(1200); // 50 a minute: one every 1.2 s
    }
  });

  it('adapter hooks carry the tier to every call', async () => {
    const internal = createAdapterHooks(limiter, { ...target, integrationId: 'hook-int', tier: 'internal' }, {});
    for (let i = 0; i < 3; i++) await internal.beforeRequest('conversations.history');
    const strict = createAdapterHooks(limiter, { ...target, integrationId: 'hook-strict' }, { maxWaitMs: 0 });
    await strict.beforeRequest('conversations.history');
    await expect(strict.beforeRequest('conversations.history')).rejects.toMatchObject({ code: 'rate_limited' });
  });
});
