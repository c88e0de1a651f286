/**
 * Typed contracts of the admin API's time series (runs, webhooks, rate limits) and the webhook delivery viewer,
 * shared by the routes and the admin UI. Types only: the UI bundles this file.
 *
 * Every series answers buckets aligned to the bucket size (UTC) over [from, to): `bucket` is a number of minutes,
 * hours or days ("15m", "1h", "1d"; default 1h), `from`/`to` ISO date-times (default: the last 24 hours), at most
 * 500 buckets and 92 days. `truncated`: more source documents matched than one answer reads (the figures then
 * undercount).
 */
import type { DeliveryReceipt, DeliveryVerdict } from '../../webhooks/intake/receipt-types';
import type { RunStatus } from './integrations';

export interface SeriesRange {
  from: string;
  to: string;
  bucketMs: number;
  /** The bucket starts, ISO times; every series of the answer has one value per start. */
  starts: string[];
  truncated: boolean;
}

// ---- runs ----------------------------------------------------------------------------------------------

/** Records synced (created + updated + deleted) and failed runs of one integration, per bucket. */
export interface IntegrationRunSeries {
  integrationId: string;
  /** The integration's name (absent when it has been deleted since). */
  name?: string;
  synced: number[];
  failedRuns: number[];
  runs: number[];
}

/**
 * GET tenants/{t}/metrics/runs?from=&to=&bucket=&integrationId=
 * Runs by the time they were queued. Duration: startedAt (else queuedAt) to finishedAt, of runs that finished.
 */
export interface RunMetricsResponse extends SeriesRange {
  integrationId?: string;
  integrations: IntegrationRunSeries[];
  duration: {
    /** Finished runs per bucket (the sample the percentiles are taken over). */
    finished: number[];
    /** Nearest-rank percentiles in milliseconds; null where the bucket has no finished run. */
    p50Ms: Array<number | null>;
    p99Ms: Array<number | null>;
    maxMs: Array<number | null>;
  };
}

// ---- webhooks ------------------------------------------------------------------------------------------

/**
 * GET tenants/{t}/metrics/webhooks?from=&to=&bucket=&integrationId=
 * From the delivery receipts. `received` counts every delivery: receipts plus the duplicate copies counted on
 * accepted ones (a duplicate is counted in the bucket of the delivery it repeats). `other`: handshakes,
 * challenges and channel messages that carry no event.
 */
export interface WebhookMetricsResponse extends SeriesRange {
  integrationId?: string;
  received: number[];
  accepted: number[];
  duplicates: number[];
  rejected: number[];
  other: number[];
  /** Rejections per reason (`bad_signature`, `stale_timestamp`…), one value per bucket. */
  rejectedByReason: Record<string, number[]>;
  /** Receipt handling time, nearest-rank percentiles in milliseconds; null where the bucket is empty. */
  handlingP50Ms: Array<number | null>;
  handlingP99Ms: Array<number | null>;
}

// ---- rate limits ---------------------------------------------------------------------------------------

export interface ProviderThrottleSeries {
  provider: string;
  /** The provider's 429 (Too Many Requests) answers. */
  responses429: number[];
  /** Calls that waited for a turn, or were rescheduled because no turn came in time. */
  throttleWaits: number[];
  /** The time those calls waited, milliseconds. */
  throttleWaitMs: number[];
}

/** GET tenants/{t}/metrics/rate-limits?from=&to=&bucket=&provider= (per provider, counted per minute). */
export interface RateLimitMetricsResponse extends SeriesRange {
  providers: ProviderThrottleSeries[];
}

// ---- the delivery viewer -------------------------------------------------------------------------------

/** GET …/integrations/{i}/webhooks/deliveries?from=&to=&verdict=&eventType=&order=newest&limit= */
export interface DeliveryFilter {
  verdict?: DeliveryVerdict;
  eventType?: string;
}

/** A run a delivery started, as the viewer links it (absent status: the run document is gone). */
export interface DeliveryRunLink {
  runId: string;
  status?: RunStatus;
}

/**
 * GET …/integrations/{i}/webhooks/deliveries/{deliveryId}: the receipt, the headers as archived (credentials,
 * tokens and signatures replaced by "[redacted]"), the payload and the runs it started. A rejected delivery
 * was never archived: its payload and headers are absent.
 */
export interface DeliveryDetailResponse {
  receipt: DeliveryReceipt;
  eventType?: string;
  headers?: Record<string, string>;
  payload?: {
    contentType?: string;
    /** The body as UTF-8 text, pretty-printed when it is JSON; absent when it is not text. */
    text?: string;
    /** The body base64-encoded, when it is not UTF-8 text. */
    base64?: string;
    bytes: number;
    sha256: string;
  };
  /** Why the payload is missing (not archived, archive gone). */
  payloadUnavailable?: string;
  runs: DeliveryRunLink[];
}
