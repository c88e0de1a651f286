/**
 * LOCAL_WORKERS > 1: the local host's HTTP functions and queue-triggered invocations run in that many worker
 * processes sharing one port, as FUNCTIONS_WORKER_PROCESS_COUNT gives a Functions host several language
 * workers. This process (the host) keeps what must have one owner: the embedded services, the embedded queue
 * (it receives and settles every message), the timers, and the local secret store. It hands each queue
 * invocation to the least busy worker (queue-dispatch.ts); the workers reach the queue and the secrets through
 * calls (rpc.ts, remote-ports.ts) and share everything else through Cosmos DB, Azurite and Redis, as Azure
 * instances do. Connections are spread by the kernel (each worker accepts on the shared socket), not handed
 * out by this process. A worker that dies is started again; the invocations it was running fail at once, so
 * their messages are delivered again.
 */
import cluster, { type Worker } from 'node:cluster';
import { extname, join } from 'node:path';
import type { AppServices } from '../../../shared/app/services';
import { serveCalls } from './rpc';
import { QUEUE_TARGET, SECRETS_TARGET, servedQueue, servedSecrets } from './remote-ports';
import { QueueDispatcher } from './queue-dispatch';
import type { QueueInvoker } from '../queue-invocation';
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
  /** Runs queue-triggered invocations in the worker processes (for the trigger host). */
  invoker: QueueInvoker;
  /** Each running worker's name (as in the queue_invocations metric), pid and queue invocations in flight. */
  running(): Array<{ name: string; pid: number; inFlight: number }>;
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
  // An invocation waits for a restarting worker no longer than its message's lock lasts.
  const dispatcher = new QueueDispatcher({ maxWaitMs: options.services.settings.queueLimits.lockDurationMs });
  const names = new Map<Worker, string>();
  const served = {
    [QUEUE_TARGET]: servedQueue(options.services.queue as Parameters<typeof servedQueue>[0]),
    [SECRETS_TARGET]: servedSecrets(options.services.credentials.store),
  };

  const start = (index: number): Promise<Worker> =>
    new Promise((resolve, reject) => {
      const worker = cluster.fork({ LOCAL_WORKER_INDEX: String(index) });
      const name = `worker-${index}`;
      const stopServing = serveCalls(worker, served);
      running.add(worker);
      names.set(worker, name);
      const onReport = (report: WorkerReport) => {
        if (report.type === 'listening') {
          port = report.port;
          // Listening means its services are up: it takes queue invocations from now on.
          dispatcher.add(name, worker);
          resolve(worker);
        } else if (report.type === 'failed') reject(new Error(`worker ${index} could not start: ${report.message}`));
      };
      worker.on('message', onReport);
      worker.once('exit', (code, signal) => {
        stopServing();
        dispatcher.remove(name, `${name} exited (${signal ?? code}) before it finished the invocation`);
        running.delete(worker);
        names.delete(worker);
        reject(new Error(`worker ${index} exited (${signal ?? code}) before it listened`));
        if (stopping) return;
        logger.error('local host: a worker process exited; starting another', { index, code, signal });
        setTimeout(
          () =>
            void start(index).catch((error: unknown) =>
              logger.error('local host: worker process restart failed', { error }),
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
    invoker: dispatcher,
    running: () => {
      const inFlight = dispatcher.inFlight();
      return [...running].map((worker) => {
        const name = names.get(worker)!;
        return { name, pid: worker.process.pid!, inFlight: inFlight[name] ?? 0 };
      });
    },
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
