/**
 * Admin routes for integrations and their runs:
 *   POST   tenants/{tenantId}/integrations                       create ({provider, name} is enough)
 *   GET    tenants/{tenantId}/integrations                       list, each with its `health` (?include=lastRun,
 *                                                                credential,records,conflicts: its newest run, its API
 *                                                                credential's type and status, records held per entity,
 *                                                                open conflicts)
 *   GET    tenants/{tenantId}/integrations/{integrationId}       read, with its `health` (same include)
 *   PATCH  tenants/{tenantId}/integrations/{integrationId}       change
 *   DELETE tenants/{tenantId}/integrations/{integrationId}       delete with its hooks/channels, provider grant, sync
 *                                                                state, credentials (?purge=shards: its shards)
 *   GET    tenants/{tenantId}/integrations/{integrationId}/runs  runs with status and counters
 *   GET    tenants/{tenantId}/integrations/{integrationId}/runs/{runId}
 *   POST   tenants/{tenantId}/integrations/{integrationId}/sync  {"mode": "incremental" | "full", "entities"?,
 *                                                                "since"?} → 202 {runId} (sync-scope.ts)
 * Another tenant's id answers exactly like an unknown id (404).
 */
import { randomUUID } from 'node:crypto';
import { AppError } from '../../core/app-error';
import {
  applyPatch,
  createIntegrationSchema,
  DEFAULT_ENTITIES,
  integrationIdSchema,
  newIntegration,
  patchIntegrationSchema,
  tenantIdSchema,
} from '../../core/integration';
import { startSyncSchema } from '../../core/sync-run';
import { json, parseBody } from '../../platform/http/responses';
import { checkBaseUrl } from './outbound-targets';
import { syncScope } from './sync-scope';
import { checkProviderOptions } from '../../adapters/provider-options';
import type { Params } from '../../platform/http/router';
import { startRun } from '../../sync/runs/start-run';
import { removeIntegrationData } from './integration-cleanup';
import type { AdminContext, AdminRouter } from './context';
import { integrationOverview, parseIncludes } from './integration-overview';
import type {
  IntegrationList,
  IntegrationWithHealth,
  IntegrationView,
  StartSyncResponse,
  SyncRunView,
} from '../contracts/integrations';
import type { ListEnvelope } from '../contracts/common';

const BASE = 'tenants/:tenantId/integrations';

function ids(params: Params): { tenantId: string; integrationId: string } {
  const tenantId = parseId(tenantIdSchema, params.tenantId, 'tenantId');
  const integrationId =
    params.integrationId === undefined ? '' : parseId(integrationIdSchema, params.integrationId, 'integrationId');
  return { tenantId, integrationId };
}

function parseId(schema: typeof tenantIdSchema, value: string | undefined, name: string): string {
  const result = schema.safeParse(value);
  if (!result.success)
    throw new AppError('bad_request', `${name}: ${result.error.issues[0]!.message}`, { target: name });
  return result.data;
}

const notFound = () => new AppError('not_found', 'integration not found');

/** The integration named by the path, within the path's tenant; 404 otherwise. */
export async function loadIntegration(ctx: AdminContext, params: Params) {
  const { tenantId, integrationId } = ids(params);
  const integration = await ctx.services.integrations.get(tenantId, integrationId);
  if (!integration) throw notFound();
  return integration;
}

export function registerIntegrationRoutes(router: AdminRouter): void {
  router.add('POST', BASE, async (ctx, params) => {
    const { tenantId } = ids(params);
    const body = parseBody(createIntegrationSchema, await ctx.request.body());
    checkProviderOptions(body.provider, body.providerOptions, body.entities ?? DEFAULT_ENTITIES[body.provider]);
    await checkBaseUrl(body.provider, body.baseUrl);
    const integration = newIntegration(
      tenantId,
      randomUUID(),
      body,
      { intervalMinutes: ctx.services.settings.sync.defaultIntervalMinutes },
      ctx.services.now(),
    );
    const stored = await ctx.services.integrations.create(integration);
    ctx.logger.info('integration created', {
      tenantId,
      integrationId: stored.id,
      provider: stored.provider,
      by: ctx.principal.id,
    });
    return json(201, stored satisfies IntegrationView);
  });

  router.add('GET', BASE, async (ctx, params) => {
    const { tenantId } = ids(params);
    const integrations = await ctx.services.integrations.list(tenantId);
    const include = parseIncludes(ctx.request.query.get('include'));
    // Health always; the newest run, credential, records and conflicts when asked for (include=…).
    const items = await Promise.all(integrations.map((integration) => integrationOverview(ctx, integration, include)));
    return json(200, { items } satisfies IntegrationList);
  });

  router.add('GET', `${BASE}/:integrationId`, async (ctx, params) =>
    json(
      200,
      (await integrationOverview(
        ctx,
        await loadIntegration(ctx, params),
        parseIncludes(ctx.request.query.get('include')),
      )) satisfies IntegrationWithHealth,
    ),
  );

  router.add('PATCH', `${BASE}/:integrationId`, async (ctx, params) => {
    const current = await loadIntegration(ctx, params);
    const patch = parseBody(patchIntegrationSchema, await ctx.request.body());
    // What the integration will run with after the change: options and entities together decide what is needed.
    if (patch.providerOptions !== undefined || patch.entities !== undefined)
      checkProviderOptions(
        current.provider,
        patch.providerOptions ?? current.providerOptions,
        patch.entities ?? current.entities,
      );
    await checkBaseUrl(current.provider, patch.baseUrl);
    const stored = await ctx.services.integrations.replace(applyPatch(current, patch, ctx.services.now()));
    ctx.logger.info('integration changed', {
      integrationId: stored.id,
      fields: Object.keys(patch),
      by: ctx.principal.id,
    });
    return json(200, stored satisfies IntegrationView);
  });

  router.add('DELETE', `${BASE}/:integrationId`, async (ctx, params) => {
    const { tenantId, integrationId } = ids(params);
    const purge = ctx.request.query.get('purge');
    if (purge !== null && purge !== 'shards')
      throw new AppError('bad_request', 'purge: the only value is "shards"', { target: 'purge' });
    const integration = await ctx.services.integrations.get(tenantId, integrationId);
    if (!integration) throw notFound();
    // Subscriptions, the provider grant, sync state, credentials (and shards) first: a failure leaves the
    // integration in place, so the DELETE can be repeated (integration-cleanup.ts).
    const removed = await removeIntegrationData(ctx.services, ctx.logger, integration, {
      purgeShards: purge === 'shards',
    });
    if (!(await ctx.services.integrations.delete(tenantId, integrationId))) throw notFound();
    ctx.logger.info('integration deleted', { tenantId, integrationId, ...removed, by: ctx.principal.id });
    return { status: 204 };
  });

  router.add('GET', `${BASE}/:integrationId/runs`, async (ctx, params) => {
    const integration = await loadIntegration(ctx, params);
    const limit = Math.min(500, Math.max(1, Number(ctx.request.query.get('limit') ?? 100) || 100));
    return json(200, {
      items: await ctx.services.runs.list(integration.tenantId, integration.id, limit),
    } satisfies ListEnvelope<SyncRunView>);
  });

  router.add('GET', `${BASE}/:integrationId/runs/:runId`, async (ctx, params) => {
    const integration = await loadIntegration(ctx, params);
    const run = await ctx.services.runs.get(integration.tenantId, integration.id, params.runId!);
    if (!run) throw new AppError('not_found', 'run not found');
    return json(200, run satisfies SyncRunView);
  });

  router.add('POST', `${BASE}/:integrationId/sync`, async (ctx, params) => {
    const integration = await loadIntegration(ctx, params);
    const body = parseBody(startSyncSchema, await ctx.request.body());
    const { mode } = body;
    const scope = syncScope(integration, body, ctx.services.now(), ctx.services.adapters);
    if (!integration.enabled)
      throw new AppError('conflict', 'integration is disabled; enable it before syncing', { target: 'enabled' });
    const run = await startRun(ctx.services, {
      integration,
      mode,
      ...scope,
      trigger: 'manual',
      trace: ctx.trace,
      now: ctx.services.now(),
    });
    ctx.logger.info('sync requested', { integrationId: integration.id, runId: run.id, mode, by: ctx.principal.id });
    return json(202, { runId: run.id, status: run.status } satisfies StartSyncResponse);
  });
}
