/** The Redis backend's TAT hash is swept of idle levels, and only of idle levels. */
import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { RedisLimiterBackend } from '../../shared/ratelimit/redis-backend';
import type { LevelSpec } from '../../shared/ratelimit/types';

let redis: Redis;
beforeAll(() => {
  redis = new Redis(process.env.REDIS_URL!);
});
afterAll(() => redis.disconnect());

it('removes fields idle longer than keepMs and keeps busy ones', async () => {
  const prefix = `rlsweep:${randomUUID()}:`;
  const backend = new RedisLimiterBackend(redis, {
    keyPrefix: prefix,
    keepMs: 100,
    sweepIntervalMs: 60_000,
    sweepCount: 1000,
  });
  const idle: LevelSpec[] = Array.from({ length: 20 }, (_, i) => ({
    name: 'tenant',
    key: `idle${i}`,
    rule: { kind: 'rate', limit: 1000, windowMs: 1000 },
  }));
  // Blocked for 10 s: its TAT stays in the future, so it must survive every sweep.
  const busy: LevelSpec = { name: 'integration', key: 'busy', rule: { kind: 'rate', limit: 1, windowMs: 10_000 } };
  for (const level of idle) await backend.decide([level], { maxWaitMs: 0, leaseId: '' });
  await backend.decide([busy], { maxWaitMs: 0, leaseId: '' });
  expect(await redis.hlen(`${prefix}rl:tat`)).toBe(21);
  await new Promise((resolve) => setTimeout(resolve, 150));
  expect(await backend.sweep()).toBe(20);
  expect(await redis.hkeys(`${prefix}rl:tat`)).toEqual(['busy']);
  expect((await backend.decide([busy], { maxWaitMs: 0, leaseId: '' })).allowed).toBe(false);
});
