/**
 * The webhooks benchmark's load generator, run in a child process (webhook-load-process.ts) and driven over
 * IPC: one call per stage, fixed-rate or unbounded, over keep-alive connections. The same generator drives the
 * host and the bare node:http ceiling, so the two figures are comparable.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { DeliveryTargets } from './webhook-deliveries';

export interface StageResult {
  offered: number | 'max';
  sent: number;
  ok: number;
  perS: number;
  p50: number;
  p99: number;
  errors: number;
  /** Requests sent after the signed deliveries ran out (they fail; above 0 means raise unboundedPerS). */
  exhausted: number;
  /** The generator process's CPU during the stage, in % of one core. */
  generatorCpuPercent: number;
  /** The delivery id of every request answered 2xx (what the provider would take as accepted). */
  acceptedIds: string[];
  /** 2xx answers with a body that does not name the delivery the generator paired them with (should be 0). */
  misattributed: number;
}

export interface StageRequest {
  url: string;
  seconds: number;
  /** Offered requests per second; absent for an unbounded stage. */
  rate?: number;
  /** Deliveries signed per second of an unbounded stage (well above what the target answers). */
  unboundedPerS: number;
  connections: number;
  pipelining: number;
  targets: DeliveryTargets;
}

/**
 * Deliveries to sign for a stage. A fixed rate gets half as many again: autocannon spreads `overallRate` over
 * the connections and overshoots it at low rates (seen: 737/s sent for 500/s over 128 connections); the spare
 * deliveries are as valid as the rest, and the stage's 2xx rate counts what was answered whatever was sent.
 */
export function deliveriesForStage(request: StageRequest): number {
  return Math.ceil(request.rate ? request.rate * request.seconds * 1.5 : request.unboundedPerS * request.seconds);
}

export type LoadRequest = ({ type: 'stage'; id: number; offset: number } & StageRequest) | { type: 'stop' };
export type LoadResponse =
  | { type: 'ready' }
  | { type: 'stage-done'; id: number; result: StageResult }
  | { type: 'stage-failed'; id: number; message: string };

export interface LoadGenerator {
  stage(request: StageRequest): Promise<StageResult>;
  stop(): Promise<void>;
}

export async function startLoadGenerator(): Promise<LoadGenerator> {
  const child: ChildProcess = fork(join(__dirname, 'webhook-load-process.ts'), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`load generator exited with ${code}`)));
    child.on('message', (message: LoadResponse) => message.type === 'ready' && resolve());
  });
  let nextId = 0;
  let offset = 0;
  return {
    stage: (request) =>
      new Promise<StageResult>((resolve, reject) => {
        const id = ++nextId;
        const onMessage = (message: LoadResponse) => {
          if (message.type === 'ready' || message.id !== id) return;
          child.off('message', onMessage);
          if (message.type === 'stage-done') resolve(message.result);
          else reject(new Error(`load stage failed: ${message.message}`));
        };
        child.on('message', onMessage);
        child.send({ type: 'stage', id, offset, ...request } satisfies LoadRequest);
        // Slack event timestamps stay distinct across stages.
        offset += deliveriesForStage(request);
      }),
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send({ type: 'stop' } satisfies LoadRequest);
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3000).unref())]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}
