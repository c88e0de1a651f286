/**
 * `npm run bench -- ratelimit [seconds-per-run] [repetitions]`: three-level atomic decisions per second at
 * saturation and latency at a moderate offered load (5,000/s) of the Redis limiter, against
 * rate-limiter-flexible's three-level RateLimiterUnion on the same private redis-server in the same run.
 * Figures are medians over the repetitions. `acquire_per_s` is the whole product path (RateLimiter.acquire:
 * override and adaptive caches, Redis failover guard) for a Notion call, whose levels are the same three.
 */
import Redis from 'ioredis';
import { RateLimiterRedis, RateLimiterUnion } from 'rate-limiter-flexible';
import { emit, percentile } from './emit';
import { startRedisServer } from '../support/redis-server';
import { RedisLimiterBackend } from '../../shared/ratelimit/redis-backend';
import { createRateLimiter, PROVIDER_LIMITS } from '../../shared/ratelimit';
import type { LevelSpec, RateRule } from '../../shared/ratelimit/types';

const BENCH = 'ratelimit';
const KEYS = 1000;
const IN_FLIGHT = 256;
const MODERATE_PER_S = 5000;

type Decide = (i: number) => Promise<unknown>;

/** Closed loop: IN_FLIGHT callers back to back for durationMs; returns completed decisions per second. */
async function saturate(decide: Decide, durationMs: number): Promise<number> {
  let done = 0;
  let i = 0;
  const deadline = performance.now() + durationMs;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (performance.now() < deadline) {
        await decide(i++);
        done++;
      }
    }),
  );
  return done / ((performance.now() - start) / 1000);
}

/** Open loop at `perS` calls a second: each call's latency from its start to its answer, in ms. */
async function offered(decide: Decide, perS: number, durationMs: number): Promise<number[]> {
  const latencies: number[] = [];
  const pending: Promise<void>[] = [];
  const start = performance.now();
  let sent = 0;
  while (performance.now() - start < durationMs) {
    const due = Math.floor(((performance.now() - start) / 1000) * perS);
    for (; sent < due; sent++) {
      const t0 = performance.now();
      pending.push(decide(sent).then(() => void latencies.push(performance.now() - t0)));
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await Promise.all(pending);
  return latencies;
}

function median(values: number[]): number {
  return percentile([...values], 50);
}

export default async function run(args: string[]): Promise<void> {
  const runMs = Number(args[0] ?? 3) * 1000;
  const repetitions = Number(args[1] ?? 3);
  const server = await startRedisServer();
  const url = server.settings.REDIS_URL!;
  const ours = new Redis(url, { enableAutoPipelining: true });
  const theirs = new Redis(url, { enableAutoPipelining: true });
  try {
    const backend = new RedisLimiterBackend(ours);
    // Limits high enough that most calls pass: a passing decision writes every level, the costlier path.
    const levels = (i: number): LevelSpec[] => [
      { name: 'tenant', key: `b:t:${i % KEYS}`, rule: { kind: 'rate', limit: 1_000_000, windowMs: 1000, burst: 100 } },
      { name: 'integration', key: `b:i:${i % (KEYS * 3)}`, rule: { kind: 'rate', limit: 1_000_000, windowMs: 1000, burst: 100 } },
      { name: 'app', key: 'b:app', rule: { kind: 'rate', limit: 1_000_000, windowMs: 1000, burst: 1000 } },
    ];
    const oursDecide: Decide = (i) => backend.decide(levels(i), { maxWaitMs: 0, leaseId: '' });
    const roomy: RateRule = { kind: 'rate', limit: 1_000_000, windowMs: 1000, burst: 100 };
    const limiter = createRateLimiter({
      redis: ours,
      keyPrefix: 'bl:',
      tenantRule: roomy,
      providerLimits: { ...PROVIDER_LIMITS, notion: { ...PROVIDER_LIMITS.notion, integration: roomy, app: roomy } },
    });
    const acquire: Decide = (i) =>
      limiter.acquire({ tenantId: `t${i % KEYS}`, integrationId: `i${i % (KEYS * 3)}`, provider: 'notion', operation: 'pages.query' }, { maxWaitMs: 0 });
    const peerLimiter = (keyPrefix: string, points: number) =>
      new RateLimiterRedis({ storeClient: theirs, keyPrefix, points, duration: 1 });
    const union = new RateLimiterUnion(peerLimiter('pt', 1_000_000), peerLimiter('pi', 1_000_000), peerLimiter('pa', 1_000_000));
    // The union keys every limiter by the same key, so the key spread matches ours (tenant-sized).
    const peerDecide: Decide = (i) => union.consume(`k${i % KEYS}`).catch(() => undefined);

    await saturate(oursDecide, 500);
    await saturate(peerDecide, 500);
    await saturate(acquire, 500);
    const acquireRates: number[] = [];
    const oursRates: number[] = [];
    const peerRates: number[] = [];
    const p50s: number[] = [];
    const p99s: number[] = [];
    for (let r = 0; r < repetitions; r++) {
      oursRates.push(await saturate(oursDecide, runMs));
      peerRates.push(await saturate(peerDecide, runMs));
      acquireRates.push(await saturate(acquire, runMs));
      const latencies = await offered(oursDecide, MODERATE_PER_S, runMs);
      p50s.push(percentile(latencies, 50));
      p99s.push(percentile(latencies, 99));
    }
    const decisions = median(oursRates);
    const peer = median(peerRates);
    emit(BENCH, 'decisions_per_s', decisions, 'decisions/s');
    emit(BENCH, 'peer_decisions_per_s', peer, 'decisions/s');
    emit(BENCH, 'ratio_vs_peer', decisions / peer, 'x');
    emit(BENCH, 'p50_ms_at_5000', median(p50s), 'ms');
    emit(BENCH, 'p99_ms_at_5000', median(p99s), 'ms');
    emit(BENCH, 'acquire_per_s', median(acquireRates), 'decisions/s');
    if (limiter.health().degraded) console.error('warning: the limiter fell back to local limits during the run');
    console.error(JSON.stringify({ oursRates, peerRates, acquireRates, p50s, p99s }));
    limiter.close();
  } finally {
    ours.disconnect();
    theirs.disconnect();
    await server.stop();
  }
}
