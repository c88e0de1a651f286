/**
 * The time range of a chart's series: `from`, `to` (ISO date-times; default the last 24 hours) and `bucket`
 * ("15m", "1h", "1d"; default 1h), the same rules as GET …/metrics/sync: at most 92 days and 500 buckets, each
 * bad parameter a 400 naming it. Buckets are aligned to the bucket size (UTC), so overlapping requests agree.
 */
import { AppError } from '../../core/app-error';
import { tenantIdSchema } from '../../core/integration';
import type { SeriesRange } from '../contracts/charts';
import type { AdminContext } from './context';
import { parseBucket } from './metrics-routes';

const DEFAULT_SPAN_MS = 24 * 3600_000;
const MAX_SPAN_MS = 92 * 24 * 3600_000;
export const MAX_BUCKETS = 500;

export function badParam(field: string, message: string): AppError {
  return new AppError('bad_request', `${field}: ${message}`, { target: field });
}

function timeParam(value: string | null, field: string, fallback: number): number {
  if (value === null) return fallback;
  const at = Date.parse(value);
  if (Number.isNaN(at)) throw badParam(field, 'must be an ISO-8601 date-time');
  return at;
}

export interface Buckets {
  fromMs: number;
  toMs: number;
  bucketMs: number;
  /** Start of the first bucket (at or before fromMs). */
  firstMs: number;
  count: number;
  /** The bucket of a time inside [fromMs, toMs); -1 outside it. */
  indexOf(atMs: number): number;
  /** The shared part of every series answer (without `truncated`). */
  range(): Omit<SeriesRange, 'truncated'>;
}

export function tenantOf(params: Record<string, string | undefined>): string {
  const tenant = tenantIdSchema.safeParse(params.tenantId);
  if (!tenant.success) throw badParam('tenantId', 'invalid');
  return tenant.data;
}

export function parseSeriesRange(ctx: AdminContext): Buckets {
  const query = ctx.request.query;
  const now = ctx.services.now().getTime();
  const toMs = timeParam(query.get('to'), 'to', now);
  const fromMs = timeParam(query.get('from'), 'from', toMs - DEFAULT_SPAN_MS);
  if (fromMs >= toMs) throw badParam('from', 'must be before to');
  if (toMs - fromMs > MAX_SPAN_MS) throw badParam('from', 'the range may span at most 92 days');
  const bucketMs = parseBucket(query.get('bucket'));
  const firstMs = Math.floor(fromMs / bucketMs) * bucketMs;
  const count = Math.ceil((toMs - firstMs) / bucketMs);
  if (count > MAX_BUCKETS) throw badParam('bucket', `too small for this range (at most ${MAX_BUCKETS} buckets)`);
  return {
    fromMs,
    toMs,
    bucketMs,
    firstMs,
    count,
    indexOf: (atMs) => (atMs >= fromMs && atMs < toMs ? Math.floor((atMs - firstMs) / bucketMs) : -1),
    range: () => ({
      from: new Date(fromMs).toISOString(),
      to: new Date(toMs).toISOString(),
      bucketMs,
      starts: Array.from({ length: count }, (_, index) => new Date(firstMs + index * bucketMs).toISOString()),
    }),
  };
}

export function zeros(count: number): number[] {
  return new Array<number>(count).fill(0);
}

/** Nearest-rank percentile of an ascending list (the endpoint health figures use the same rule). */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
