/**
 * The limiter as the product uses it, against the real redis-server of the test run and in memory: provider
 * levels, overrides, waiting in line (FIFO), semaphores, inbound limits and the adapter hooks.
 */
import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { isAppError, type AppError } from '../../shared/core/app-error';
import { createAdapterHooks, createRateLimiter, parseOverride, type RateLimiter } from '../../shared/ratelimit';

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

describe.each(['redis', 'local'] as const)('limiter on %s', (kind) => {
  let limiter: RateLimiter;
  const tenantId = 'tenant-1';
  beforeEach(() => {
    limiter = createRateLimiter({
      redis: kind === 'redis' ? redis : undefined,
      keyPrefix: `rltest:${randomUUID()}:`,
      maxWaitMs: 0,
    });
  });
  afterEach(() => limiter.close());

  it('holds GitHub mutations to their own group budget while reads go on', async () => {
    const target = { tenantId, integrationId: 'gh', provider: 'github' as const };
    for (let i = 0; i < 10; i++)
      await limiter.acquire({ ...target, operation: i % 2 ? 'issues.update' : 'comments.create' });
    const error = await rejection(limiter.acquire({ ...target, operation: 'issues.create' }));
    expect(error.code).toBe('rate_limited');
    expect(error.details).toMatchObject({ level: 'operation', provider: 'github' });
    expect(error.retryAfterMs).toBeGreaterThan(250); // 80/min: one every 750 ms, less the time the burst took
    expect(error.retryAfterMs).toBeLessThanOrEqual(750);
    await expect(limiter.acquire({ ...target, operation: 'issues.list' })).resolves.toBeDefined();
  });

  it('gives each Slack method its tier', async () => {
    const target = { tenantId, integrationId: 'sl', provider: 'slack' as const };
    await limiter.acquire({ ...target, operation: 'chat.postMessage' });
    expect(
      (await rejection(limiter.acquire({ ...target, operation: 'chat.postMessage' }))).retryAfterMs,
    ).toBeGreaterThan(900);
    for (let i = 0; i < 3; i++) await limiter.acquire({ ...target, operation: 'conversations.list' }); // tier 2, burst 3
    await expect(limiter.acquire({ ...target, operation: 'conversations.list' })).rejects.toMatchObject({
      code: 'rate_limited',
    });
    await expect(limiter.acquire({ ...target, operation: 'conversations.history' })).resolves.toBeDefined();
  });

  it('applies integration and tenant overrides', async () => {
    const target = { tenantId, integrationId: 'n1', provider: 'notion' as const, operation: 'pages.query' };
    await limiter.setOverride(
      { tenantId, integrationId: 'n1' },
      { integration: { kind: 'rate', limit: 1, windowMs: 60_000, burst: 1 } },
    );
    await limiter.acquire(target);
    expect((await rejection(limiter.acquire(target))).details).toMatchObject({ level: 'integration' });
    expect(await limiter.getOverride({ tenantId, integrationId: 'n1' })).toEqual({
      integration: { kind: 'rate', limit: 1, windowMs: 60_000, burst: 1 },
    });
    await limiter.setOverride({ tenantId }, { tenant: { kind: 'rate', limit: 1, windowMs: 60_000, burst: 1 } });
    await limiter.acquire({ ...target, integrationId: 'n2' });
    expect((await rejection(limiter.acquire({ ...target, integrationId: 'n3' }))).details).toMatchObject({
      level: 'tenant',
    });
    await limiter.deleteOverride({ tenantId });
    await expect(limiter.acquire({ ...target, integrationId: 'n3' })).resolves.toBeDefined();
  });

  it('rejects a malformed override naming the field', () => {
    expect(() => parseOverride({ integration: { kind: 'rate', limit: 0, windowMs: 1000 } })).toThrow(
      /integration\.limit/,
    );
    expect(() => parseOverride({ integrations: {} })).toThrow(/rate-limit override/);
  });

  it('serves waiting callers first come, first served, and sends the rest back with retryAfterMs', async () => {
    const target = { tenantId, integrationId: 'q', provider: 'notion' as const, operation: 'pages.query' };
    await limiter.setOverride(
      { tenantId, integrationId: 'q' },
      { integration: { kind: 'rate', limit: 10, windowMs: 1000, burst: 1 } },
    );
    const order: number[] = [];
    const at: number[] = [];
    const calls = Array.from({ length: 8 }, (_, i) =>
      limiter.acquire(target, { maxWaitMs: 450 }).then((permit) => {
        order.push(i);
        at.push(permit.turnAt);
      }),
    );
    const results = await Promise.allSettled(calls);
    const granted = results.filter((result) => result.status === 'fulfilled').length;
    expect(granted).toBe(5); // at 0, 100, 200, 300, 400 ms
    expect(order).toEqual([0, 1, 2, 3, 4]);
    for (let i = 1; i < at.length; i++) expect(at[i]! - at[i - 1]!).toBeCloseTo(100, 0);
    for (const result of results.slice(5)) {
      expect(result.status).toBe('rejected');
      if (result.status === 'rejected')
        expect(result.reason).toMatchObject({ code: 'rate_limited', retryAfterMs: expect.any(Number) });
    }
  });

  it('queues semaphore waiters in order and frees a slot on release', async () => {
    const target = { tenantId, integrationId: 'sf', provider: 'salesforce' as const, operation: 'query' };
    await limiter.setOverride(
      { tenantId, integrationId: 'sf' },
      { concurrency: { kind: 'concurrency', limit: 1, leaseMs: 10_000 } },
    );
    const first = await limiter.acquire(target);
    const order: number[] = [];
    const waiters = [1, 2, 3].map((i) =>
      limiter.acquire(target, { maxWaitMs: 3000 }).then(async (permit) => {
        order.push(i);
        await new Promise((resolve) => setTimeout(resolve, 20));
        await permit.release();
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(order).toEqual([]);
    await first.release();
    await Promise.all(waiters);
    expect(order).toEqual([1, 2, 3]);
    const holder = await limiter.acquire(target);
    const error = await rejection(limiter.acquire(target, { maxWaitMs: 150 }));
    expect(error.details).toMatchObject({ level: 'concurrency' });
    await holder.release();
  });

  it('limits inbound requests per tenant with a Retry-After', async () => {
    // Admin: 10/s with bursts of 30. However slow the machine, the burst is granted and then refusals come.
    const started = Date.now();
    let allowed = 0;
    let refused: Awaited<ReturnType<RateLimiter['checkInbound']>> | undefined;
    while (!refused && allowed < 100) {
      const decision = await limiter.checkInbound('admin', 'a');
      if (decision.allowed) allowed++;
      else refused = decision;
    }
    expect(allowed).toBeGreaterThanOrEqual(30);
    expect(allowed).toBeLessThanOrEqual(30 + Math.ceil((Date.now() - started) / 100));
    expect(refused).toMatchObject({ allowed: false, status: 429, headers: { 'Retry-After': '1' } });
    expect((await limiter.checkInbound('admin', 'b')).allowed).toBe(true);
    expect((await limiter.checkInbound('webhook', 'a')).allowed).toBe(true);
  });

  it('adapter hooks: beforeRequest limits, a Slack 429 blocks only that method, afterRequest frees a lease', async () => {
    const slack = createAdapterHooks(
      limiter,
      { tenantId, integrationId: 'hook-sl', provider: 'slack' },
      { maxWaitMs: 0 },
    );
    await slack.beforeRequest('chat.postMessage');
    await expect(slack.beforeRequest('chat.postMessage')).rejects.toMatchObject({ code: 'rate_limited' });
    await slack.beforeRequest('conversations.history');
    slack.onRateLimitSignal({
      provider: 'slack',
      resource: 'conversations.history',
      status: 429,
      retryAfterMs: 30_000,
      observedAt: Date.now(),
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const blocked = await rejection(slack.beforeRequest('conversations.history'));
    expect(blocked.retryAfterMs).toBeGreaterThan(29_000);
    await expect(slack.beforeRequest('users.list')).resolves.toBeUndefined();

    await limiter.setOverride(
      { tenantId, integrationId: 'hook-sf' },
      { concurrency: { kind: 'concurrency', limit: 1, leaseMs: 60_000 } },
    );
    const sf = createAdapterHooks(
      limiter,
      { tenantId, integrationId: 'hook-sf', provider: 'salesforce' },
      { maxWaitMs: 0 },
    );
    await sf.beforeRequest('query');
    await expect(sf.beforeRequest('query')).rejects.toMatchObject({ code: 'rate_limited' });
    await sf.afterRequest('query');
    await sf.beforeRequest('query');
    await sf.releaseAll();
    await sf.beforeRequest('query');
    // The response's Sforce-Limit-Info signal also tells that the request is over.
    sf.onRateLimitSignal({
      provider: 'salesforce',
      resource: 'api-usage',
      limit: 100_000,
      remaining: 90_000,
      status: 200,
      observedAt: Date.now(),
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await expect(sf.beforeRequest('query')).resolves.toBeUndefined();
  });
});
