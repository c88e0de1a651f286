/**
 * The read-only usage view (shared/ratelimit/usage.ts) against both backends: after real decisions, the
 * figures read back must say what the next decisions will do. The property test checks the core promise:
 * `available` is exactly how many calls the limiter lets through at once right now.
 */
import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { LocalLimiterBackend } from '../../shared/ratelimit/local-backend';
import { RedisLimiterBackend } from '../../shared/ratelimit/redis-backend';
import { LocalUsageReader, RedisUsageReader, type UsageReader } from '../../shared/ratelimit/usage';
import type { LevelSpec, LimiterBackend } from '../../shared/ratelimit/types';

let redis: Redis;
beforeAll(() => {
  redis = new Redis(process.env.REDIS_URL!, { enableAutoPipelining: true });
});
afterAll(() => redis.disconnect());

const pairs: [string, () => { backend: LimiterBackend; reader: UsageReader }][] = [
  [
    'redis',
    () => ({
      backend: new RedisLimiterBackend(redis, { keyPrefix: 'rlusage:' }),
      reader: new RedisUsageReader(redis, 'rlusage:'),
    }),
  ],
  [
    'local',
    () => {
      const backend = new LocalLimiterBackend();
      return { backend, reader: new LocalUsageReader(backend) };
    },
  ],
];

describe.each(pairs)('%s backend', (_kind, make) => {
  const now = { maxWaitMs: 0, leaseId: '' };
  let prefix: string;
  beforeEach(() => {
    prefix = `rlusage:${randomUUID()}:`;
  });

  it('reads rate levels: idle, partly spent, spent with a wait', async () => {
    const { backend, reader } = make();
    const level: LevelSpec = {
      name: 'integration',
      key: `${prefix}r`,
      rule: { kind: 'rate', limit: 10, windowMs: 10_000, burst: 5 },
    };
    expect(await reader.read([level])).toEqual([
      expect.objectContaining({ kind: 'rate', reserved: 0, capacity: 5, available: 5, waitMs: 0, factor: 1 }),
    ]);
    for (let i = 0; i < 3; i++) await backend.decide([level], now);
    const [partly] = await reader.read([level]);
    expect(partly).toMatchObject({ available: 2, waitMs: 0 });
    if (partly?.kind !== 'rate') throw new Error('rate level expected');
    expect(partly.reserved).toBeGreaterThan(2.9);
    expect(partly.reserved).toBeLessThanOrEqual(3);
    for (let i = 0; i < 2; i++) await backend.decide([level], now);
    const [spent] = await reader.read([level]);
    if (spent?.kind !== 'rate') throw new Error('rate level expected');
    expect(spent.available).toBe(0);
    // Five calls of a burst of five, one emission a second: the next call waits about a second.
    expect(spent.waitMs).toBeGreaterThan(900);
    expect(spent.waitMs).toBeLessThanOrEqual(1000);
    const denied = await backend.decide([level], now);
    expect(denied.allowed).toBe(false);
  });

  it('reads live leases of a semaphore, and sees a release', async () => {
    const { backend, reader } = make();
    const level: LevelSpec = {
      name: 'concurrency',
      key: `${prefix}c`,
      rule: { kind: 'concurrency', limit: 3, leaseMs: 60_000 },
    };
    await backend.decide([level], { maxWaitMs: 0, leaseId: 'a' });
    await backend.decide([level], { maxWaitMs: 0, leaseId: 'b' });
    expect(await reader.read([level])).toEqual([
      expect.objectContaining({ kind: 'concurrency', inUse: 2, capacity: 3, available: 1 }),
    ]);
    await backend.release([level.key], 'a');
    expect(await reader.read([level])).toEqual([expect.objectContaining({ inUse: 1, available: 2 })]);
  });
});

describe('available is what the limiter lets through at once', () => {
  it('holds for any rule and any number of calls already made (local backend, frozen clock)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 100, max: 100_000 }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 0, max: 30 }),
        fc.double({ min: 0.05, max: 1, noNaN: true }),
        async (limit, windowMs, burst, spent, factor) => {
          const clock = () => 1_000_000;
          const backend = new LocalLimiterBackend(clock);
          const reader = new LocalUsageReader(backend);
          const level: LevelSpec = {
            name: 'integration',
            key: 'k',
            rule: { kind: 'rate', limit, windowMs, burst },
            factor,
          };
          for (let i = 0; i < spent; i++)
            await backend.decide([level], { maxWaitMs: Number.MAX_SAFE_INTEGER, leaseId: '' });
          const [usage] = await reader.read([level]);
          if (usage?.kind !== 'rate') throw new Error('rate level expected');
          let passed = 0;
          while ((await backend.decide([level], { maxWaitMs: 0, leaseId: '' })).allowed) passed++;
          expect(usage.available).toBe(passed);
          expect(usage.waitMs === 0).toBe(passed > 0);
        },
      ),
      { numRuns: 200 },
    );
  });
});
