/**
 * The record browser and record history (issue 18 §4):
 *   GET tenants/{tenantId}/shards?integrationId=&entity=&q=&limit=&continuationToken=
 *       live shards of the tenant, by id, `limit` (1-100, default 50) a page; `continuationToken` when there are more
 *   GET tenants/{tenantId}/shards/{shardId}/history
 *       which run or person changed which fields, newest first, within SHARD_HISTORY_RETENTION_DAYS (at most 200)
 * `q` matches a shard id or a source record's external id exactly, or the title fields (shared/core/shard-title.ts)
 * in any case. An unknown query parameter, a bad value or a token that is not ours answers 400 naming it; another
 * tenant's integration or shard answers 404 like an unknown one.
 */
import { z } from 'zod';
import { AppError } from '../../core/app-error';
import { integrationIdSchema, tenantIdSchema } from '../../core/integration';
import type { Shard } from '../../core/shard';
import { shardTitle } from '../../core/shard-title';
import type { ShardBrowseFilter } from '../../stores/documents/shards-repository';
import { json } from '../../platform/http/responses';
import { shardTypeOf } from '../../sync/outbound/scan';
import type { ShardHistoryResponse, ShardListResponse, ShardSummary } from '../contracts/records';
import type { AdminRouter } from './context';

const BASE = 'tenants/:tenantId/shards';
const DEFAULT_PAGE = 50;
const MAX_PAGE = 100;
const MAX_HISTORY = 200;
const LIST_PARAMS = new Set(['integrationId', 'entity', 'q', 'limit', 'continuationToken']);

const shardIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/, 'must be 1-128 letters, digits, ".", "-" or "_"');
const textSchema = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');
const limitSchema = z.coerce
  .number()
  .int('must be a whole number')
  .min(1, 'must be at least 1')
  .max(MAX_PAGE, `must be at most ${MAX_PAGE}`);
const tokenSchema = z.object({ after: shardIdSchema }).strict();

function param<T>(schema: z.ZodType<T>, value: string | null | undefined, name: string): T {
  const result = schema.safeParse(value ?? undefined);
  if (!result.success)
    throw new AppError('bad_request', `${name}: ${result.error.issues[0]!.message}`, { target: name });
  return result.data;
}

/** The token is the last id of the page, opaque to the caller (base64url JSON), so the paging can change. */
function encodeToken(afterId: string): string {
  return Buffer.from(JSON.stringify({ after: afterId })).toString('base64url');
}

function decodeToken(token: string): string {
  try {
    return tokenSchema.parse(JSON.parse(Buffer.from(token, 'base64url').toString('utf8'))).after;
  } catch {
    throw new AppError('bad_request', 'continuationToken: is not a token this API gave', {
      target: 'continuationToken',
    });
  }
}

function summaryOf(shard: Shard): ShardSummary {
  const title = shardTitle(shard.data);
  return {
    id: shard.id,
    shardType: shard.shardType,
    ...(title !== undefined ? { title } : {}),
    externalRefs: shard.externalRefs,
    links: shard.links,
    lastWrittenBy: shard.lastWrittenBy,
    updatedAt: shard.updatedAt,
    ...(shard.targetIntegrationId !== undefined ? { targetIntegrationId: shard.targetIntegrationId } : {}),
    ...(shard.pushError !== undefined ? { pushError: shard.pushError } : {}),
  };
}

export function registerShardBrowseRoutes(router: AdminRouter): void {
  router.add('GET', BASE, async (ctx, params) => {
    const tenantId = param(tenantIdSchema, params.tenantId, 'tenantId');
    const query = ctx.request.query;
    for (const name of query.keys())
      if (!LIST_PARAMS.has(name))
        throw new AppError('bad_request', `${name}: unknown parameter (one of ${[...LIST_PARAMS].join(', ')})`, {
          target: name,
        });
    const filter: ShardBrowseFilter = {};
    const integrationId = query.get('integrationId');
    const entity = query.has('entity') ? param(textSchema, query.get('entity'), 'entity') : undefined;
    if (integrationId !== null) {
      filter.integrationId = param(integrationIdSchema, integrationId, 'integrationId');
      const integration = await ctx.services.integrations.get(tenantId, filter.integrationId);
      if (!integration) throw new AppError('not_found', 'integration not found', { target: 'integrationId' });
      if (entity !== undefined) {
        if (!integration.entities.includes(entity))
          throw new AppError('bad_request', `entity: must be one of ${integration.entities.join(', ')}`, {
            target: 'entity',
          });
        filter.shardType = shardTypeOf(integration, entity);
      }
    }
    if (entity !== undefined) filter.entity = entity;
    if (query.has('q')) {
      const q = query.get('q')!.trim();
      if (q !== '') filter.q = param(textSchema, q, 'q');
    }
    const limit = query.has('limit') ? param(limitSchema, query.get('limit'), 'limit') : DEFAULT_PAGE;
    const token = query.get('continuationToken');
    const afterId = token !== null ? decodeToken(token) : undefined;
    const page = await ctx.services.shards.browse(tenantId, filter, {
      limit,
      ...(afterId !== undefined ? { afterId } : {}),
    });
    const answer: ShardListResponse = {
      items: page.items.map(summaryOf),
      ...(page.nextAfterId !== undefined ? { continuationToken: encodeToken(page.nextAfterId) } : {}),
    };
    return json(200, answer);
  });

  router.add('GET', `${BASE}/:shardId/history`, async (ctx, params) => {
    const tenantId = param(tenantIdSchema, params.tenantId, 'tenantId');
    const shardId = param(shardIdSchema, params.shardId, 'shardId');
    const shard = await ctx.services.shards.get(tenantId, shardId);
    if (!shard) throw new AppError('not_found', 'shard not found');
    const retentionMs = ctx.services.settings.shardHistory.retentionDays * 86_400_000;
    const since = new Date(ctx.services.now().getTime() - retentionMs).toISOString();
    const entries = await ctx.services.documents.shardHistory.list(tenantId, shardId, since, MAX_HISTORY);
    const answer: ShardHistoryResponse = {
      items: entries.map((entry) => ({
        at: entry.at,
        source: entry.source,
        ...(entry.runId !== undefined ? { runId: entry.runId } : {}),
        ...(entry.actor !== undefined ? { actor: entry.actor } : {}),
        ...(entry.integrationId !== undefined ? { integrationId: entry.integrationId } : {}),
        changedFields: entry.changedFields,
      })),
    };
    // The creating run is kept on the shard (Shard.created), not as a document: the oldest item, within retention.
    if (shard.created && shard.created.at >= since && answer.items.length < MAX_HISTORY)
      answer.items.push({
        at: shard.created.at,
        source: 'provider',
        runId: shard.created.runId,
        integrationId: shard.created.integrationId,
        changedFields: shard.created.fields,
        created: true,
      });
    return json(200, answer);
  });
}
