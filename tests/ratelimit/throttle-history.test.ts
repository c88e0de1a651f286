/**
 * The throttle history's two implementations hold the same promises: per tenant, provider and minute, summed
 * across days, only the minutes inside [from, to) answered. Redis is the real local server.
 */
import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import {
  MemoryThrottleHistory,
  RedisThrottleHistory,
  type ThrottleHistory,
  type ThrottleMinute,
} from '../../shared/ratelimit/throttle-history';

let redis: Redis;
beforeAll(() => {
  redis = new Redis(process.env.REDIS_URL!, { enableAutoPipelining: true });
});
afterAll(() => redis.disconnect());

const sorted = (minutes: ThrottleMinute[]) =>
  [...minutes].sort((a, b) => a.minute - b.minute || a.provider.localeCompare(b.provider));
const at = (iso: string) => Date.parse(iso);

describe.each([
  ['redis', () => new RedisThrottleHistory(redis, `rlhist-${randomUUID()}:`)],
  ['memory', () => new MemoryThrottleHistory()],
] as Array<[string, () => ThrottleHistory]>)('%s throttle history', (_name, make) => {
  it('counts 429s, waits and the time waited per provider and minute, across a day boundary', async () => {
    const history = make();
    history.record({ tenantId: 'a', provider: 'github', at: at('2026-05-01T23:59:10Z'), kind: '429' });
    history.record({ tenantId: 'a', provider: 'github', at: at('2026-05-01T23:59:50Z'), kind: '429' });
    history.record({ tenantId: 'a', provider: 'github', at: at('2026-05-01T23:59:55Z'), kind: 'wait', waitMs: 250.4 });
    history.record({ tenantId: 'a', provider: 'slack', at: at('2026-05-02T00:00:01Z'), kind: 'wait', waitMs: 1200 });
    history.record({ tenantId: 'a', provider: 'slack', at: at('2026-05-02T00:00:59Z'), kind: 'wait', waitMs: 800 });
    history.record({ tenantId: 'b', provider: 'github', at: at('2026-05-01T23:59:10Z'), kind: '429' });
    // Outside the range read below.
    history.record({ tenantId: 'a', provider: 'github', at: at('2026-05-02T00:01:00Z'), kind: '429' });

    const minutes = await history.read('a', at('2026-05-01T23:59:00Z'), at('2026-05-02T00:01:00Z'));
    expect(sorted(minutes)).toEqual([
      { provider: 'github', minute: at('2026-05-01T23:59:00Z'), responses429: 2, waits: 1, waitMs: 250 },
      { provider: 'slack', minute: at('2026-05-02T00:00:00Z'), responses429: 0, waits: 2, waitMs: 2000 },
    ]);
    expect(await history.read('b', at('2026-05-01T00:00:00Z'), at('2026-05-03T00:00:00Z'))).toEqual([
      { provider: 'github', minute: at('2026-05-01T23:59:00Z'), responses429: 1, waits: 0, waitMs: 0 },
    ]);
    expect(await history.read('c', at('2026-05-01T00:00:00Z'), at('2026-05-03T00:00:00Z'))).toEqual([]);
  });
});

it('keeps a tenant’s day in Redis for the retention period, no longer', async () => {
  const prefix = `rlhist-${randomUUID()}:`;
  const history = new RedisThrottleHistory(redis, prefix);
  history.record({ tenantId: 'a b', provider: 'github', at: at('2026-05-01T10:00:00Z'), kind: '429' });
  await history.read('a b', at('2026-05-01T00:00:00Z'), at('2026-05-02T00:00:00Z'));
  const ttl = await redis.pttl(`${prefix}rl:hist:a%20b:2026-05-01`);
  expect(ttl).toBeGreaterThan(92 * 24 * 3600_000);
  expect(ttl).toBeLessThanOrEqual(93 * 24 * 3600_000);
});
