/**
 * One conformance suite for both limiter backends: the Redis backend (Lua against the real redis-server of
 * the test run) and the in-memory one. Same inputs, same decisions.
 */
import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { LocalLimiterBackend } from '../../shared/ratelimit/local-backend';
import { RedisLimiterBackend } from '../../shared/ratelimit/redis-backend';
import { DEFAULT_ADAPTIVE_POLICY, type LevelSpec, type LimiterBackend } from '../../shared/ratelimit/types';

let redis: Redis;

beforeAll(() => {
  redis = new Redis(process.env.REDIS_URL!, { enableAutoPipelining: true });
});
afterAll(() => redis.disconnect());

const backends: [string, () => LimiterBackend][] = [
  ['redis', () => new RedisLimiterBackend(redis, { keyPrefix: 'rlconf:' })],
  ['local', () => new LocalLimiterBackend()],
];

describe.each(backends)('%s backend', (kind, make) => {
  let backend: LimiterBackend;
  let prefix: string;
  const rate = (key: string, limit: number, windowMs: number, burst = 1): LevelSpec => ({
    name: 'integration',
    key: `${prefix}${key}`,
    rule: { kind: 'rate', limit, windowMs, burst },
  });
  const semaphore = (key: string, limit: number, leaseMs: number): LevelSpec => ({
    name: 'concurrency',
    key: `${prefix}${key}`,
    rule: { kind: 'concurrency', limit, leaseMs },
  });
  const now = { maxWaitMs: 0, leaseId: '' };

  beforeEach(() => {
    backend = make();
    prefix = `rlconf:${randomUUID()}:`;
  });

  it('grants the burst, then refuses with the time until the next emission', async () => {
    const level = rate('a', 10, 10_000, 3); // one every 1,000 ms, bursts of 3
    for (let i = 0; i < 3; i++)
      expect(await backend.decide([level], now)).toMatchObject({
        allowed: true,
        waitMs: 0,
        turnAt: expect.closeTo(Date.now(), -3),
      });
    const denied = await backend.decide([level], now);
    expect(denied).toMatchObject({ allowed: false, reason: 'rate', deniedLevel: 0 });
    if (!denied.allowed) {
      expect(denied.retryAfterMs).toBeGreaterThan(900);
      expect(denied.retryAfterMs).toBeLessThanOrEqual(1000);
    }
  });

  it('is all or nothing: a refusal on one level consumes no other level', async () => {
    const roomy = rate('roomy', 2, 60_000, 2);
    const full = rate('full', 1, 60_000, 1);
    expect((await backend.decide([full], now)).allowed).toBe(true);
    for (let i = 0; i < 5; i++) {
      const decision = await backend.decide([roomy, full], now);
      expect(decision).toMatchObject({ allowed: false, deniedLevel: 1 });
    }
    // The roomy level still has its whole burst of 2.
    expect((await backend.decide([roomy], now)).allowed).toBe(true);
    expect((await backend.decide([roomy], now)).allowed).toBe(true);
    expect((await backend.decide([roomy], now)).allowed).toBe(false);
  });

  it('reports the longest wait over all levels', async () => {
    const slow = rate('slow', 1, 2000);
    const fast = rate('fast', 1, 500);
    await backend.decide([slow, fast], now);
    const decision = await backend.decide([fast, slow], now);
    expect(decision).toMatchObject({ allowed: false, deniedLevel: 1 });
    if (!decision.allowed) expect(decision.retryAfterMs).toBeGreaterThan(1500);
  });

  it('reserves turns in arrival order when the caller may wait', async () => {
    const level = rate('queue', 10, 1000); // one every 100 ms
    const turns: number[] = [];
    for (let i = 0; i < 4; i++) {
      const decision = await backend.decide([level], { maxWaitMs: 1000, leaseId: '' });
      if (!decision.allowed) throw new Error('expected a reserved turn');
      if (i === 0) expect(decision.waitMs).toBe(0);
      else expect(decision.waitMs).toBeGreaterThan(0);
      turns.push(decision.turnAt);
    }
    // Turns are back to back, one emission interval apart, in the order asked.
    for (let i = 1; i < 4; i++) expect(turns[i]! - turns[i - 1]!).toBeCloseTo(100, 0);
    // Beyond the caller's patience nothing is reserved: the next turn is still the one after the fourth.
    const refused = await backend.decide([level], { maxWaitMs: 50, leaseId: '' });
    expect(refused.allowed).toBe(false);
    const next = await backend.decide([level], { maxWaitMs: 1000, leaseId: '' });
    if (!next.allowed) throw new Error('expected a reserved turn');
    expect(next.turnAt - turns[3]!).toBeCloseTo(100, 0);
  });

  it('holds a semaphore until release, and a dead holder lease expires', async () => {
    const sem = semaphore('sem', 2, 300);
    expect((await backend.decide([sem], { maxWaitMs: 0, leaseId: 'a' })).allowed).toBe(true);
    expect((await backend.decide([sem], { maxWaitMs: 0, leaseId: 'b' })).allowed).toBe(true);
    const full = await backend.decide([sem], { maxWaitMs: 0, leaseId: 'c' });
    expect(full).toMatchObject({ allowed: false, reason: 'concurrency', deniedLevel: 0 });
    if (!full.allowed) expect(full.retryAfterMs).toBeLessThanOrEqual(300);
    await backend.release([sem.key], 'a');
    expect((await backend.decide([sem], { maxWaitMs: 0, leaseId: 'c' })).allowed).toBe(true);
    expect((await backend.decide([sem], { maxWaitMs: 0, leaseId: 'd' })).allowed).toBe(false);
    // b and c never release: their leases run out.
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect((await backend.decide([sem], { maxWaitMs: 0, leaseId: 'd' })).allowed).toBe(true);
  });

  it('does not consume rate levels when the semaphore refuses', async () => {
    const level = rate('r', 1, 60_000, 1);
    const sem = semaphore('s', 1, 60_000);
    expect((await backend.decide([sem], { maxWaitMs: 0, leaseId: 'x' })).allowed).toBe(true);
    expect(await backend.decide([level, sem], { maxWaitMs: 0, leaseId: 'y' })).toMatchObject({
      allowed: false,
      reason: 'concurrency',
      deniedLevel: 1,
    });
    expect((await backend.decide([level], now)).allowed).toBe(true);
  });

  it('blocks a level for the given time', async () => {
    const level = rate('blocked', 100, 1000, 10);
    await backend.block(level, 400);
    const decision = await backend.decide([level], now);
    expect(decision.allowed).toBe(false);
    if (!decision.allowed) {
      expect(decision.retryAfterMs).toBeGreaterThan(350);
      expect(decision.retryAfterMs).toBeLessThanOrEqual(401);
    }
    await new Promise((resolve) => setTimeout(resolve, 420));
    expect((await backend.decide([level], now)).allowed).toBe(true);
  });

  it('a lower factor slows the level down', async () => {
    const level = { ...rate('slowed', 10, 1000), factor: 0.25 }; // one every 400 ms instead of 100
    await backend.decide([level], now);
    const decision = await backend.decide([level], now);
    if (decision.allowed) throw new Error('expected a refusal');
    expect(decision.retryAfterMs).toBeGreaterThan(350);
  });

  it('stores adaptive factors: multiplicative decrease, caps, floor, recovery', async () => {
    backend = kind === 'redis' ? new RedisLimiterBackend(redis, { keyPrefix: prefix }) : new LocalLimiterBackend();
    const policy = { ...DEFAULT_ADAPTIVE_POLICY, minFactor: 0.1 };
    const key = `${prefix}adaptive`;
    expect((await backend.readAdaptive(policy)).has(key)).toBe(false);
    expect((await backend.lowerAdaptive(key, { multiplier: 0.5, cap: 1 }, policy)).factor).toBeCloseTo(0.5);
    expect((await backend.lowerAdaptive(key, { multiplier: 0.5, cap: 1 }, policy)).factor).toBeCloseTo(0.25);
    expect((await backend.lowerAdaptive(key, { multiplier: 1, cap: 0.2 }, policy)).factor).toBeCloseTo(0.2);
    expect((await backend.lowerAdaptive(key, { multiplier: 0.1, cap: 1 }, policy)).factor).toBeCloseTo(0.1);
    const stored = (await backend.readAdaptive(policy)).get(key)!;
    expect(stored.factor).toBeCloseTo(0.1);
    expect(Math.abs(stored.penalizedAt - Date.now())).toBeLessThan(1000);
    // Recovered levels leave the list: quiet 100 ms, then +0.5 every 50 ms from 0.1 → 1 after about 200 ms.
    const quick = { ...policy, quietMs: 100, stepMs: 50, step: 0.5 };
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect((await backend.readAdaptive(quick)).get(key)?.factor).toBeCloseTo(0.1);
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect((await backend.readAdaptive(quick)).has(key)).toBe(false);
  });
});
