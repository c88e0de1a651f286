/**
 * Retrying a failed run:
 *   POST tenants/{tenantId}/integrations/{integrationId}/runs/{runId}/retry   → 202 {runId, retryOf, status}
 * The new run repeats the failed one's mode, entity and ids, names it in `retryOf`, and the failed run names
 * the new one in `retriedBy`. The new run's id is derived from the failed one's, so a double click (or two
 * operators at once) starts one retry, not two; asking again answers with that same run.
 */
import { createHash } from 'node:crypto';
import { AppError } from '../../core/app-error';
import { json } from '../../platform/http/responses';
import { retryStarted } from '../../sync/runs/progress';
import { startRun } from '../../sync/runs/start-run';
import type { RetryRunResponse } from '../contracts/operations';
import type { AdminRouter } from './context';
import { loadIntegration } from './integration-routes';

const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;

export function retryRunId(failedRunId: string): string {
  return `retry-${createHash('sha256').update(failedRunId).digest('hex').slice(0, 32)}`;
}

export function registerRunRoutes(router: AdminRouter): void {
  router.add('POST', 'tenants/:tenantId/integrations/:integrationId/runs/:runId/retry', async (ctx, params) => {
    const integration = await loadIntegration(ctx, params);
    const runId = params.runId ?? '';
    if (!RUN_ID.test(runId))
      throw new AppError('bad_request', 'runId: must be 1-128 letters, digits, ".", ":", "-" or "_"', {
        target: 'runId',
      });
    const failed = await ctx.services.runs.get(integration.tenantId, integration.id, runId);
    if (!failed) throw new AppError('not_found', 'run not found');
    if (failed.retriedBy) {
      const existing = await ctx.services.runs.get(integration.tenantId, integration.id, failed.retriedBy);
      if (existing)
        return json(202, {
          runId: existing.id,
          retryOf: failed.id,
          status: existing.status,
        } satisfies RetryRunResponse);
    }
    if (failed.status !== 'failed')
      throw new AppError('conflict', `only a failed run can be retried; this one is ${failed.status}`, {
        target: 'status',
      });
    // Older targeted runs did not record their ids; repeating one without them would fetch nothing.
    if (failed.mode === 'targeted' && !failed.ids?.length)
      throw new AppError(
        'conflict',
        'this targeted run did not record its record ids; start an incremental sync instead',
        { target: 'ids' },
      );
    if (!integration.enabled)
      throw new AppError('conflict', 'integration is disabled; enable it before retrying', { target: 'enabled' });
    const run = await startRun(ctx.services, {
      integration,
      mode: failed.mode,
      trigger: 'manual',
      trace: ctx.trace,
      runId: retryRunId(failed.id),
      ...(failed.entity ? { entity: failed.entity } : {}),
      ...(failed.ids ? { ids: failed.ids } : {}),
      ...(failed.since ? { since: failed.since } : {}),
      ...(failed.entities ? { entities: failed.entities } : {}),
      retryOf: failed.id,
      now: ctx.services.now(),
    });
    await retryStarted(ctx.services.runs, failed, run.id);
    ctx.logger.info('failed run retried', {
      integrationId: integration.id,
      runId: failed.id,
      retryRunId: run.id,
      by: ctx.principal.id,
    });
    return json(202, { runId: run.id, retryOf: failed.id, status: run.status } satisfies RetryRunResponse);
  });
}
