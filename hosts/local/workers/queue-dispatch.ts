/**
 * Queue-triggered invocations run in the worker processes (LOCAL_WORKERS > 1), as a Functions host with
 * FUNCTIONS_WORKER_PROCESS_COUNT hands its Service Bus invocations to its language workers. The host process
 * keeps the queue: it receives, locks and settles every message (trigger-host.ts), so sessions, duplicate
 * detection, dead letters and the concurrency limit stay one owner's. This file only carries an invocation to
 * the least busy worker and its outcome back. A worker that dies fails its invocations at once, so their
 * messages are abandoned and delivered again without waiting for their locks to expire.
 */
import type { QueueFunction } from '../../../functions/definition';
import type { AppServices } from '../../../shared/app/services';
import { AppError } from '../../../shared/core/app-error';
import { runQueueInvocation, type QueueInvocation, type QueueInvoker, type QueueOutcome } from '../queue-invocation';
import { callerOver, type Caller, type MessageChannel, type ServedMethods } from './rpc';

export const FUNCTIONS_TARGET = 'functions';

interface DispatchWorker {
  caller: Caller;
  inFlight: number;
}

export interface QueueDispatcherOptions {
  /** How long an invocation waits for a worker when none is up (all restarting); then it fails (abandoned). */
  maxWaitMs: number;
}

export class QueueDispatcher implements QueueInvoker {
  private readonly workers = new Map<string, DispatchWorker>();
  private readonly waiting = new Set<() => void>();
  /** Where the search for the least busy worker starts, turned on each pick, so ties are taken in turn. */
  private turn = 0;

  constructor(private readonly options: QueueDispatcherOptions) {}

  /** A worker ready for invocations: it serves FUNCTIONS_TARGET on `channel`. */
  add(name: string, channel: MessageChannel): void {
    this.workers.get(name)?.caller.close(`worker ${name} was replaced`);
    this.workers.set(name, { caller: callerOver(channel), inFlight: 0 });
    for (const wake of this.waiting) wake();
  }

  /** A worker that is gone: its invocations fail now (their messages are abandoned) and it gets no more. */
  remove(name: string, reason: string): void {
    const worker = this.workers.get(name);
    if (!worker) return;
    this.workers.delete(name);
    worker.caller.close(reason);
  }

  /** Invocations running in each worker now. */
  inFlight(): Record<string, number> {
    return Object.fromEntries([...this.workers].map(([name, worker]) => [name, worker.inFlight]));
  }

  async invoke(invocation: QueueInvocation): Promise<QueueOutcome> {
    const chosen = this.leastBusy() ?? (await this.nextWorker());
    if (!chosen)
      return {
        ranIn: 'none',
        ok: false,
        error: new AppError('dependency_unavailable', `no worker process took ${invocation.functionName} in time`),
      };
    const [name, worker] = chosen;
    worker.inFlight += 1;
    try {
      await worker.caller.call(FUNCTIONS_TARGET, 'invoke', invocation);
      return { ranIn: name, ok: true };
    } catch (error) {
      return { ranIn: name, ok: false, error };
    } finally {
      worker.inFlight -= 1;
    }
  }

  private leastBusy(): [string, DispatchWorker] | undefined {
    const entries = [...this.workers];
    if (entries.length === 0) return undefined;
    const start = this.turn++ % entries.length;
    let best = entries[start]!;
    for (let step = 1; step < entries.length; step++) {
      const candidate = entries[(start + step) % entries.length]!;
      if (candidate[1].inFlight < best[1].inFlight) best = candidate;
    }
    return best;
  }

  /** The least busy worker once one is up, or undefined after maxWaitMs. */
  private nextWorker(): Promise<[string, DispatchWorker] | undefined> {
    return new Promise((resolve) => {
      const done = (found: [string, DispatchWorker] | undefined) => {
        clearTimeout(timer);
        this.waiting.delete(wake);
        resolve(found);
      };
      const wake = () => done(this.leastBusy());
      const timer = setTimeout(() => done(undefined), this.options.maxWaitMs);
      this.waiting.add(wake);
    });
  }
}

/**
 * What a worker process serves for the dispatcher: run the invocation's handler with the worker's own services.
 * `running` holds the invocations in progress, so the worker can finish them before it closes its services.
 */
export function servedQueueFunctions(
  definitions: readonly QueueFunction[],
  services: AppServices,
  running: Set<Promise<void>>,
): ServedMethods[string] {
  return {
    invoke: (invocation) => {
      const run = runQueueInvocation(definitions, invocation as QueueInvocation, services);
      const tracked = run.catch(() => undefined).finally(() => running.delete(tracked));
      running.add(tracked);
      return run;
    },
  };
}
