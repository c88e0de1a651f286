/**
 * Starts tests/bench/support/services-process.ts as a child Node process (cosmosdb-server and optionally a
 * sandbox), waits for its settings, and stops it by its own pid.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { IssuedTokens, SandboxOptions } from '../../../dev/sandboxes/common/types';
import type { CosmosTally } from './cosmos-tally';

export interface ServicesOptions {
  sandbox?: SandboxOptions & { provider: string };
  /** Count what the Cosmos stand-in is asked to do (support/cosmos-tally.ts), for the per-unit figures. */
  tally?: boolean;
}

export interface ChildReady {
  type: 'ready';
  cosmos: Record<string, string>;
  sandbox?: { url: string; tokens: IssuedTokens };
}

export interface ChildStats {
  rssMb: number;
  cpuMs: number;
  calls: number;
}

export type ChildRequest = { type: 'stop' } | { type: 'stats' } | { type: 'tally' };

export interface ServicesChild {
  cosmos: Record<string, string>;
  sandbox?: { url: string; tokens: IssuedTokens };
  /** The child's RSS (MB), CPU time so far (ms) and how many requests its sandbox answered. */
  stats(): Promise<ChildStats>;
  /** What the Cosmos stand-in was asked to do so far (started with `tally`; empty otherwise). */
  tally(): Promise<CosmosTally>;
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 120_000;

export async function startServicesChild(options: ServicesOptions): Promise<ServicesChild> {
  const child: ChildProcess = fork(join(__dirname, 'services-process.ts'), [JSON.stringify(options)], {
    // BENCH_CHILD_CPU_PROF=<dir>: a V8 CPU profile of the child (cosmosdb-server + sandbox), to see its share.
    execArgv: [
      '--import',
      'tsx',
      '--max-old-space-size=4096',
      ...(process.env.BENCH_CHILD_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CHILD_CPU_PROF}`] : []),
    ],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await new Promise<ChildReady>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('services child did not start in time')), START_TIMEOUT_MS);
    child.once('exit', (code) => reject(new Error(`services child exited with ${code}`)));
    child.on('message', (message: ChildReady) => {
      if (message.type !== 'ready') return;
      clearTimeout(timer);
      resolve(message);
    });
  });
  return {
    cosmos: ready.cosmos,
    sandbox: ready.sandbox,
    stats: () =>
      new Promise((resolve) => {
        const onMessage = (message: { type: string } & ChildStats) => {
          if (message.type !== 'stats') return;
          child.off('message', onMessage);
          resolve({ rssMb: message.rssMb, cpuMs: message.cpuMs, calls: message.calls });
        };
        child.on('message', onMessage);
        child.send({ type: 'stats' } satisfies ChildRequest);
      }),
    tally: () =>
      new Promise((resolve) => {
        const onMessage = (message: { type: string; tally?: CosmosTally }) => {
          if (message.type !== 'tally') return;
          child.off('message', onMessage);
          resolve(message.tally ?? {});
        };
        child.on('message', onMessage);
        child.send({ type: 'tally' } satisfies ChildRequest);
      }),
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send({ type: 'stop' } satisfies ChildRequest);
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}
