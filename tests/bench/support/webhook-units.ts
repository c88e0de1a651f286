/**
 * The webhooks benchmark's per-unit figures for the capacity model (BENCH_MEASURED): the intake's cost per accepted
 * delivery is metered around the unbounded stage; the targeted syncs those deliveries started are then run off the
 * backlog the measured stages left (the queue triggers were stopped for them), and metered per record id fetched.
 */
import type { QueueFunction } from '../../../functions/definition';
import { FUNCTIONS } from '../../../functions/manifest';
import { startTriggerHost } from '../../../hosts/local/trigger-host';
import type { LocalHost } from '../../../hosts/local/local-host';
import type { SyncJobMessage } from '../../../shared/core/sync-run';
import { QUEUES } from '../../../shared/stores/queue/queues';
import type { UnitCosts } from '../../../tools/capacity/measured';
import { percentile } from '../emit';
import { unitCosts, type UnitMeter } from './unit-meter';

export interface TargetedSyncUnits extends UnitCosts {
  runs: number;
  idsPerRun: number;
  runMsP50: number;
}

/**
 * Runs the queued targeted syncs for at most `maxMs` (or until the queue is empty) and meters them per record id.
 * Only the queue functions run (no timers), with the host's own settings.
 */
export async function drainTargetedSyncs(
  host: Pick<LocalHost, 'services'>,
  meter: UnitMeter,
  options: { maxMs: number },
): Promise<TargetedSyncUnits> {
  const handled = { messages: 0, ids: 0 };
  /** How long each targeted run's message took to handle: what its session spends on it. */
  const handlingMs: number[] = [];
  const queues = FUNCTIONS.filter((f): f is QueueFunction => f.trigger === 'serviceBusQueue').map((definition) =>
    definition.queueName !== QUEUES.syncInbound.name
      ? definition
      : {
          ...definition,
          handler: async (...args: Parameters<QueueFunction['handler']>) => {
            const job = args[0] as SyncJobMessage;
            const startedAt = performance.now();
            await definition.handler(...args);
            handlingMs.push(performance.now() - startedAt);
            handled.messages++;
            handled.ids += job.ids?.length ?? 0;
          },
        },
  );
  const queue = host.services.embeddedQueue!;
  const backlog = queue.depth(QUEUES.syncInbound.name);
  const before = await meter.read();
  const triggers = startTriggerHost({ timers: [], queues, queue, scheduleTimers: false }, host.services);
  const startedAt = Date.now();
  while (queue.depth(QUEUES.syncInbound.name) > 0 && Date.now() - startedAt < options.maxMs)
    await new Promise((resolve) => setTimeout(resolve, 100));
  await triggers.stop();
  const after = await meter.read();
  console.error(
    `webhooks bench: targeted syncs off a backlog of ${backlog} messages: ${handled.messages} runs, ${handled.ids} record ids in ${Date.now() - startedAt} ms; handling p50 ${percentile(handlingMs, 50).toFixed(0)} ms, p99 ${percentile(handlingMs, 99).toFixed(0)} ms`,
  );
  if (handled.ids === 0) throw new Error('no targeted sync ran off the backlog: nothing to measure');
  return {
    ...unitCosts(before, after, handled.ids),
    runs: handled.messages,
    idsPerRun: handled.ids / Math.max(1, handled.messages),
    runMsP50: percentile(handlingMs, 50),
  };
}
