/**
 * Steering runs from the admin API (issue 18 §5):
 *   POST tenants/{tenantId}/integrations/{integrationId}/runs/{runId}/cancel   → 202 {runId, status: "cancelled"}
 * The run ends `cancelled` at once; its page in flight, if any, checks the run between its fetch and its writes
 * and stops there, and every page message still queued for it is completed without work (shared/sync/inbound/
 * job.ts). 404 for an unknown run (or another tenant's), 409 naming the state of a run that has ended already.
 *   POST tenants/{tenantId}/integrations/{integrationId}/checkpoints/reset {entity} → 200 {entity, reset}: the
 *        entity's next run reads everything
 *   POST tenants/{tenantId}/integrations/{integrationId}/test      → 200 {ok, latencyMs, checks: [{name, ok, message}]}
 *   GET  tenants/{tenantId}/integrations/{integrationId}/catalog   → 200 the adapter's discovered entities and fields
 */
import { AppError } from '../../core/app-error';
import { z } from 'zod';
import { json, parseBody } from '../../platform/http/responses';
import { runCancelled } from '../../sync/runs/progress';
import type {
  CancelRunResponse,
  CatalogView,
  ConnectionTestResponse,
  ResetCheckpointResponse,
} from '../contracts/run-controls';
import { readCatalog, testConnection } from './connection-check';
import type { AdminRouter } from './context';
import { loadIntegration } from './integration-routes';

const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;
const resetCheckpointSchema = z.object({ entity: z.string().min(1) }).strict();
const INTEGRATION = 'tenants/:tenantId/integrations/:integrationId';
const RUNS = `${INTEGRATION}/runs/:runId`;

export function registerRunControlRoutes(router: AdminRouter): void {
  router.add('POST', `${RUNS}/cancel`, async (ctx, params) => {
    const integration = await loadIntegration(ctx, params);
    const runId = params.runId ?? '';
    if (!RUN_ID.test(runId))
      throw new AppError('bad_request', 'runId: must be 1-128 letters, digits, ".", ":", "-" or "_"', {
        target: 'runId',
      });
    const run = await ctx.services.runs.get(integration.tenantId, integration.id, runId);
    if (!run) throw new AppError('not_found', 'run not found');
    const { run: cancelled, ended } = await runCancelled(ctx.services.runs, run, ctx.principal.id, ctx.services.now);
    if (ended)
      throw new AppError('conflict', `only a queued or running run can be cancelled; this one is ${ended}`, {
        target: 'status',
      });
    ctx.logger.info('run cancelled', { integrationId: integration.id, runId, by: ctx.principal.id });
    return json(202, { runId: cancelled.id, status: 'cancelled' } satisfies CancelRunResponse);
  });

  router.add('POST', `${INTEGRATION}/checkpoints/reset`, async (ctx, params) => {
    const integration = await loadIntegration(ctx, params);
    const { entity } = parseBody(resetCheckpointSchema, await ctx.request.body());
    if (!integration.entities.includes(entity))
      throw new AppError(
        'bad_request',
        `entity: unknown entity "${entity}"; this integration syncs ${integration.entities.join(', ')}`,
        { target: 'entity' },
      );
    const reset = await ctx.services.syncState.deleteCheckpoint(integration.id, entity);
    ctx.logger.info('checkpoint reset', { integrationId: integration.id, entity, reset, by: ctx.principal.id });
    return json(200, { entity, reset } satisfies ResetCheckpointResponse);
  });

  router.add('POST', `${INTEGRATION}/test`, async (ctx, params) => {
    const integration = await loadIntegration(ctx, params);
    const result = await testConnection(ctx.services, integration);
    ctx.logger.info('connection tested', {
      integrationId: integration.id,
      ok: result.ok,
      failed: result.checks.filter((check) => !check.ok).map((check) => check.name),
      by: ctx.principal.id,
    });
    return json(200, result satisfies ConnectionTestResponse);
  });

  router.add('GET', `${INTEGRATION}/catalog`, async (ctx, params) => {
    const integration = await loadIntegration(ctx, params);
    return json(200, (await readCatalog(ctx.services, integration)) satisfies CatalogView);
  });
}
