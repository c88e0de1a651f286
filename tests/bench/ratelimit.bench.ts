/**
 * `npm run bench -- ratelimit [seconds-per-run] [repetitions]`: three-level atomic decisions per second at
 * saturation and latency at a moderate offered load (5,000/s) of the Redis limiter, against
 * rate-limiter-flexible's three-level RateLimiterUnion (RateLimiterRedis × 3, ioredis; on an auto-pipelined
 * and on a plain client, its better figure counts) on the same private redis-server in the same run. The contenders take turns in 250 ms slices (so that other load on a shared
 * machine falls on both alike) and figures are medians over the repetitions; `*_min` / `*_max` give the spread.
 *
 * Latency at 5,000/s is open loop (support/open-loop.ts): a worker thread keeps the schedule and each call's
 * latency runs from its due time to its answer, so a late send counts. Before each latency run the heap is
 * collected and the load runs 250 ms unmeasured: the saturation slices before it leave hundreds of MB of
 * garbage whose collection is not a cost of the 5,000/s load; the collections the load itself causes are in
 * the window (`gc_ms_per_s_at_5000`). `get_p99_ms_at_5000` (a GET on a plain client under the same load) and
 * `issue_lag_p99_ms_at_5000` (how late the measured thread picked calls up from the schedule, i.e. how busy
 * it was) show the floor the machine sets during the run.
 *
 * `acquire_per_s` is the whole product path (RateLimiter.acquire: override and adaptive caches, Redis
 * failover guard) for a Notion call, whose levels are the same three. The `*_us_per_decision` figures
 * (process CPU and Redis command time per decision) are less sensitive to other load on a shared machine.
 */
import { loadavg } from 'node:os';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import Redis from 'ioredis';
import { RateLimiterRedis, RateLimiterUnion } from 'rate-limiter-flexible';
import { emit, percentile } from './emit';
import { openLoop, type Call } from './support/open-loop';
import { startRedisServer } from '../support/redis-server';
import { RedisLimiterBackend } from '../../shared/ratelimit/redis-backend';
import { createRateLimiter, PROVIDER_LIMITS, type CallTarget } from '../../shared/ratelimit';
import { MemoryOverrideDocuments } from '../../shared/ratelimit/durable-overrides';
import type { LevelSpec, RateRule } from '../../shared/ratelimit/types';

const BENCH = 'ratelimit';
const KEYS = 1000;
const IN_FLIGHT = 256;
const MODERATE_PER_S = 5000;
const WARM_MS = 250;

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

interface Saturation {
  perS: number;
  nodeCpuUs: number;
  redisUs: number;
}

interface Latency {
  p50: number;
  p99: number;
  issueLagP99: number;
  gcMsPerS: number;
  loopP99: number;
}

/** Redis time spent in commands so far (µs), from INFO commandstats. */
async function redisCommandUs(redis: Redis): Promise<number> {
  const info = await redis.info('commandstats');
  return [...info.matchAll(/usec=(\d+)/g)].reduce((sum, match) => sum + Number(match[1]), 0);
}

/**
 * Closed loops for several contenders, taking turns in short slices until each had `totalMs`, so that
 * load from other processes on a shared machine falls on all of them alike.
 */
async function interleaved(calls: Call[], totalMs: number, sliceMs: number, redis: Redis): Promise<Saturation[]> {
  const totals = calls.map(() => ({ done: 0, ms: 0, cpuUs: 0, redisUs: 0 }));
  let i = 0;
  for (let elapsed = 0; elapsed < totalMs; elapsed += sliceMs) {
    for (let c = 0; c < calls.length; c++) {
      const call = calls[c]!;
      const total = totals[c]!;
      const redisBefore = await redisCommandUs(redis);
      const cpuBefore = process.cpuUsage();
      const start = performance.now();
      const deadline = start + sliceMs;
      await Promise.all(
        Array.from({ length: IN_FLIGHT }, async () => {
          while (performance.now() < deadline) {
            await call(i++);
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
  return totals.map((total) => ({
    perS: total.done / (total.ms / 1000),
    nodeCpuUs: total.cpuUs / total.done,
    redisUs: total.redisUs / total.done,
  }));
}

/** Latency at MODERATE_PER_S after a clean heap and a short unmeasured warm-up at the same rate. */
async function latencyAt5000(call: Call, durationMs: number): Promise<Latency> {
  collectGarbage();
  await openLoop(call, MODERATE_PER_S, WARM_MS);
  let gcMs = 0;
  const gc = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcMs += entry.duration;
  });
  const loop = monitorEventLoopDelay({ resolution: 1 });
  gc.observe({ entryTypes: ['gc'] });
  loop.enable();
  const { latenciesMs, issueLagMs } = await openLoop(call, MODERATE_PER_S, durationMs);
  loop.disable();
  // GC entries are delivered asynchronously: let the last ones of the window arrive.
  await new Promise((resolve) => setImmediate(resolve));
  gc.disconnect();
  const latencies = Array.from(latenciesMs);
  return {
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    issueLagP99: percentile(Array.from(issueLagMs), 99),
    gcMsPerS: gcMs / (durationMs / 1000),
    loopP99: loop.percentile(99) / 1e6,
  };
}

const median = (values: number[]): number => percentile([...values], 50);

function emitSpread(metric: string, values: number[], unit: string): void {
  emit(BENCH, metric, median(values), unit);
  emit(BENCH, `${metric}_min`, Math.min(...values), unit);
  emit(BENCH, `${metric}_max`, Math.max(...values), unit);
}

export default async function run(args: string[]): Promise<void> {
  const runMs = Number(args[0] ?? 2) * 1000;
  const repetitions = Number(args[1] ?? 4);
  const loadAtStart = loadavg();
  const server = await startRedisServer();
  const url = server.settings.REDIS_URL!;
  const ours = new Redis(url, { enableAutoPipelining: true });
  // The peer runs on both kinds of client and is credited with its better figure: auto-pipelining helps it
  // at saturation, a plain client may help its latency.
  const theirs = new Redis(url, { enableAutoPipelining: true });
  const theirsPlain = new Redis(url, { enableAutoPipelining: false });
  const stats = new Redis(url);
  // The floor: a plain GET on a plain client, the cheapest round trip there is.
  const floor = new Redis(url, { enableAutoPipelining: false });
  // Limits high enough that most calls pass: a passing decision writes every level, the costlier path.
  const roomy: RateRule = { kind: 'rate', limit: 1_000_000, windowMs: 1000, burst: 100 };
  const limiter = createRateLimiter({
    redis: ours,
    // As in production, overrides are read through the durable store (Redis as the cache of the documents);
    // the documents are in memory here, since only a rebuild reads them.
    overrideDocuments: new MemoryOverrideDocuments(),
    keyPrefix: 'bl:',
    tenantRule: roomy,
    providerLimits: { ...PROVIDER_LIMITS, notion: { ...PROVIDER_LIMITS.notion, integration: roomy, app: roomy } },
  });
  try {
    const backend = new RedisLimiterBackend(ours);
    // Every contender's keys and arguments are made once, up front, so the harness allocates next to
    // nothing per call (its garbage would be collected inside the measured latencies).
    const levels: LevelSpec[][] = Array.from({ length: KEYS * 3 }, (_, i) => [
      { name: 'tenant', key: `b:t:${i % KEYS}`, rule: roomy },
      { name: 'integration', key: `b:i:${i}`, rule: roomy },
      { name: 'app', key: 'b:app', rule: roomy },
    ]);
    const targets: CallTarget[] = Array.from({ length: KEYS * 3 }, (_, i) => ({
      tenantId: `t${i % KEYS}`,
      integrationId: `i${i}`,
      provider: 'notion',
      operation: 'pages.query',
    }));
    const peerKeys = Array.from({ length: KEYS }, (_, i) => `k${i}`);
    const getKeys = Array.from({ length: KEYS }, (_, i) => `b:t:${i}`);
    const decideOptions = { maxWaitMs: 0, leaseId: '' };
    const acquireOptions = { maxWaitMs: 0 };

    const oursDecide: Call = (i) => backend.decide(levels[i % levels.length]!, decideOptions);
    const acquire: Call = (i) => limiter.acquire(targets[i % targets.length]!, acquireOptions);
    const peerUnion = (client: Redis, prefix: string) =>
      new RateLimiterUnion(
        ...['t', 'i', 'a'].map(
          (level) =>
            new RateLimiterRedis({
              storeClient: client,
              keyPrefix: `${prefix}${level}`,
              points: 1_000_000,
              duration: 1,
            }),
        ),
      );
    // The union keys every limiter by the same key, so its key spread matches ours (tenant-sized).
    const peerOn =
      (union: RateLimiterUnion): Call =>
      (i) =>
        union.consume(peerKeys[i % KEYS]!).catch(() => undefined);
    const peerDecide = peerOn(peerUnion(theirs, 'p'));
    const peerPlainDecide = peerOn(peerUnion(theirsPlain, 'q'));
    const get: Call = (i) => floor.get(getKeys[i % KEYS]!);

    for (const warm of [oursDecide, peerDecide, peerPlainDecide, acquire]) await interleaved([warm], 500, 500, stats);
    const runs: Record<'ours' | 'peer' | 'peerPlain' | 'acquire', Saturation[]> = {
      ours: [],
      peer: [],
      peerPlain: [],
      acquire: [],
    };
    const latency: Record<'ours' | 'acquire' | 'peer' | 'peerPlain' | 'get', Latency[]> = {
      ours: [],
      acquire: [],
      peer: [],
      peerPlain: [],
      get: [],
    };
    for (let r = 0; r < repetitions; r++) {
      const [oursRun, peerRun, peerPlainRun, acquireRun] = await interleaved(
        [oursDecide, peerDecide, peerPlainDecide, acquire],
        runMs,
        250,
        stats,
      );
      runs.ours.push(oursRun!);
      runs.peer.push(peerRun!);
      runs.peerPlain.push(peerPlainRun!);
      runs.acquire.push(acquireRun!);
      latency.ours.push(await latencyAt5000(oursDecide, runMs));
      latency.acquire.push(await latencyAt5000(acquire, runMs));
      latency.get.push(await latencyAt5000(get, runMs));
      latency.peer.push(await latencyAt5000(peerDecide, runMs));
      latency.peerPlain.push(await latencyAt5000(peerPlainDecide, runMs));
    }
    // Per repetition, the peer's better client counts.
    const peerBest = runs.peer.map((run, i) => (run.perS >= runs.peerPlain[i]!.perS ? run : runs.peerPlain[i]!));
    const ratios = runs.ours.map((run, i) => run.perS / peerBest[i]!.perS);
    emit(BENCH, 'decisions_per_s', median(runs.ours.map((run) => run.perS)), 'decisions/s');
    emit(BENCH, 'peer_decisions_per_s', median(peerBest.map((run) => run.perS)), 'decisions/s');
    emit(BENCH, 'ratio_vs_peer', median(ratios), 'x');
    emit(BENCH, 'p50_ms_at_5000', median(latency.ours.map((l) => l.p50)), 'ms');
    emitSpread(
      'p99_ms_at_5000',
      latency.ours.map((l) => l.p99),
      'ms',
    );
    emit(
      BENCH,
      'peer_p99_ms_at_5000',
      Math.min(median(latency.peer.map((l) => l.p99)), median(latency.peerPlain.map((l) => l.p99))),
      'ms',
    );
    emit(BENCH, 'get_p99_ms_at_5000', median(latency.get.map((l) => l.p99)), 'ms');
    emit(BENCH, 'issue_lag_p99_ms_at_5000', median(latency.ours.map((l) => l.issueLagP99)), 'ms');
    emit(BENCH, 'event_loop_p99_ms_at_5000', median(latency.ours.map((l) => l.loopP99)), 'ms');
    emit(BENCH, 'gc_ms_per_s_at_5000', median(latency.ours.map((l) => l.gcMsPerS)), 'ms/s');
    emit(BENCH, 'acquire_per_s', median(runs.acquire.map((run) => run.perS)), 'decisions/s');
    emit(BENCH, 'acquire_p99_ms_at_5000', median(latency.acquire.map((l) => l.p99)), 'ms');
    emit(BENCH, 'node_cpu_us_per_decision', median(runs.ours.map((run) => run.nodeCpuUs)), 'us');
    emit(BENCH, 'peer_node_cpu_us_per_decision', median(peerBest.map((run) => run.nodeCpuUs)), 'us');
    emit(BENCH, 'redis_us_per_decision', median(runs.ours.map((run) => run.redisUs)), 'us');
    emit(BENCH, 'peer_redis_us_per_decision', median(peerBest.map((run) => run.redisUs)), 'us');
    if (limiter.health().degraded) console.error('warning: the limiter fell back to local limits during the run');
    const round = (value: unknown): unknown => (typeof value === 'number' ? Math.round(value * 100) / 100 : value);
    console.error(
      JSON.stringify(
        { loadavg: { start: loadAtStart, end: loadavg() }, runs, ratios, latency },
        (_key, value: unknown) => round(value),
      ),
    );
  } finally {
    limiter.close();
    ours.disconnect();
    theirs.disconnect();
    theirsPlain.disconnect();
    stats.disconnect();
    floor.disconnect();
    await server.stop();
  }
}
