/**
 * LOCAL_WORKERS > 1: the local host's HTTP functions run in that many worker processes sharing one port, as
 * FUNCTIONS_WORKER_PROCESS_COUNT gives a Functions host several language workers. This process (the host)
 * keeps what must have one owner: the embedded services, the embedded queue with the queue triggers and the
 * timers, and the local secret store; the workers reach the queue and the secrets through calls (rpc.ts,
 * remote-ports.ts) and share everything else through Cosmos DB, Azurite and Redis, as Azure instances do.
 * Connections are spread by the kernel (each worker accepts on the shared socket), not handed out by this
 * process, which stays free for the triggers. A worker that dies is started again.
 */
import cluster, { type Worker } from 'node:cluster';
import { extname, join } from 'node:path';
import type { AppServices } from '../../../shared/app/services';
import { serveCalls } from './rpc';
import { QUEUE_TARGET, SECRETS_TARGET, servedQueue, servedSecrets } from './remote-ports';
import type { WorkerControl, WorkerReport } from './worker-protocol';

export interface HttpWorkersOptions {
  count: number;
  /** The settings every worker parses (the host's own, embedded services' endpoints included). */
  env: Record<string, string | undefined>;
  useProcessEnv: boolean;
  port: number;
  services: AppServices;
}

export interface HttpWorkers {
  port: number;
  /** Worker processes running now (pids). */
  pids(): number[];
  /** Ask every worker to finish its requests and writes, and wait for them to exit. */
  stop(): Promise<void>;
}

const STOP_TIMEOUT_MS = 30_000;
const RESPAWN_DELAY_MS = 500;

/** The worker entry beside this file: TypeScript under tsx (tests, benchmarks), JavaScript in the build. */
function workerEntry(): { exec: string; execArgv: string[] } {
  const extension = extname(__filename);
  const exec = join(__dirname, `worker-main${extension}`);
  const heapFlags = process.execArgv.filter((flag) => /^--(max-old-space-size|heap-growing-percent)/.test(flag));
  return { exec, execArgv: extension === '.ts' ? ['--require', 'tsx/cjs', ...heapFlags] : heapFlags };
}

export async function startHttpWorkers(options: HttpWorkersOptions): Promise<HttpWorkers> {
  // Set before the first fork: each worker accepts on the shared socket itself.
  cluster.schedulingPolicy = cluster.SCHED_NONE;
  cluster.setupPrimary({ ...workerEntry(), serialization: 'advanced' });
  const running = new Set<Worker>();
  let stopping = false;
  let port = options.port;
  const { logger } = options.services;
  const served = {
    [QUEUE_TARGET]: servedQueue(options.services.queue as Parameters<typeof servedQueue>[0]),
    [SECRETS_TARGET]: servedSecrets(options.services.credentials.store),
  };

  const start = (index: number): Promise<Worker> =>
    new Promise((resolve, reject) => {
      const worker = cluster.fork({ LOCAL_WORKER_INDEX: String(index) });
      const stopServing = serveCalls(worker, served);
      running.add(worker);
      const onReport = (report: WorkerReport) => {
        if (report.type === 'listening') {
          port = report.port;
          resolve(worker);
        } else if (report.type === 'failed')
          reject(new Error(`HTTP worker ${index} could not start: ${report.message}`));
      };
      worker.on('message', onReport);
      worker.once('exit', (code, signal) => {
        stopServing();
        running.delete(worker);
        reject(new Error(`HTTP worker ${index} exited (${signal ?? code}) before it listened`));
        if (stopping) return;
        logger.error('local host: an HTTP worker exited; starting another', { index, code, signal });
        setTimeout(
          () =>
            void start(index).catch((error: unknown) =>
              logger.error('local host: HTTP worker restart failed', { error }),
            ),
          RESPAWN_DELAY_MS,
        ).unref();
      });
      const control: WorkerControl = {
        type: 'start',
        env: options.env,
        useProcessEnv: options.useProcessEnv,
        // The port asked for, not the one chosen: the workers share the socket opened for that request (0 too).
        port: options.port,
        secretStoreKind: options.services.credentials.store.kind,
      };
      worker.send(control);
    });

  try {
    await Promise.all(Array.from({ length: options.count }, (_, i) => start(i)));
  } catch (error) {
    stopping = true;
    await stopAll(running);
    throw error;
  }
  return {
    port,
    pids: () => [...running].map((worker) => worker.process.pid!).filter(Boolean),
    stop: async () => {
      stopping = true;
      await stopAll(running);
    },
  };
}

async function stopAll(running: Set<Worker>): Promise<void> {
  await Promise.all(
    [...running].map(async (worker) => {
      if (worker.isDead()) return;
      const exited = new Promise((resolve) => worker.once('exit', resolve));
      try {
        worker.send({ type: 'stop' } satisfies WorkerControl);
      } catch {
        // Its channel is already closed: it is on its way out.
      }
      const timer = setTimeout(() => worker.process.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    }),
  );
}
