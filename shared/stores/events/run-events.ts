/** Builders for the sync-run events, so every emitter says the same thing the same way. */
import { randomUUID } from 'node:crypto';
import type { AppEvent } from './events';
import type { SyncJobMessage, SyncRun } from '../../core/sync-run';

export function runFinishedEvent(run: SyncRun, provider: string, now: Date, deadLettered: boolean): AppEvent[] {
  const base = {
    tenantId: run.tenantId,
    integrationId: run.integrationId,
    time: now.toISOString(),
    traceId: run.traceId,
  };
  const data = {
    runId: run.id,
    provider,
    mode: run.mode,
    trigger: run.trigger,
    fetched: run.counters.fetched,
    errors: run.counters.errors,
    errorCode: run.lastError?.code ?? null,
  };
  if (run.status === 'succeeded') {
    return [
      {
        ...base,
        id: randomUUID(),
        type: 'sync.run_completed',
        severity: 'info',
        summary: `${provider} ${run.mode} sync completed`,
        data,
      },
    ];
  }
  const events: AppEvent[] = [
    {
      ...base,
      id: randomUUID(),
      type: 'sync.run_failed',
      severity: 'error',
      summary: `${provider} ${run.mode} sync failed: ${run.lastError?.message ?? 'unknown error'}`,
      data,
    },
  ];
  if (deadLettered)
    events.push({
      ...base,
      id: randomUUID(),
      type: 'sync.page_dead_lettered',
      severity: 'error',
      summary: `a ${provider} sync page was dead-lettered after its last delivery`,
      data,
    });
  return events;
}

/** Conflicts held for a person by one page (manual strategy, or a custom rule that could not decide). */
export function conflictsWaiting(run: SyncRun, provider: string, count: number, now: Date): AppEvent[] {
  return [
    {
      id: randomUUID(),
      type: 'sync.conflict_created',
      severity: 'warning',
      tenantId: run.tenantId,
      integrationId: run.integrationId,
      time: now.toISOString(),
      traceId: run.traceId,
      summary: `${count} ${provider} record(s) wait for a person to resolve a conflict`,
      data: { runId: run.id, provider, conflicts: count },
    },
  ];
}

/** A page had to wait for the provider's (or our) rate budget: rescheduled, not failed. */
export function budgetExhausted(
  job: SyncJobMessage,
  provider: string,
  reason: string,
  delayMs: number,
  now: Date,
): AppEvent[] {
  return [
    {
      id: randomUUID(),
      type: 'ratelimit.budget_exhausted',
      severity: 'warning',
      tenantId: job.tenantId,
      integrationId: job.integrationId,
      time: now.toISOString(),
      summary: `${provider} rate budget exhausted: sync paused for ${Math.ceil(delayMs / 1000)} s (${reason})`,
      data: { runId: job.runId, provider, page: job.page, delayMs },
    },
  ];
}
