/**
 * Redis configured but down: decisions go on locally with conservative limits and a degraded health state,
 * and return to Redis when it is back. Runs its own private redis-server so stopping it harms no one.
 */
import Redis from 'ioredis';
import { startRedisServer } from '../support/redis-server';
import { createRateLimiter, type LimiterHealth, type RateLimiter } from '../../shared/ratelimit';

jest.setTimeout(30_000);

const target = { tenantId: 't', integrationId: 'i', provider: 'notion' as const, operation: 'pages.query' };

async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function grantsNow(limiter: RateLimiter, attempts: number): Promise<number> {
  let granted = 0;
  for (let i = 0; i < attempts; i++) {
    try {
      await limiter.acquire(target, { maxWaitMs: 0 });
      granted++;
    } catch (error) {
      expect(error).toMatchObject({ code: 'rate_limited' });
    }
  }
  return granted;
}

it('falls back to conservative local limits while Redis is down and returns when it is back', async () => {
  let server = await startRedisServer();
  const redis = new Redis(server.settings.REDIS_URL!, {
    enableAutoPipelining: true,
    maxRetriesPerRequest: 1,
    retryStrategy: () => 100,
  });
  const changes: LimiterHealth[] = [];
  const limiter = createRateLimiter({
    redis,
    keyPrefix: 'rlfail:',
    maxWaitMs: 0,
    failover: {
      timeoutMs: 200,
      conservativeFactor: 0.5,
      probeIntervalMs: 100,
      onHealthChange: (health) => changes.push(health),
    },
  });
  try {
    await limiter.setOverride(
      { tenantId: 't', integrationId: 'i' },
      { integration: { kind: 'rate', limit: 10, windowMs: 60_000, burst: 10 } },
    );
    expect(await grantsNow(limiter, 4)).toBe(4);
    expect(limiter.health()).toMatchObject({ backend: 'redis', degraded: false });

    await server.stop();
    await until(() => redis.status !== 'ready', 5000);
    // The override is still known (cached); the local side allows half the burst of 10.
    const started = Date.now();
    expect(await grantsNow(limiter, 12)).toBe(5);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(limiter.health()).toMatchObject({
      backend: 'local',
      degraded: true,
      message: expect.stringContaining('fell back'),
    });
    expect(changes.at(-1)).toMatchObject({ backend: 'local', degraded: true });

    server = await startRedisServer(server.port);
    await until(() => limiter.health().backend === 'redis', 10_000);
    expect(changes.at(-1)).toMatchObject({ backend: 'redis', degraded: false });
    // A fresh server: Redis decides again (script reloaded after the restart), with the full burst.
    expect(await grantsNow(limiter, 12)).toBe(10);
  } finally {
    limiter.close();
    redis.disconnect();
    await server.stop();
  }
});

it('falls back when Redis stops answering (a busy server) and returns after it recovers', async () => {
  const server = await startRedisServer();
  const redis = new Redis(server.settings.REDIS_URL!, { enableAutoPipelining: true });
  const blocker = new Redis(server.settings.REDIS_URL!);
  const admin = new Redis(server.settings.REDIS_URL!);
  const limiter = createRateLimiter({
    redis,
    keyPrefix: 'rlbusy:',
    maxWaitMs: 0,
    failover: { timeoutMs: 200, conservativeFactor: 0.5, probeIntervalMs: 100 },
  });
  try {
    await admin.config('SET', 'busy-reply-threshold', '1500');
    await limiter.setOverride(
      { tenantId: 't', integrationId: 'i' },
      { integration: { kind: 'rate', limit: 100, windowMs: 1000, burst: 10 } },
    );
    expect(await grantsNow(limiter, 1)).toBe(1);
    // A script that spins keeps the single-threaded server from answering anyone.
    const spinning = blocker.eval('local i = 0 while true do i = i + 1 end', 0).catch(() => 'killed');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    expect(await grantsNow(limiter, 2)).toBe(2);
    expect(Date.now() - started).toBeLessThan(1000); // one timeout, then local decisions
    expect(limiter.health()).toMatchObject({
      backend: 'local',
      degraded: true,
      message: expect.stringContaining('did not answer'),
    });
    await until(() => Date.now() - started > 1600, 5000);
    await admin.script('KILL');
    await spinning;
    await until(() => limiter.health().backend === 'redis', 5000);
  } finally {
    limiter.close();
    redis.disconnect();
    blocker.disconnect();
    admin.disconnect();
    await server.stop();
  }
});

it('does not report a fallback while a fresh client is still connecting', async () => {
  const redis = new Redis(process.env.REDIS_URL!, { enableAutoPipelining: true });
  const changes: LimiterHealth[] = [];
  const limiter = createRateLimiter({
    redis,
    keyPrefix: 'rlfresh:',
    failover: {
      timeoutMs: 2000,
      conservativeFactor: 0.5,
      probeIntervalMs: 100,
      onHealthChange: (h) => changes.push(h),
    },
  });
  try {
    expect(redis.status).not.toBe('ready');
    expect((await limiter.checkInbound('admin', 't')).allowed).toBe(true);
    expect(limiter.health()).toMatchObject({ backend: 'redis', degraded: false });
    expect(changes).toEqual([]);
  } finally {
    limiter.close();
    redis.disconnect();
  }
});
