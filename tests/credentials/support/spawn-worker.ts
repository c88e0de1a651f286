/** Runs refresh-worker.ts in a separate Node process (through tsx) and collects its JSON line and exit. */
import { spawn } from 'node:child_process';
import type Redis from 'ioredis';
import { join } from 'node:path';
import type { WorkerArgs } from './refresh-worker';

export interface WorkerResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  output?: { counts: Record<string, number>; elapsedMs: number; finalAccessToken?: string; outcomes?: unknown[] };
  stderr: string;
}

export function runWorker(args: WorkerArgs): Promise<WorkerResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(__dirname, 'refresh-worker.ts'), JSON.stringify(args)],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      const line = stdout.trim().split('\n').filter(Boolean).at(-1);
      resolve({ code, signal, stderr, output: line ? (JSON.parse(line) as WorkerResult['output']) : undefined });
    });
  });
}

/** Waits until `count` workers reported ready on the barrier, then lets them all go at once. */
export async function releaseWorkers(
  redis: Redis,
  barrier: { readyKey: string; goKey: string },
  count: number,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Number((await redis.get(barrier.readyKey)) ?? 0) < count) {
    if (Date.now() > deadline)
      throw new Error(`only ${(await redis.get(barrier.readyKey)) ?? 0} of ${count} workers became ready`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await redis.rpush(barrier.goKey, ...Array.from({ length: count }, () => '1'));
}
