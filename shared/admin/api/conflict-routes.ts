/**
 * The conflicts inbox: records whose fields were held for a person (manual strategy, or a custom rule that
 * could not decide).
 *   GET  tenants/{tenantId}/conflicts?status=open|resolved&integrationId=
 *   GET  tenants/{tenantId}/conflicts/{conflictId}
 *   POST tenants/{tenantId}/conflicts/{conflictId}/resolve   {"choices": {"<field>": {"take": "local"|"remote"} | {"value": …}}}
 *   POST tenants/{tenantId}/conflicts/resolve                {"ids": [...], "take": "local"|"remote"}: bulk, one side for every field
 * Resolving writes the chosen values to the shard (ETag-guarded). When a chosen value differs from the
 * provider's and the integration pushes (outbound or bidirectional), the shard is marked as a local edit so the
 * outbound sync pushes it (`"pushed": true`); an inbound-only integration keeps the values locally and answers
 * `"pushed": false` with the reason. The base snapshot keeps the provider's value, so the next inbound sync
 * does not mistake it for a remote change.
 */
import { changedFieldNames } from '../../core/shard-history';
import { historyOf } from '../../sync/shard-history-writer';
import { z } from 'zod';
import { AppError, toAppError } from '../../core/app-error';
import { json, parseBody } from '../../platform/http/responses';
import { tenantIdSchema } from '../../core/integration';
import { applyManualResolution, applyPatch, isEmptyPatch, type ConflictDocument } from '../../conflicts';
import type { Stored } from '../../core/stored';
import type { Params } from '../../platform/http/router';
import type { AdminContext, AdminRouter } from './context';
import type { BulkResolveResponse, ConflictListResponse, ResolveConflictResponse } from '../contracts/operations';

const BASE = 'tenants/:tenantId/conflicts';
const resolveSchema = z.object({ choices: z.record(z.string(), z.unknown()) }).strict();
const MAX_BULK = 100;
const bulkResolveSchema = z
  .object({ ids: z.array(z.string().min(1).max(200)).min(1).max(MAX_BULK), take: z.enum(['local', 'remote']) })
  .strict();

function tenantOf(params: Params): string {
  const parsed = tenantIdSchema.safeParse(params.tenantId);
  if (!parsed.success) throw new AppError('bad_request', 'tenantId: invalid', { target: 'tenantId' });
  return parsed.data;
}

async function loadConflict(
  ctx: AdminContext,
  tenantId: string,
  conflictId: string,
): Promise<Stored<ConflictDocument>> {
  const conflict = await ctx.services.conflicts.get(tenantId, conflictId);
  if (!conflict) throw new AppError('not_found', 'conflict not found');
  return conflict;
}

export function registerConflictRoutes(router: AdminRouter): void {
  router.add('GET', BASE, async (ctx, params) => {
    const tenantId = tenantOf(params);
    const status = ctx.request.query.get('status') ?? 'open';
    if (status !== 'open' && status !== 'resolved')
      throw new AppError('bad_request', 'status: must be open or resolved', { target: 'status' });
    const integrationId = ctx.request.query.get('integrationId');
    const items = await ctx.services.conflicts.list(tenantId, {
      status,
      ...(integrationId ? { integrationId } : {}),
    });
    return json(200, { items } satisfies ConflictListResponse);
  });

  router.add('GET', `${BASE}/:conflictId`, async (ctx, params) =>
    json(200, await loadConflict(ctx, tenantOf(params), params.conflictId!)),
  );

  router.add('POST', `${BASE}/:conflictId/resolve`, async (ctx, params) => {
    const tenantId = tenantOf(params);
    const conflict = await loadConflict(ctx, tenantId, params.conflictId!);
    const { choices } = parseBody(resolveSchema, await ctx.request.body());
    return json(200, (await resolveConflict(ctx, conflict, choices)) satisfies ResolveConflictResponse);
  });

  // Bulk: several conflicts, every held field taking one side. One that fails (already resolved, shard
  // gone, a concurrent resolve) is reported by id and does not stop the others.
  router.add('POST', `${BASE}/resolve`, async (ctx, params) => {
    const tenantId = tenantOf(params);
    const { ids, take } = parseBody(bulkResolveSchema, await ctx.request.body());
    const answer: BulkResolveResponse = { resolved: [], failed: [] };
    for (const id of new Set(ids)) {
      try {
        const conflict = await loadConflict(ctx, tenantId, id);
        const choices = Object.fromEntries(conflict.fields.map((held) => [held.field, { take }]));
        const { pushPending, pushed, reason } = await resolveConflict(ctx, conflict, choices);
        answer.resolved.push({ id, pushPending, pushed, ...(reason ? { reason } : {}) });
      } catch (error) {
        const { code, message } = toAppError(error);
        answer.failed.push({ id, error: { code, message } });
      }
    }
    ctx.logger.info('conflicts resolved in bulk', {
      take,
      resolved: answer.resolved.length,
      failed: answer.failed.length,
      by: ctx.principal.id,
    });
    return json(200, answer);
  });
}

/**
 * Applies a person's choices: the shard gets the chosen values, the base snapshot keeps the provider's
 * values until a push, and the conflict document is replaced IfMatch its ETag.
 */
async function resolveConflict(
  ctx: AdminContext,
  conflict: Stored<ConflictDocument>,
  choices: Record<string, unknown>,
): Promise<ResolveConflictResponse> {
  const tenantId = conflict.tenantId;
  let resolution;
  try {
    resolution = applyManualResolution(conflict, choices, { now: ctx.services.now(), resolvedBy: ctx.principal.id });
  } catch (error) {
    const appError = error as AppError;
    throw appError.code === 'validation'
      ? new AppError('bad_request', appError.message, { target: appError.target })
      : error;
  }
  const shard = await ctx.services.shards.get(tenantId, conflict.shardId);
  if (!shard) throw new AppError('not_found', "the conflict's shard no longer exists");
  const differs = !isEmptyPatch(resolution.remotePatch);
  // Only an integration that pushes (outbound or bidirectional) can carry the chosen values to the provider; an
  // inbound-only one keeps them locally and says so, instead of promising a push that never happens.
  const integration = await ctx.services.integrations.get(tenantId, conflict.integrationId);
  const pushes = integration !== undefined && integration.direction !== 'inbound';
  const needsPush = differs && pushes;
  const reason = needsPush
    ? undefined
    : differs
      ? integration
        ? `"${integration.name}" is inbound-only: the chosen values are kept locally and not pushed to ${integration.provider}`
        : 'the integration no longer exists: the chosen values are kept locally'
      : "the chosen values are the provider's: nothing to push";
  const written = await ctx.services.shards.replace({
    ...shard,
    data: applyPatch(shard.data as Record<string, never>, resolution.localPatch),
    lastWrittenBy: needsPush ? 'local' : shard.lastWrittenBy,
    updatedAt: ctx.services.now().toISOString(),
  });
  await historyOf(ctx.services).record([
    {
      tenantId,
      shardId: shard.id,
      source: 'conflict',
      actor: ctx.principal.id,
      integrationId: conflict.integrationId,
      changedFields: changedFieldNames(shard.data, written.data),
      key: conflict.id,
    },
  ]);
  const states = await ctx.services.syncState.records(conflict.integrationId, conflict.entity, [conflict.externalId]);
  const state = states.get(conflict.externalId);
  if (state)
    await ctx.services.syncState.saveRecords([
      {
        ...state,
        base: applyPatch(state.base as Record<string, never>, resolution.basePatch),
        updatedAt: ctx.services.now().toISOString(),
      },
    ]);
  const resolved = { ...resolution.resolved, _etag: conflict._etag };
  // IfMatch: a second person resolving the same conflict at the same time gets precondition_failed.
  await ctx.services.conflicts.replace(resolved);
  ctx.logger.info('conflict resolved', {
    conflictId: conflict.id,
    integrationId: conflict.integrationId,
    fields: Object.keys(resolution.values),
    pushed: needsPush,
    ...(reason ? { reason } : {}),
    by: ctx.principal.id,
  });
  return {
    ...(resolved as ConflictDocument),
    pushPending: needsPush,
    pushed: needsPush,
    ...(reason ? { reason } : {}),
  };
}
