/**
 * Adaptive throttling through Redis: a signal seen by one instance slows every instance, a Retry-After is
 * honoured everywhere at once, and the rate comes back after a quiet period.
 */
import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { interpretSignal } from '../../shared/ratelimit/adaptive';
import { createRateLimiter, PROVIDER_LIMITS, type RateLimiter } from '../../shared/ratelimit';
import { DEFAULT_ADAPTIVE_POLICY } from '../../shared/ratelimit/types';

let redis: Redis;
let other: Redis;
beforeAll(() => {
  redis = new Redis(process.env.REDIS_URL!, { enableAutoPipelining: true });
  other = new Redis(process.env.REDIS_URL!, { enableAutoPipelining: true });
});
afterAll(() => {
  redis.disconnect();
  other.disconnect();
});

const tenantId = 't';
const target = { tenantId, integrationId: 'n', provider: 'notion' as const, operation: 'pages.query' };
const policy = { quietMs: 400, stepMs: 100, step: 0.25, minFactor: 0.05, decrease: 0.5 };

/** Gaps between the turns (Redis server time) the limiter reserves for `count` back-to-back callers. */
async function gaps(limiter: RateLimiter, count: number): Promise<number[]> {
  const times: number[] = [];
  await Promise.all(
    Array.from({ length: count }, () =>
      limiter.acquire(target, { maxWaitMs: 5000 }).then((permit) => times.push(permit.turnAt)),
    ),
  );
  times.sort((a, b) => a - b);
  return times.slice(1).map((time, i) => time - times[i]!);
}

describe('adaptive throttling shared through Redis', () => {
  let a: RateLimiter;
  let b: RateLimiter;
  beforeEach(async () => {
    const keyPrefix = `rladapt:${randomUUID()}:`;
    const config = { keyPrefix, adaptivePolicy: policy, adaptiveRefreshMs: 50, overrideCacheMs: 0 };
    a = createRateLimiter({ ...config, redis });
    b = createRateLimiter({ ...config, redis: other });
    // 10/s, no burst: turns 100 ms apart.
    await a.setOverride(
      { tenantId, integrationId: 'n' },
      { integration: { kind: 'rate', limit: 10, windowMs: 1000, burst: 1 } },
    );
  });
  afterEach(() => {
    a.close();
    b.close();
  });

  it('a 429 with Retry-After seen by one instance stops the other until then', async () => {
    await b.acquire(target, { maxWaitMs: 0 });
    await a.reportSignal(target, { provider: 'notion', status: 429, retryAfterMs: 600, observedAt: Date.now() });
    const error = await b.acquire(target, { maxWaitMs: 0 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'rate_limited' });
    expect((error as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(500);
    expect((error as { retryAfterMs: number }).retryAfterMs).toBeLessThanOrEqual(600);
    await new Promise((resolve) => setTimeout(resolve, 620));
    await expect(b.acquire(target, { maxWaitMs: 0 })).resolves.toBeDefined();
  });

  it('halves the rate on every instance, then recovers after the quiet period', async () => {
    const before = await gaps(b, 3);
    for (const gap of before) expect(gap).toBeLessThan(150);
    await a.reportSignal(target, { provider: 'notion', status: 429, retryAfterMs: 1, observedAt: Date.now() });
    await new Promise((resolve) => setTimeout(resolve, 60)); // b's cached factor is older than adaptiveRefreshMs
    await b.acquire(target, { maxWaitMs: 5000 }); // refreshes b's factor in the background
    await new Promise((resolve) => setTimeout(resolve, 20));
    const slowed = await gaps(b, 3);
    for (const gap of slowed) expect(gap).toBeGreaterThan(170); // 200 ms at factor 0.5
    // 400 ms quiet, then +0.25 every 100 ms: back to 1 by about 600 ms after the penalty.
    await new Promise((resolve) => setTimeout(resolve, 800));
    await b.acquire(target, { maxWaitMs: 5000 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const recovered = await gaps(b, 3);
    for (const gap of recovered) expect(gap).toBeLessThan(150);
  });

  it('paces the rest of a nearly spent budget over the time to its reset', async () => {
    // 5 calls left for 10 s against a 10/s rule: factor 0.05, one call every 2 s.
    await a.reportSignal(target, {
      provider: 'notion',
      limit: 100,
      remaining: 5,
      resetAt: Date.now() + 10_000,
      status: 200,
      observedAt: Date.now(),
    });
    await a.acquire(target, { maxWaitMs: 0 });
    const error = await a.acquire(target, { maxWaitMs: 0 }).catch((e: unknown) => e);
    expect((error as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(1500);
  });
});

describe('interpretSignal', () => {
  const github = PROVIDER_LIMITS.github;
  const rule = github.integration;
  const now = 1_000_000;
  it('waits for the reset when the budget is spent', () => {
    expect(
      interpretSignal(
        { provider: 'github', remaining: 0, limit: 5000, resetAt: now + 30_000, status: 200, observedAt: now },
        rule,
        github,
        DEFAULT_ADAPTIVE_POLICY,
        now,
      ),
    ).toEqual({ blockMs: 30_000 });
  });
  it('a secondary-limit 403 without Retry-After holds the token for a minute and halves the rate', () => {
    expect(
      interpretSignal(
        { provider: 'github', status: 403, remaining: 4000, limit: 5000, observedAt: now },
        rule,
        github,
        DEFAULT_ADAPTIVE_POLICY,
        now,
      ),
    ).toEqual({
      change: { multiplier: 0.5, cap: 1 },
      blockMs: 60_000,
    });
  });
  it('an ordinary error answer (404, 410) with budget headers does not block', () => {
    for (const status of [404, 410, 422]) {
      expect(
        interpretSignal(
          { provider: 'github', status, remaining: 4000, limit: 5000, resetAt: now + 1000, observedAt: now },
          rule,
          github,
          DEFAULT_ADAPTIVE_POLICY,
          now,
        ),
      ).toBeUndefined();
    }
  });
  it('honours Retry-After on a 529', () => {
    expect(
      interpretSignal(
        { provider: 'notion', status: 529, retryAfterMs: 2000, observedAt: now },
        rule,
        PROVIDER_LIMITS.notion,
        DEFAULT_ADAPTIVE_POLICY,
        now,
      )?.blockMs,
    ).toBe(2000);
  });
  it('ignores a healthy budget; Salesforce usage near the allocation slows down', () => {
    expect(
      interpretSignal(
        { provider: 'github', remaining: 4000, limit: 5000, resetAt: now + 1000, status: 200, observedAt: now },
        rule,
        github,
        DEFAULT_ADAPTIVE_POLICY,
        now,
      ),
    ).toBeUndefined();
    const sf = PROVIDER_LIMITS.salesforce;
    const effect = interpretSignal(
      { provider: 'salesforce', resource: 'api-usage', limit: 100_000, remaining: 5000, status: 200, observedAt: now },
      sf.integration,
      sf,
      DEFAULT_ADAPTIVE_POLICY,
      now,
    );
    expect(effect?.change?.cap).toBeCloseTo(0.5);
  });
});
