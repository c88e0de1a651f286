/**
 * `npm run bench -- ratelimit [seconds-per-run] [repetitions]`: three-level atomic decisions per second at
 * saturation and latency at a moderate offered load (5,000/s) of the Redis limiter, against
 * rate-limiter-flexible's three-level RateLimiterUnion (RateLimiterRedis × 3, ioredis) on the same private
 * redis-server in the same run. The contenders take turns in 250 ms slices (so that other load on a shared
 * machine falls on both alike) and figures are medians over the repetitions.
 * `acquire_per_s` is the whole product path (RateLimiter.acquire: override and adaptive caches, Redis
 * failover guard) for a Notion call, whose levels are the same three. The `*_us_per_decision` figures
 * (process CPU and Redis command time per decision) are less sensitive to other load on a shared machine;
 * `get_p99_ms_at_5000` (a plain GET at the same offered load) and `event_loop_p99_ms_at_5000` show the
 * latency floor the machine itself sets during the run.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
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

interface Saturation {
  perS: number;
  nodeCpuUs: number;
  redisUs: number;
}

/** Redis time spent in commands so far (µs), from INFO commandstats. */
async function redisCommandUs(redis: Redis): Promise<number> {
  const info = await redis.info('commandstats');
  return [...info.matchAll(/usec=(\d+)/g)].reduce((sum, match) => sum + Number(match[1]), 0);
}

/** Closed loop: IN_FLIGHT callers back to back for durationMs. */
async function saturate(decide: Decide, durationMs: number, redis: Redis): Promise<Saturation> {
  const [result] = await interleaved([decide], durationMs, durationMs, redis);
  return result!;
}

/**
 * Closed loops for several contenders, taking turns in short slices until each had `totalMs`, so that
 * load from other processes on a shared machine falls on all of them alike.
 */
async function interleaved(decides: Decide[], totalMs: number, sliceMs: number, redis: Redis): Promise<Saturation[]> {
  const totals = decides.map(() => ({ done: 0, ms: 0, cpuUs: 0, redisUs: 0 }));
  let i = 0;
  for (let elapsed = 0; elapsed < totalMs; elapsed += sliceMs) {
    for (let d = 0; d < decides.length; d++) {
      const decide = decides[d]!;
      const total = totals[d]!;
      const redisBefore = await redisCommandUs(redis);
      const cpuBefore = process.cpuUsage();
      const start = performance.now();
      const deadline = start + sliceMs;
      await Promise.all(
        Array.from({ length: IN_FLIGHT }, async () => {
          while (performance.now() < deadline) {
            await decide(i++);
            total.done++;
          }
        }),
      );
      total.ms += performance.now() - start;
      const cpu = process.cpuUsage(cpuBefore);
      total.cpuUs += cpu.user + cpu.system;
      total.redisUs += (await redisCommandUs(redis)) - redisBefore;
    }
  }
  return totals.map((total) => ({ perS: total.done / (total.ms / 1000), nodeCpuUs: total.cpuUs / total.done, redisUs: total.redisUs / total.done }));
}

/**
 * Open loop at `perS` calls a second: each call's latency from its start to its answer, in ms. Keeps no
 * per-call promise alive, so the harness adds little garbage (and GC pause) of its own.
 */
async function offered(decide: Decide, perS: number, durationMs: number): Promise<number[]> {
  const latencies = new Float64Array(Math.ceil((perS * durationMs) / 1000) + 16);
  let count = 0;
  let outstanding = 0;
  let idle: (() => void) | undefined;
  const start = performance.now();
  let sent = 0;
  while (performance.now() - start < durationMs) {
    const due = Math.min(latencies.length, Math.floor(((performance.now() - start) / 1000) * perS));
    for (; sent < due; sent++) {
      const t0 = performance.now();
      outstanding++;
      const done = (): void => {
        latencies[count++] = performance.now() - t0;
        if (--outstanding === 0) idle?.();
      };
      decide(sent).then(done, done);
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  if (outstanding > 0) await new Promise<void>((resolve) => (idle = resolve));
  return Array.from(latencies.subarray(0, count));
}

const median = (values: number[]): number => percentile([...values], 50);

export default async function run(args: string[]): Promise<void> {
  const runMs = Number(args[0] ?? 2) * 1000;
  const repetitions = Number(args[1] ?? 4);
  const server = await startRedisServer();
  const url = server.settings.REDIS_URL!;
  const ours = new Redis(url, { enableAutoPipelining: true });
  const theirs = new Redis(url, { enableAutoPipelining: true });
  const stats = new Redis(url);
  // Limits high enough that most calls pass: a passing decision writes every level, the costlier path.
  const roomy: RateRule = { kind: 'rate', limit: 1_000_000, windowMs: 1000, burst: 100 };
  const limiter = createRateLimiter({
    redis: ours,
    keyPrefix: 'bl:',
    tenantRule: roomy,
    providerLimits: { ...PROVIDER_LIMITS, notion: { ...PROVIDER_LIMITS.notion, integration: roomy, app: roomy } },
  });
  try {
    const backend = new RedisLimiterBackend(ours);
    const levels = (i: number): LevelSpec[] => [
      { name: 'tenant', key: `b:t:${i % KEYS}`, rule: roomy },
      { name: 'integration', key: `b:i:${i % (KEYS * 3)}`, rule: roomy },
      { name: 'app', key: 'b:app', rule: roomy },
    ];
    const oursDecide: Decide = (i) => backend.decide(levels(i), { maxWaitMs: 0, leaseId: '' });
    const acquire: Decide = (i) =>
      limiter.acquire({ tenantId: `t${i % KEYS}`, integrationId: `i${i % (KEYS * 3)}`, provider: 'notion', operation: 'pages.query' }, { maxWaitMs: 0 });
    const peerLimiter = (keyPrefix: string) => new RateLimiterRedis({ storeClient: theirs, keyPrefix, points: 1_000_000, duration: 1 });
    const union = new RateLimiterUnion(peerLimiter('pt'), peerLimiter('pi'), peerLimiter('pa'));
    // The union keys every limiter by the same key, so its key spread matches ours (tenant-sized).
    const peerDecide: Decide = (i) => union.consume(`k${i % KEYS}`).catch(() => undefined);

    for (const warm of [oursDecide, peerDecide, acquire]) await saturate(warm, 500, stats);
    const runs: Record<'ours' | 'peer' | 'acquire', Saturation[]> = { ours: [], peer: [], acquire: [] };
    const p50s: number[] = [];
    const p99s: number[] = [];
    const getP99s: number[] = [];
    const loopP99s: number[] = [];
    const loop = monitorEventLoopDelay({ resolution: 1 });
    const get: Decide = (i) => ours.get(`b:t:${i % KEYS}`);
    for (let r = 0; r < repetitions; r++) {
      const [oursRun, peerRun, acquireRun] = await interleaved([oursDecide, peerDecide, acquire], runMs, 250, stats);
      runs.ours.push(oursRun!);
      runs.peer.push(peerRun!);
      runs.acquire.push(acquireRun!);
      loop.reset();
      loop.enable();
      const latencies = await offered(oursDecide, MODERATE_PER_S, runMs);
      loop.disable();
      loopP99s.push(loop.percentile(99) / 1e6);
      p50s.push(percentile(latencies, 50));
      p99s.push(percentile(latencies, 99));
      getP99s.push(percentile(await offered(get, MODERATE_PER_S, runMs / 2), 99));
    }
    const ratios = runs.ours.map((run, i) => run.perS / runs.peer[i]!.perS);
    const decisions = median(runs.ours.map((run) => run.perS));
    emit(BENCH, 'decisions_per_s', decisions, 'decisions/s');
    emit(BENCH, 'peer_decisions_per_s', median(runs.peer.map((run) => run.perS)), 'decisions/s');
    emit(BENCH, 'ratio_vs_peer', median(ratios), 'x');
    emit(BENCH, 'p50_ms_at_5000', median(p50s), 'ms');
    emit(BENCH, 'p99_ms_at_5000', median(p99s), 'ms');
    emit(BENCH, 'get_p99_ms_at_5000', median(getP99s), 'ms');
    emit(BENCH, 'event_loop_p99_ms_at_5000', median(loopP99s), 'ms');
    emit(BENCH, 'acquire_per_s', median(runs.acquire.map((run) => run.perS)), 'decisions/s');
    emit(BENCH, 'node_cpu_us_per_decision', median(runs.ours.map((run) => run.nodeCpuUs)), 'us');
    emit(BENCH, 'peer_node_cpu_us_per_decision', median(runs.peer.map((run) => run.nodeCpuUs)), 'us');
    emit(BENCH, 'redis_us_per_decision', median(runs.ours.map((run) => run.redisUs)), 'us');
    emit(BENCH, 'peer_redis_us_per_decision', median(runs.peer.map((run) => run.redisUs)), 'us');
    if (limiter.health().degraded) console.error('warning: the limiter fell back to local limits during the run');
    console.error(JSON.stringify({ runs, ratios, p50s, p99s, getP99s, loopP99s }));
  } finally {
    limiter.close();
    ours.disconnect();
    theirs.disconnect();
    stats.disconnect();
    await server.stop();
  }
}
