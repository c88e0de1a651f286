/**
 * Admin routes through which the internal platform reads and changes shards (a "local edit"):
 *   GET   tenants/{tenantId}/shards/{shardId}   the shard, with its ETag (header and `_etag`)
 *   PATCH tenants/{tenantId}/shards/{shardId}   {"data": {...}} merged into shard.data (top-level keys; null clears);
 *                                              If-Match optional: a stale ETag answers 412
 *   POST  tenants/{tenantId}/shards             {"integrationId", "shardType", "data"}: a new local record, to be
 *                                              created in that integration by the outbound push
 * A local edit is marked lastWrittenBy "local", which is what the outbound scan pushes. Another tenant's shard
 * answers exactly like an unknown one (404).
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { AppError, isAppError } from '../../core/app-error';
import { integrationIdSchema, tenantIdSchema } from '../../core/integration';
import { json, parseBody } from '../../platform/http/responses';
import type { Params } from '../../platform/http/router';
import type { Shard } from '../../core/shard';
import type { Stored } from '../../core/stored';
import { shardTypeOf } from '../../sync/outbound/scan';
import { changedFieldNames } from '../../core/shard-history';
import { historyOf } from '../../sync/shard-history-writer';
import type { AdminContext, AdminRouter } from './context';

const BASE = 'tenants/:tenantId/shards';
/** Replaces retried when the caller gave no If-Match and someone else wrote in between. */
const UNGUARDED_ATTEMPTS = 3;

const shardIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/, 'must be 1-128 letters, digits, ".", "-" or "_"');
const dataSchema = z
  .record(z.string().min(1).max(200), z.unknown())
  .refine((data) => Object.keys(data).length > 0, 'at least one field must be given');
const patchShardSchema = z.object({ data: dataSchema }).strict();
const createShardSchema = z
  .object({ integrationId: integrationIdSchema, shardType: z.string().min(1).max(200), data: dataSchema })
  .strict();

function param<T>(schema: z.ZodType<T>, value: string | undefined, name: string): T {
  const result = schema.safeParse(value);
  if (!result.success)
    throw new AppError('bad_request', `${name}: ${result.error.issues[0]!.message}`, { target: name });
  return result.data;
}

const notFound = () => new AppError('not_found', 'shard not found');

async function loadShard(ctx: AdminContext, params: Params): Promise<Stored<Shard>> {
  const tenantId = param(tenantIdSchema, params.tenantId, 'tenantId');
  const shardId = param(shardIdSchema, params.shardId, 'shardId');
  const shard = await ctx.services.shards.get(tenantId, shardId);
  if (!shard) throw notFound();
  return shard;
}

function shardResponse(status: number, shard: Stored<Shard>) {
  return json(status, shard, { etag: shard._etag });
}

export function registerShardRoutes(router: AdminRouter): void {
  router.add('GET', `${BASE}/:shardId`, async (ctx, params) => shardResponse(200, await loadShard(ctx, params)));

  router.add('PATCH', `${BASE}/:shardId`, async (ctx, params) => {
    const { data } = parseBody(patchShardSchema, await ctx.request.body());
    const ifMatch = ctx.request.header('if-match') ?? undefined;
    for (let attempt = 1; ; attempt++) {
      const current = await loadShard(ctx, params);
      if (ifMatch !== undefined && ifMatch !== '*' && ifMatch !== current._etag) {
        throw new AppError('precondition_failed', 'shard was changed since the given If-Match ETag', {
          target: 'If-Match',
          httpStatus: 412,
        });
      }
      if (current.deleted) throw new AppError('conflict', 'shard is deleted', { target: 'shardId' });
      try {
        const stored = await ctx.services.shards.replace({
          ...current,
          data: { ...current.data, ...data },
          lastWrittenBy: 'local',
          updatedAt: ctx.services.now().toISOString(),
        });
        await historyOf(ctx.services).record([
          {
            tenantId: stored.tenantId,
            shardId: stored.id,
            source: 'admin',
            actor: ctx.principal.id,
            changedFields: changedFieldNames(current.data, stored.data),
            key: stored._etag,
          },
        ]);
        ctx.logger.info('shard changed locally', {
          tenantId: stored.tenantId,
          shardId: stored.id,
          fields: Object.keys(data),
          by: ctx.principal.id,
        });
        return shardResponse(200, stored);
      } catch (error) {
        const raced = isAppError(error) && error.code === 'precondition_failed';
        if (!raced || ifMatch !== undefined || attempt >= UNGUARDED_ATTEMPTS) {
          throw raced
            ? new AppError('precondition_failed', 'shard was changed by someone else; read it again', {
                target: 'If-Match',
                httpStatus: 412,
              })
            : error;
        }
      }
    }
  });

  router.add('POST', BASE, async (ctx, params) => {
    const tenantId = param(tenantIdSchema, params.tenantId, 'tenantId');
    const body = parseBody(createShardSchema, await ctx.request.body());
    const integration = await ctx.services.integrations.get(tenantId, body.integrationId);
    if (!integration) throw new AppError('not_found', 'integration not found', { target: 'integrationId' });
    const types = integration.entities.map((entity) => shardTypeOf(integration, entity));
    if (!types.includes(body.shardType))
      throw new AppError('bad_request', `shardType: must be one of ${types.join(', ')}`, { target: 'shardType' });
    const now = ctx.services.now().toISOString();
    const shard: Shard = {
      id: `sh-local-${randomUUID()}`,
      tenantId,
      shardType: body.shardType,
      data: body.data,
      externalRefs: [],
      links: [],
      lastWrittenBy: 'local',
      deleted: false,
      updatedAt: now,
      targetIntegrationId: integration.id,
    };
    await ctx.services.shards.upsertMany([shard]);
    const stored = await ctx.services.shards.get(tenantId, shard.id);
    await historyOf(ctx.services).record([
      {
        tenantId,
        shardId: shard.id,
        source: 'admin',
        actor: ctx.principal.id,
        integrationId: integration.id,
        changedFields: Object.keys(body.data),
        key: 'created',
      },
    ]);
    ctx.logger.info('shard created locally', {
      tenantId,
      shardId: shard.id,
      integrationId: integration.id,
      by: ctx.principal.id,
    });
    return shardResponse(201, stored!);
  });
}
