/**
 * Records synced and errors over time, for the health page's chart:
 *   GET tenants/{tenantId}/metrics/sync?from=&to=&bucket=&integrationId=
 * Aggregates the tenant's run documents by the time they were queued, in buckets of `bucket` (e.g. "15m",
 * "1h", "1d"; default 1h) over [from, to) (default: the last 24 hours). Tenant-scoped like every admin read:
 * only runs whose tenantId is the path's are counted.
 */
import { AppError } from '../../core/app-error';
import { integrationIdSchema, tenantIdSchema } from '../../core/integration';
import type { RunCounters } from '../../core/sync-run';
import type { RunCountersRow } from '../../stores/documents/sync-runs-repository';
import { json } from '../../platform/http/responses';
import type { SyncMetricsBucket, SyncMetricsResponse } from '../contracts/operations';
import type { AdminRouter } from './context';

const DEFAULT_SPAN_MS = 24 * 3600_000;
const MAX_SPAN_MS = 92 * 24 * 3600_000;
const MAX_BUCKETS = 500;
/** Runs read at most per request; beyond it the answer says `truncated` (the figures then undercount). */
const MAX_RUNS = 20_000;
const UNIT_MS = { m: 60_000, h: 3600_000, d: 24 * 3600_000 } as const;

type RunRow = RunCountersRow;

function bad(field: string, message: string): AppError {
  return new AppError('bad_request', `${field}: ${message}`, { target: field });
}

function timeParam(value: string | null, field: string, fallback: number): number {
  if (value === null) return fallback;
  const at = Date.parse(value);
  if (Number.isNaN(at)) throw bad(field, 'must be an ISO-8601 date-time');
  return at;
}

export function parseBucket(value: string | null): number {
  if (value === null) return UNIT_MS.h;
  const match = /^([1-9][0-9]{0,3})([mhd])$/.exec(value);
  if (!match) throw bad('bucket', 'must be a number of minutes, hours or days, e.g. "15m", "1h" or "1d"');
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}

function emptyBucket(start: number): SyncMetricsBucket {
  return {
    start: new Date(start).toISOString(),
    runs: 0,
    failedRuns: 0,
    synced: 0,
    fetched: 0,
    created: 0,
    updated: 0,
    deleted: 0,
    unchanged: 0,
    conflicts: 0,
    errors: 0,
  };
}

function add(into: Omit<SyncMetricsBucket, 'start'>, run: RunRow): void {
  const counters: Partial<RunCounters> = run.counters ?? {};
  into.runs += 1;
  if (run.status === 'failed') into.failedRuns += 1;
  for (const name of ['fetched', 'created', 'updated', 'deleted', 'unchanged', 'conflicts', 'errors'] as const)
    into[name] += counters[name] ?? 0;
  into.synced += (counters.created ?? 0) + (counters.updated ?? 0) + (counters.deleted ?? 0);
}

/** Buckets aligned to the bucket size (UTC), so two requests over overlapping ranges agree. */
export function aggregate(
  runs: readonly RunRow[],
  fromMs: number,
  toMs: number,
  bucketMs: number,
): { buckets: SyncMetricsBucket[]; totals: Omit<SyncMetricsBucket, 'start'> } {
  const first = Math.floor(fromMs / bucketMs) * bucketMs;
  const buckets: SyncMetricsBucket[] = [];
  for (let start = first; start < toMs; start += bucketMs) buckets.push(emptyBucket(start));
  const { start: _start, ...totals } = emptyBucket(0);
  void _start;
  for (const run of runs) {
    const at = Date.parse(run.queuedAt);
    if (!(at >= fromMs && at < toMs)) continue;
    add(buckets[Math.floor((at - first) / bucketMs)]!, run);
    add(totals, run);
  }
  return { buckets, totals };
}

export function registerMetricsRoutes(router: AdminRouter): void {
  router.add('GET', 'tenants/:tenantId/metrics/sync', async (ctx, params) => {
    const tenant = tenantIdSchema.safeParse(params.tenantId);
    if (!tenant.success) throw bad('tenantId', 'invalid');
    const query = ctx.request.query;
    const now = ctx.services.now().getTime();
    const toMs = timeParam(query.get('to'), 'to', now);
    const fromMs = timeParam(query.get('from'), 'from', toMs - DEFAULT_SPAN_MS);
    if (fromMs >= toMs) throw bad('from', 'must be before to');
    if (toMs - fromMs > MAX_SPAN_MS) throw bad('from', 'the range may span at most 92 days');
    const bucketMs = parseBucket(query.get('bucket'));
    if (Math.ceil((toMs - fromMs) / bucketMs) > MAX_BUCKETS)
      throw bad('bucket', `too small for this range (at most ${MAX_BUCKETS} buckets)`);
    const integrationId = query.get('integrationId') ?? undefined;
    if (integrationId !== undefined && !integrationIdSchema.safeParse(integrationId).success)
      throw bad('integrationId', 'invalid');

    // Only the fields the chart needs, across the tenant's integrations.
    const { runs, truncated } = await ctx.services.runs.countersQueuedBetween(
      tenant.data,
      { from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString(), integrationId },
      MAX_RUNS,
    );
    const answer: SyncMetricsResponse = {
      from: new Date(fromMs).toISOString(),
      to: new Date(toMs).toISOString(),
      bucketMs,
      ...(integrationId ? { integrationId } : {}),
      ...aggregate(runs, fromMs, toMs, bucketMs),
      truncated,
    };
    return json(200, answer);
  });
}
