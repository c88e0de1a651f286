import { randomUUID } from 'node:crypto';
import { createRedisClient } from '../stores/kv/redis/redis-client';
import { InboundDecisions } from './inbound-batch';
import { level } from './levels';
import { LocalLimiterBackend } from './local-backend';
import { RedisLimiterBackend } from './redis-backend';
import type { Decision, DecideOptions, LevelSpec, LimiterBackend } from './types';

const redis = createRedisClient(process.env.REDIS_URL!);
afterAll(() => redis.disconnect());

/** The real backend, counting the decisions it is asked for and the calls each stood for. */
function counted(backend: LimiterBackend) {
  const asked: number[] = [];
  return {
    asked,
    backend: {
      decide: (levels: readonly LevelSpec[], options: DecideOptions): Promise<Decision> => {
        asked.push(options.cost ?? 1);
        return backend.decide(levels, options);
      },
    },
  };
}

const backends: Array<[string, () => LimiterBackend]> = [
  ['local', () => new LocalLimiterBackend()],
  ['redis', () => new RedisLimiterBackend(redis, { keyPrefix: `test-inbound-${randomUUID().slice(0, 8)}:` })],
];

describe.each(backends)('inbound decisions gathered per turn (%s backend)', (_label, make) => {
  // 10 per minute with a burst of 4: no refill during the test.
  const rule = { kind: 'rate' as const, limit: 10, windowMs: 60_000, burst: 4 };

  it('decides checks that arrive together in one step when the level admits them all', async () => {
    const { backend, asked } = counted(make());
    const decisions = new InboundDecisions(backend);
    const tenant = level('inbound', `in:${randomUUID()}`, rule);
    const answers = await Promise.all([1, 2, 3].map(() => decisions.decide(tenant)));
    expect(answers.map((answer) => answer.allowed)).toEqual([true, true, true]);
    expect(asked).toEqual([3]);
    // The three were consumed: one more fits the burst of 4, the next does not.
    expect((await decisions.decide(tenant)).allowed).toBe(true);
    expect((await decisions.decide(tenant)).allowed).toBe(false);
  });

  it('answers exactly as one by one when the level cannot admit them all', async () => {
    const { backend, asked } = counted(make());
    const decisions = new InboundDecisions(backend);
    const tenant = level('inbound', `in:${randomUUID()}`, rule);
    const answers = await Promise.all(Array.from({ length: 6 }, () => decisions.decide(tenant)));
    expect(answers.map((answer) => answer.allowed)).toEqual([true, true, true, true, false, false]);
    expect(answers[5]).toMatchObject({ allowed: false, reason: 'rate' });
    expect(asked).toEqual([6, 1, 1, 1, 1, 1, 1]);
  });

  it('keeps levels apart: each key is decided on its own', async () => {
    const { backend, asked } = counted(make());
    const decisions = new InboundDecisions(backend);
    const a = level('inbound', `in:a-${randomUUID()}`, rule);
    const b = level('inbound', `in:b-${randomUUID()}`, rule);
    const answers = await Promise.all([decisions.decide(a), decisions.decide(b), decisions.decide(a)]);
    expect(answers.every((answer) => answer.allowed)).toBe(true);
    expect(asked.sort()).toEqual([1, 2]);
  });
});
