/**
 * Several processes, each with its own Redis connection, share limits through the real redis-server: no
 * window ever holds more grants than a level allows, refusals consume nothing on other levels, and turns
 * reserved by waiting callers keep the same bound.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { RedisOverrideStore } from '../../shared/ratelimit/overrides';
import type { WorkerArgs, WorkerResult } from './support/limiter-worker';

jest.setTimeout(60_000);

const ROOT = join(__dirname, '..', '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const WORKER = join(__dirname, 'support', 'limiter-worker.ts');

interface Worker {
  ready: Promise<void>;
  start(startAt: number): void;
  result: Promise<WorkerResult>;
}

function spawnWorker(args: WorkerArgs): Worker {
  const child = spawn(TSX, [WORKER, JSON.stringify(args)], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let onReady!: () => void;
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    if (out.startsWith('ready\n')) onReady();
  });
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const result = new Promise<WorkerResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(out.trim().split('\n').at(-1)!) as WorkerResult)
        : reject(new Error(`worker exited ${code}: ${err.slice(0, 2000)}`)),
    );
  });
  // A worker that dies before "ready" must fail the test, not hang it.
  result.catch(() => onReady());
  return { ready, result, start: (startAt) => child.stdin.end(`${startAt}\n`) };
}

/** Most turns inside any window [t, t + lengthMs). */
function maxInWindow(times: number[], lengthMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while (sorted[end]! - sorted[start]! >= lengthMs) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

let redis: Redis;
beforeAll(() => {
  redis = new Redis(process.env.REDIS_URL!);
});
afterAll(() => redis.disconnect());

async function scenario(maxWaitMs: number, durationMs: number): Promise<{ a: number[]; b: number[]; refused: number }> {
  const keyPrefix = `rlmp:${randomUUID()}:`;
  const store = new RedisOverrideStore(redis, keyPrefix);
  // Tenant A may make 5 calls a second, tenant B 100; integrations are roomy; the app allows 20 a second.
  await store.set(
    { tenantId: 'A' },
    { tenant: { kind: 'rate', limit: 5, windowMs: 1000 }, integration: { kind: 'rate', limit: 1000, windowMs: 1000 } },
  );
  await store.set(
    { tenantId: 'B' },
    {
      tenant: { kind: 'rate', limit: 100, windowMs: 1000 },
      integration: { kind: 'rate', limit: 1000, windowMs: 1000 },
    },
  );
  const base = {
    redisUrl: process.env.REDIS_URL!,
    keyPrefix,
    appRule: { kind: 'rate' as const, limit: 20, windowMs: 1000 },
    durationMs,
    maxWaitMs,
    parallel: 4,
  };
  const workers = [
    spawnWorker({ ...base, tenantId: 'A', integrationId: 'a1' }),
    spawnWorker({ ...base, tenantId: 'A', integrationId: 'a2' }),
    spawnWorker({ ...base, tenantId: 'B', integrationId: 'b1' }),
    spawnWorker({ ...base, tenantId: 'B', integrationId: 'b2' }),
  ];
  await Promise.all(workers.map((worker) => worker.ready));
  const startAt = Date.now() + 200;
  for (const worker of workers) worker.start(startAt);
  const results = await Promise.all(workers.map((worker) => worker.result));
  return {
    a: [...results[0]!.turns, ...results[1]!.turns],
    b: [...results[2]!.turns, ...results[3]!.turns],
    refused: results.reduce((sum, result) => sum + result.refused, 0),
  };
}

describe('four processes on one Redis', () => {
  it('never exceed any level in any window, and refusals consume nothing elsewhere', async () => {
    const seconds = 3;
    const { a, b, refused } = await scenario(0, seconds * 1000);
    expect(refused).toBeGreaterThan(100); // the processes really pushed against the limits
    expect(maxInWindow(a, 1000)).toBeLessThanOrEqual(5);
    expect(maxInWindow([...a, ...b], 1000)).toBeLessThanOrEqual(20);
    // All or nothing: A's refusals at its tenant level (hundreds a second) did not eat app budget, or B
    // would be starved; together the tenants used most of the 20 a second (a turn left unused for a few
    // ms on a busy machine is lost: GCRA without burst banks nothing).
    const all = [...a, ...b].sort((x, y) => x - y);
    const span = all.at(-1)! - all[0]!;
    expect(span).toBeGreaterThan(2000);
    // The floor is loose (40%) because the test shares 2 cores with the rest of the suite; starvation by a
    // consumed-on-refusal bug would leave B near zero, far below it.
    expect(all.length).toBeGreaterThanOrEqual(0.4 * (span / 1000) * 20);
    expect(a.length).toBeGreaterThanOrEqual(0.4 * (span / 1000) * 5);
    expect(b.length).toBeGreaterThanOrEqual(0.4 * (span / 1000) * 15);
  });

  it('turns reserved by waiting callers keep the same bound', async () => {
    const { a, b } = await scenario(400, 2000);
    expect(maxInWindow(a, 1000)).toBeLessThanOrEqual(5);
    expect(maxInWindow([...a, ...b], 1000)).toBeLessThanOrEqual(20);
    // Waiting callers hold reserved turns, so almost no turn is lost.
    expect(a.length + b.length).toBeGreaterThanOrEqual(0.75 * 2 * 20);
  });
});
