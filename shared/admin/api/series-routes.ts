/**
 * Time series for the admin UI's charts, computed from what is stored (series-range.ts has the range rules):
 *   GET tenants/{tenantId}/metrics/runs?from=&to=&bucket=&integrationId=         records synced, failed runs per
 *       integration, run duration (from the run documents)
 *   GET tenants/{tenantId}/metrics/webhooks?from=&to=&bucket=&integrationId=     volume, verdicts, rejections by
 *       reason, handling-time percentiles (from the delivery receipts)
 *   GET tenants/{tenantId}/metrics/rate-limits?from=&to=&bucket=&provider=       429 answers and throttle waits
 *       per provider (from the limiter's per-minute counts, shared/ratelimit/throttle-history.ts)
 * Each reads only the path's tenant: a query filtered by tenant id, or counts kept under it.
 */
import { integrationIdSchema } from '../../core/integration';
import { isProviderId } from '../../core/providers';
import { json } from '../../platform/http/responses';
import type {
  IntegrationRunSeries,
  ProviderThrottleSeries,
  RateLimitMetricsResponse,
  RunMetricsResponse,
  WebhookMetricsResponse,
} from '../contracts/charts';
import type { AdminContext, AdminRouter } from './context';
import { badParam, parseSeriesRange, percentile, tenantOf, zeros, type Buckets } from './series-range';

/** Source documents read at most per answer; beyond it the answer says `truncated`. */
const MAX_RUNS = 20_000;
const MAX_RECEIPTS = 50_000;
/** Integrations whose names are looked up at most (a tenant has far fewer). */
const MAX_INTEGRATIONS = 1000;

function integrationParam(ctx: AdminContext): string | undefined {
  const value = ctx.request.query.get('integrationId') ?? undefined;
  if (value !== undefined && !integrationIdSchema.safeParse(value).success) throw badParam('integrationId', 'invalid');
  return value;
}

function isoRange(buckets: Buckets, integrationId?: string) {
  return {
    from: new Date(buckets.fromMs).toISOString(),
    to: new Date(buckets.toMs).toISOString(),
    ...(integrationId ? { integrationId } : {}),
  };
}

function percentiles(samples: number[][], p: number): Array<number | null> {
  return samples.map((values) => percentile(values, p));
}

function sortedSamples(count: number): number[][] {
  return Array.from({ length: count }, () => []);
}

async function runMetrics(ctx: AdminContext, tenantId: string): Promise<RunMetricsResponse> {
  const buckets = parseSeriesRange(ctx);
  const integrationId = integrationParam(ctx);
  const [{ runs, truncated }, integrations] = await Promise.all([
    ctx.services.runs.countersQueuedBetween(tenantId, isoRange(buckets, integrationId), MAX_RUNS),
    ctx.services.integrations.list(tenantId, MAX_INTEGRATIONS),
  ]);
  const names = new Map(integrations.map((integration) => [integration.id, integration.name]));
  const byIntegration = new Map<string, IntegrationRunSeries>();
  const durations = sortedSamples(buckets.count);
  for (const run of runs) {
    const index = buckets.indexOf(Date.parse(run.queuedAt));
    if (index < 0) continue;
    const id = run.integrationId ?? 'unknown';
    let series = byIntegration.get(id);
    if (!series) {
      const name = names.get(id);
      series = {
        integrationId: id,
        ...(name !== undefined ? { name } : {}),
        synced: zeros(buckets.count),
        failedRuns: zeros(buckets.count),
        runs: zeros(buckets.count),
      };
      byIntegration.set(id, series);
    }
    const counters = run.counters ?? {};
    series.runs[index]! += 1;
    series.synced[index]! += (counters.created ?? 0) + (counters.updated ?? 0) + (counters.deleted ?? 0);
    if (run.status === 'failed') series.failedRuns[index]! += 1;
    if (run.finishedAt && (run.status === 'succeeded' || run.status === 'failed')) {
      const ms = Date.parse(run.finishedAt) - Date.parse(run.startedAt ?? run.queuedAt);
      if (Number.isFinite(ms) && ms >= 0) durations[index]!.push(ms);
    }
  }
  for (const values of durations) values.sort((a, b) => a - b);
  return {
    ...buckets.range(),
    truncated,
    ...(integrationId ? { integrationId } : {}),
    integrations: [...byIntegration.values()].sort((a, b) =>
      (a.name ?? a.integrationId).localeCompare(b.name ?? b.integrationId),
    ),
    duration: {
      finished: durations.map((values) => values.length),
      p50Ms: percentiles(durations, 50),
      p99Ms: percentiles(durations, 99),
      maxMs: durations.map((values) => (values.length > 0 ? values[values.length - 1]! : null)),
    },
  };
}

async function webhookMetrics(ctx: AdminContext, tenantId: string): Promise<WebhookMetricsResponse> {
  const buckets = parseSeriesRange(ctx);
  const integrationId = integrationParam(ctx);
  const { rows, truncated } = await ctx.services.deliveryLog.statsBetween(
    tenantId,
    isoRange(buckets, integrationId),
    MAX_RECEIPTS,
  );
  const n = buckets.count;
  const answer: WebhookMetricsResponse = {
    ...buckets.range(),
    truncated,
    ...(integrationId ? { integrationId } : {}),
    received: zeros(n),
    accepted: zeros(n),
    duplicates: zeros(n),
    rejected: zeros(n),
    other: zeros(n),
    rejectedByReason: {},
    handlingP50Ms: [],
    handlingP99Ms: [],
  };
  const handling = sortedSamples(n);
  for (const row of rows) {
    const index = buckets.indexOf(Date.parse(row.receivedAt));
    if (index < 0) continue;
    const duplicates = row.verdict === 'accepted' ? (row.duplicates ?? 0) : 0;
    answer.received[index]! += 1 + duplicates;
    handling[index]!.push(row.handlingMs);
    if (row.verdict === 'accepted') {
      answer.accepted[index]! += 1;
      answer.duplicates[index]! += duplicates;
    } else if (row.verdict === 'duplicate') {
      answer.duplicates[index]! += 1;
    } else if (row.verdict === 'rejected') {
      answer.rejected[index]! += 1;
      const reason = row.reason ?? 'unknown';
      (answer.rejectedByReason[reason] ??= zeros(n))[index]! += 1;
    } else {
      answer.other[index]! += 1;
    }
  }
  for (const values of handling) values.sort((a, b) => a - b);
  answer.handlingP50Ms = percentiles(handling, 50);
  answer.handlingP99Ms = percentiles(handling, 99);
  return answer;
}

async function rateLimitMetrics(ctx: AdminContext, tenantId: string): Promise<RateLimitMetricsResponse> {
  const buckets = parseSeriesRange(ctx);
  const provider = ctx.request.query.get('provider') ?? undefined;
  if (provider !== undefined && !isProviderId(provider)) throw badParam('provider', 'not a known provider');
  const minutes = await ctx.services.rateLimiter.throttleHistory.read(tenantId, buckets.fromMs, buckets.toMs);
  const byProvider = new Map<string, ProviderThrottleSeries>();
  const seriesOf = (name: string) => {
    let series = byProvider.get(name);
    if (!series) {
      series = {
        provider: name,
        responses429: zeros(buckets.count),
        throttleWaits: zeros(buckets.count),
        throttleWaitMs: zeros(buckets.count),
      };
      byProvider.set(name, series);
    }
    return series;
  };
  if (provider) seriesOf(provider);
  for (const minute of minutes) {
    if (provider && minute.provider !== provider) continue;
    const index = buckets.indexOf(minute.minute);
    if (index < 0) continue;
    const series = seriesOf(minute.provider);
    series.responses429[index]! += minute.responses429;
    series.throttleWaits[index]! += minute.waits;
    series.throttleWaitMs[index]! += minute.waitMs;
  }
  return {
    ...buckets.range(),
    truncated: false,
    providers: [...byProvider.values()].sort((a, b) => a.provider.localeCompare(b.provider)),
  };
}

export function registerSeriesRoutes(router: AdminRouter): void {
  router.add('GET', 'tenants/:tenantId/metrics/runs', async (ctx, params) =>
    json(200, await runMetrics(ctx, tenantOf(params))),
  );
  router.add('GET', 'tenants/:tenantId/metrics/webhooks', async (ctx, params) =>
    json(200, await webhookMetrics(ctx, tenantOf(params))),
  );
  router.add('GET', 'tenants/:tenantId/metrics/rate-limits', async (ctx, params) =>
    json(200, await rateLimitMetrics(ctx, tenantOf(params))),
  );
}
