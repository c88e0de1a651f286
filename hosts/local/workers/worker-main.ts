/**
 * A worker process of the local host (LOCAL_WORKERS > 1; started by http-workers.ts). It serves the HTTP
 * functions on the shared port and runs the queue-triggered invocations the host process dispatches to it
 * (queue-dispatch.ts), with services of its own, except the queue and the secret store, which it reaches in the
 * host process. It exits when told to stop (after its requests, invocations and writes are done) or when the
 * host process is gone.
 */
import type { Server } from 'node:http';
import { FUNCTIONS } from '../../../functions/manifest';
import type { HttpFunction, QueueFunction } from '../../../functions/definition';
import { loadSettings, parseSettings } from '../../../shared/config/settings';
import { createServices, type AppServices } from '../../../shared/app/services';
import { createHttpHost, closeServer } from '../http-host';
import { callerOver, serveCalls, type MessageChannel } from './rpc';
import { RemoteQueue, RemoteSecretStore } from './remote-ports';
import { FUNCTIONS_TARGET, servedQueueFunctions } from './queue-dispatch';
import type { WorkerControl, WorkerReport } from './worker-protocol';

const channel: MessageChannel = {
  send: (message) => process.send!(message),
  on: (event, listener) => process.on(event, listener),
  off: (event, listener) => process.off(event, listener),
};
const host = callerOver(channel);
let running: { server: Server; services: AppServices; stopServing(): void } | undefined;
/** Queue invocations in progress: finished before the services close. */
const invocations = new Set<Promise<void>>();
let stopping = false;

function report(message: WorkerReport): void {
  process.send?.(message);
}

async function start(control: Extract<WorkerControl, { type: 'start' }>): Promise<void> {
  const settings = control.useProcessEnv ? loadSettings(control.env) : parseSettings(control.env);
  const services = await createServices(settings, {
    queue: new RemoteQueue(host),
    secretStore: new RemoteSecretStore(control.secretStoreKind, host),
  });
  const server = createHttpHost(
    FUNCTIONS.filter((f): f is HttpFunction => f.trigger === 'http'),
    services,
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(control.port, '127.0.0.1', () => resolve());
  });
  // Served before "listening" is reported: the host dispatches queue invocations from that report on.
  const stopServing = serveCalls(channel, {
    [FUNCTIONS_TARGET]: servedQueueFunctions(
      FUNCTIONS.filter((f): f is QueueFunction => f.trigger === 'serviceBusQueue'),
      services,
      invocations,
    ),
  });
  running = { server, services, stopServing };
  report({ type: 'listening', port: (server.address() as { port: number }).port });
}

async function stop(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    if (running) {
      await closeServer(running.server);
      // The host stops dispatching before it stops workers; what still runs finishes while its services are open.
      await Promise.allSettled([...invocations]);
      running.stopServing();
      await running.services.close();
    }
    host.close('the worker process stopped');
  }
  process.exit(code);
}

process.on('message', (message: unknown) => {
  const control = message as WorkerControl;
  if (control?.type === 'start')
    start(control).catch((error: unknown) => {
      report({ type: 'failed', message: (error as Error).message ?? String(error) });
      void stop(1);
    });
  else if (control?.type === 'stop') void stop(0);
});
// The host process is gone (its channel closed): nothing can be enqueued any more.
process.on('disconnect', () => {
  // Calls waiting for the host fail now, so invocations waiting on them end and the worker can exit.
  host.close('the local host process is gone');
  void stop(1);
});
// Signals reach the whole process group on Ctrl-C; the host process decides when workers stop.
process.on('SIGINT', () => undefined);
process.on('SIGTERM', () => undefined);
