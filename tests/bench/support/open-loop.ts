/**
 * Open-loop offered load for latency benchmarks: call k is due at `start + k / perS`, and its latency is
 * counted from that due time to its answer, so a late send (a busy event loop, a GC pause, a slow timer)
 * counts against the figure instead of silently thinning the load (no coordinated omission).
 *
 * Node timers tick in whole milliseconds, so a generator on the measured event loop would issue 5 calls at
 * once per tick at 5,000/s and either hide or add up to a tick of lateness. The schedule is therefore kept
 * by a worker thread that sleeps until each due time (Atomics.wait, sub-millisecond) and posts the call's
 * number; the measured thread only issues the call it is told to. The worker's own lateness and the
 * message hop are part of the measured latency (a pessimistic, never optimistic, error).
 */
import { Worker } from 'node:worker_threads';

export type Call = (i: number) => Promise<unknown>;

export interface OpenLoopResult {
  /** Latency of every call in ms, from its due time to its answer. */
  latenciesMs: Float64Array;
  /** How late the measured thread received calls from the schedule (ms): the generator's share of the tail. */
  issueLagMs: Float64Array;
}

/** Plain JS so that it runs in a worker without the TypeScript loader. */
const SCHEDULER = `
const { parentPort, workerData } = require('node:worker_threads');
const { startNs, intervalNs, count } = workerData;
const gate = new Int32Array(new SharedArrayBuffer(4));
for (let k = 0; k < count; k++) {
  const due = startNs + BigInt(Math.round(k * intervalNs));
  const aheadMs = Number(due - process.hrtime.bigint()) / 1e6;
  if (aheadMs > 0) Atomics.wait(gate, 0, 0, aheadMs);
  parentPort.postMessage(k);
}
parentPort.postMessage(-1);
`;

/** Offers `perS` calls a second for `durationMs`; resolves when every call has answered. */
export async function openLoop(call: Call, perS: number, durationMs: number): Promise<OpenLoopResult> {
  const count = Math.floor((perS * durationMs) / 1000);
  const intervalMs = 1000 / perS;
  const latenciesMs = new Float64Array(count);
  const issueLagMs = new Float64Array(count);
  let answered = 0;
  let allSent = false;
  // Both clocks are the same monotonic clock (uv_hrtime); start a little ahead so the first due time is not
  // already past when the worker has started.
  const leadMs = 50;
  const startLocal = performance.now() + leadMs;
  const startNs = process.hrtime.bigint() + BigInt(leadMs * 1e6);
  const worker = new Worker(SCHEDULER, { eval: true, workerData: { startNs, intervalNs: intervalMs * 1e6, count } });
  await new Promise<void>((resolve, reject) => {
    const finishIfDone = (): void => {
      if (allSent && answered === count) resolve();
    };
    worker.on('error', reject);
    worker.on('message', (k: number) => {
      if (k < 0) {
        allSent = true;
        finishIfDone();
        return;
      }
      const due = startLocal + k * intervalMs;
      issueLagMs[k] = performance.now() - due;
      const done = (): void => {
        latenciesMs[k] = performance.now() - due;
        answered++;
        finishIfDone();
      };
      call(k).then(done, done);
    });
  });
  await worker.terminate();
  return { latenciesMs, issueLagMs };
}
