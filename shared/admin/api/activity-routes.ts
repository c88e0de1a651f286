/**
 * The activity log and the per-run log (issue 18 §3):
 *   GET tenants/{tenantId}/activity?integrationId=&type=&status=&from=&to=&continuationToken=&limit=
 *       → {items: [{at, type, integrationId, integrationName, status, summary, runId?, deliveryId?, actor?}],
 *          continuationToken?}, newest first, across the tenant's integrations
 *   GET tenants/{tenantId}/integrations/{integrationId}/runs/{runId}/log
 *       → {items: [{at, level, message, page?, request?: {method, url, status, durationMs, attempt, rateLimitRemaining?}}]}
 * Every bad query parameter is a 400 naming it; another tenant's integration or run is a 404.
 */
import { AppError } from '../../core/app-error';
import { isPathId } from '../../platform/http/router';
import { json } from '../../platform/http/responses';
import type { ActivityDoc, ActivityFilter } from '../../stores/documents/activity-repository';
import {
  ACTIVITY_TYPES,
  type ActivityItem,
  type ActivityPage,
  type ActivityType,
  type RunLog,
} from '../contracts/activity';
import type { AdminRouter } from './context';
import { loadIntegration } from './integration-routes';

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 200;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
/** An activity id (activityDocId): an ISO time, "~", hex. */
const ACTIVITY_ID = /^\d{4}-\d{2}-\d{2}T[\d:.]+Z~[0-9a-f]{1,32}$/;

const bad = (target: string, message: string) => new AppError('bad_request', `${target}: ${message}`, { target });

function isoParam(query: URLSearchParams, name: 'from' | 'to'): string | undefined {
  const raw = query.get(name);
  if (raw === null || raw === '') return undefined;
  const ms = Date.parse(raw);
  if (!ISO_DATE.test(raw) || Number.isNaN(ms)) throw bad(name, 'must be an ISO-8601 date or date-time');
  // A bare date as "to" means the whole day.
  if (name === 'to' && /^\d{4}-\d{2}-\d{2}$/.test(raw)) return new Date(ms + 86_400_000 - 1).toISOString();
  return new Date(ms).toISOString();
}

export function parseActivityQuery(query: URLSearchParams): { filter: ActivityFilter; limit: number; after?: string } {
  const filter: ActivityFilter = {};
  const integrationId = query.get('integrationId');
  if (integrationId) {
    if (!isPathId(integrationId)) throw bad('integrationId', 'must be an integration id');
    filter.integrationId = integrationId;
  }
  const type = query.get('type');
  if (type) {
    if (!(ACTIVITY_TYPES as readonly string[]).includes(type))
      throw bad('type', `must be one of ${ACTIVITY_TYPES.join(', ')}`);
    filter.type = type as ActivityType;
  }
  const status = query.get('status');
  if (status) {
    if (!/^[a-z_]{1,40}$/.test(status)) throw bad('status', 'must be a status word such as failed or changed');
    filter.status = status;
  }
  const from = isoParam(query, 'from');
  const to = isoParam(query, 'to');
  if (from) filter.from = from;
  if (to) filter.to = to;
  if (from && to && from > to) throw bad('from', 'must not be after to');
  const rawLimit = query.get('limit');
  let limit = DEFAULT_LIMIT;
  if (rawLimit) {
    limit = Number(rawLimit);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT)
      throw bad('limit', `must be a whole number from 1 to ${MAX_LIMIT}`);
  }
  const token = query.get('continuationToken');
  let after: string | undefined;
  if (token) {
    after = Buffer.from(token, 'base64url').toString('utf8');
    if (!ACTIVITY_ID.test(after)) throw bad('continuationToken', 'is not a token this endpoint gave');
  }
  return { filter, limit, ...(after ? { after } : {}) };
}

function toItem(doc: ActivityDoc): ActivityItem {
  return {
    at: doc.at,
    type: doc.type,
    integrationId: doc.integrationId,
    integrationName: doc.integrationName,
    status: doc.status,
    summary: doc.summary,
    ...(doc.runId ? { runId: doc.runId } : {}),
    ...(doc.deliveryId ? { deliveryId: doc.deliveryId } : {}),
    ...(doc.actor ? { actor: doc.actor } : {}),
  };
}

export function registerActivityRoutes(router: AdminRouter): void {
  router.add('GET', 'tenants/:tenantId/activity', async (ctx, params) => {
    const tenantId = params.tenantId!;
    const { filter, limit, after } = parseActivityQuery(ctx.request.query);
    // Entries of this instance still gathering are written first, so an operator sees the change just made.
    await ctx.services.activity.flush();
    const page = await ctx.services.documents.activity.list(tenantId, filter, { limit, ...(after ? { after } : {}) });
    return json(200, {
      items: page.items.map(toItem),
      ...(page.after ? { continuationToken: Buffer.from(page.after, 'utf8').toString('base64url') } : {}),
    } satisfies ActivityPage);
  });

  router.add('GET', 'tenants/:tenantId/integrations/:integrationId/runs/:runId/log', async (ctx, params) => {
    const integration = await loadIntegration(ctx, params);
    const run = await ctx.services.runs.get(integration.tenantId, integration.id, params.runId!);
    if (!run) throw new AppError('not_found', 'run not found', { target: 'runId' });
    const pages = await ctx.services.documents.activity.runLog(integration.tenantId, integration.id, run.id);
    return json(200, { items: pages.flatMap((page) => page.items) } satisfies RunLog);
  });
}
