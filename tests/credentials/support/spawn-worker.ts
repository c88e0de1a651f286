/** Runs refresh-worker.ts in a separate Node process (through tsx) and collects its JSON line and exit. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { WorkerArgs } from './refresh-worker';

export interface WorkerResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  output?: { counts: Record<string, number>; elapsedMs: number; lateMs: number; finalAccessToken?: string; outcomes?: unknown[] };
  stderr: string;
}

export function runWorker(args: WorkerArgs): Promise<WorkerResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'refresh-worker.ts'), JSON.stringify(args)], { stdio: ['ignore', 'pipe', 'pipe'] });
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
