/**
 * Typed contracts of the admin API's operations side (runs, conflicts, webhooks, rate limits, health, metrics),
 * shared by the routes and the admin UI. Types only: the UI bundles this file, so it must not import runtime code.
 */
import type { DeliveryReceipt, EndpointHealth } from '../../webhooks/intake/receipt-types';
import type { RunStatus, SyncRunView } from './integrations';

// ---- runs ----------------------------------------------------------------------------------------------
// The run itself (SyncRunView, its counters and status) is defined with the integrations (integrations.ts).

/** A run as the Runs page reads it: a targeted run also names what it was started for, so a retry repeats it. */
export type RunView = SyncRunView & { entity?: string; ids?: string[] };

/** GET tenants/{t}/integrations/{i}/runs */
export interface RunListResponse {
  items: RunView[];
}

/** POST tenants/{t}/integrations/{i}/runs/{runId}/retry → 202 (a repeated request answers with the same run). */
export interface RetryRunResponse {
  runId: string;
  retryOf: string;
  status: RunStatus;
}

// ---- dead letters --------------------------------------------------------------------------------------

export interface DeadLetterView {
  queue: string;
  messageId: string;
  reason?: string;
  description?: string;
  deliveryCount: number;
  enqueuedTimeUtc?: string;
  job: unknown;
}
export interface DeadLetterListResponse {
  items: DeadLetterView[];
}
export interface RedriveResponse {
  redriven: string;
}

// ---- conflicts -----------------------------------------------------------------------------------------

/** One held field; an absent base/local/remote key means the field was absent on that side. */
export interface ConflictFieldView {
  field: string;
  base?: unknown;
  local?: unknown;
  remote?: unknown;
}

export type ConflictChoice = { take: 'local' | 'remote' } | { value: unknown };

export interface ConflictView {
  id: string;
  tenantId: string;
  integrationId: string;
  shardId: string;
  entity: string;
  externalId: string;
  fields: ConflictFieldView[];
  status: 'open' | 'resolved';
  createdAt: string;
  resolvedAt?: string;
  resolution?: { choices: Record<string, ConflictChoice>; resolvedBy?: string };
}

/** GET tenants/{t}/conflicts?status=open|resolved&integrationId= */
export interface ConflictListResponse {
  items: ConflictView[];
}

/** POST tenants/{t}/conflicts/{conflictId}/resolve */
export interface ResolveConflictRequest {
  choices: Record<string, ConflictChoice>;
}
/**
 * `pushed`: the chosen values go to the provider (the outbound sync pushes them; `pushPending` says the same, kept
 * for older clients). `pushed: false` comes with the `reason`: the integration is inbound-only (the values are
 * kept locally only; the provider keeps its own), or the chosen values are the provider's already.
 */
export type ResolveConflictResponse = ConflictView & { pushPending: boolean; pushed: boolean; reason?: string };

/** POST tenants/{t}/conflicts/resolve: every held field of every listed conflict takes one side. */
export interface BulkResolveRequest {
  ids: string[];
  take: 'local' | 'remote';
}
export interface BulkResolveResponse {
  resolved: Array<{ id: string; pushPending: boolean; pushed: boolean; reason?: string }>;
  failed: Array<{ id: string; error: { code: string; message: string } }>;
}

// ---- webhooks ------------------------------------------------------------------------------------------

export type { DeliveryVerdict } from '../../webhooks/intake/receipt-types';
/** A delivery's receipt, as stored. */
export type DeliveryView = DeliveryReceipt;

/** GET …/webhooks/deliveries?from=&to= */
export interface DeliveryListResponse {
  items: DeliveryView[];
}

/** GET …/webhooks/health?since= */
export type EndpointHealthView = EndpointHealth;

/** What the admin UI shows about a webhook signing secret: never its value. */
export interface WebhookSecretStatus {
  status: string;
  rotatedAt: string;
  updatedAt: string;
  /** While set and in the future, the secret replaced last keeps verifying. */
  previousValidUntil?: string;
}

/** GET …/webhooks/endpoint: what to give the provider, and the state of the signing secret. */
export interface WebhookEndpointView {
  /** The provider segment of the URL (an integration may speak Standard Webhooks: "generic"). */
  provider: string;
  url: string;
  secret: WebhookSecretStatus | null;
  /** Notion sent a verification token that waits for confirmation (POST …/webhook-secret/confirm-pending). */
  pendingVerificationToken: boolean;
}

/** PUT …/webhook-secret */
export interface RotateWebhookSecretRequest {
  secret: string;
  overlapMinutes?: number;
}
export type RotateWebhookSecretResponse = WebhookSecretStatus & { type: string; createdAt: string };

/** POST …/webhooks/{deliveryId}/replay */
export interface ReplayResponse {
  deliveryId: string;
  runIds: string[];
}
/** POST …/webhooks/replay */
export interface ReplayRangeRequest {
  from: string;
  to: string;
}
export interface ReplayRangeResponse {
  replayed: Array<{ deliveryId: string; runIds: string[] }>;
  failed: Array<{ deliveryId: string; error: { code: string; message: string } }>;
}

// ---- rate limits ---------------------------------------------------------------------------------------

export type RateRuleView = { kind: 'rate'; limit: number; windowMs: number; burst?: number };
export type ConcurrencyRuleView = { kind: 'concurrency'; limit: number; leaseMs: number };
export type LimitRuleView = RateRuleView | ConcurrencyRuleView;

export interface LimitOverrideView {
  tenant?: RateRuleView;
  integration?: RateRuleView;
  operations?: Record<string, LimitRuleView>;
  concurrency?: ConcurrencyRuleView;
}

export interface LimiterHealthView {
  backend: 'redis' | 'local';
  degraded: boolean;
  message?: string;
  since: number;
}

/** GET tenants/{t}/rate-limits and …/integrations/{i}/rate-limits */
export interface RateLimitOverrideResponse {
  scope: { tenantId: string; integrationId?: string };
  override: LimitOverrideView | null;
  health: LimiterHealthView;
}

/** GET rate-limits/defaults */
export interface RateLimitDefaultsResponse {
  providers: Record<
    string,
    {
      integration: RateRuleView;
      app: RateRuleView;
      operations: ReadonlyArray<{
        match: readonly string[];
        keyBy: 'operation' | { group: string };
        rule: LimitRuleView;
      }>;
      concurrency?: ConcurrencyRuleView;
    }
  >;
  tenant: RateRuleView;
}

export type UsageLevelName = 'tenant' | 'integration' | 'operation' | 'app' | 'concurrency';

/**
 * The current state of one level. A rate level is a GCRA schedule, which keeps no call counts: `reserved`
 * is how many calls' worth of the schedule is already spoken for (0 = idle), out of a burst of `capacity`;
 * a call now passes at once while `reserved` ≤ capacity − 1, else it waits `waitMs`. A concurrency level
 * counts live leases.
 */
export type LevelUsageView =
  | {
      level: UsageLevelName;
      kind: 'rate';
      rule: RateRuleView;
      factor: number;
      reserved: number;
      capacity: number;
      available: number;
      waitMs: number;
      operation?: string;
    }
  | {
      level: UsageLevelName;
      kind: 'concurrency';
      rule: ConcurrencyRuleView;
      inUse: number;
      capacity: number;
      available: number;
      operation?: string;
    };

/** GET tenants/{t}/integrations/{i}/rate-limits/usage?operation=…(repeatable) */
export interface RateLimitUsageResponse {
  tenantId: string;
  integrationId: string;
  provider: string;
  /** Where the figures come from: shared Redis, or this instance's local limiter. */
  backend: 'redis' | 'local';
  at: string;
  levels: LevelUsageView[];
}

// ---- health and metrics --------------------------------------------------------------------------------

/** GET /api/health (public, outside /api/admin) */
export interface HealthReportView {
  status: 'ok' | 'degraded';
  checks: Array<{ name: string; ok: boolean; latencyMs: number; error?: string }>;
}

/** GET tenants/{t}/credentials/expiry */
export type ExpiryFindingView =
  | { kind: 'expired'; ref: CredentialRefView; type: string; expiresAt: string }
  | { kind: 'expiring'; ref: CredentialRefView; type: string; expiresAt: string; msLeft: number; warningDays: number }
  | { kind: 'too_old'; ref: CredentialRefView; type: string; rotatedAt: string; ageMs: number; maxAgeMs: number }
  | { kind: 'needs_reauth'; ref: CredentialRefView; type: string; reason?: string };
export interface CredentialRefView {
  tenantId: string;
  integrationId: string;
  name: string;
}
export interface ExpiryReportResponse {
  items: ExpiryFindingView[];
}

/** One time bucket of GET tenants/{t}/metrics/sync: runs queued in [start, start + bucketMs). */
export interface SyncMetricsBucket {
  start: string;
  runs: number;
  failedRuns: number;
  /** created + updated + deleted: records the runs changed. */
  synced: number;
  fetched: number;
  created: number;
  updated: number;
  deleted: number;
  unchanged: number;
  conflicts: number;
  errors: number;
}

/** GET tenants/{t}/metrics/sync?from=&to=&bucket=&integrationId= */
export interface SyncMetricsResponse {
  from: string;
  to: string;
  bucketMs: number;
  integrationId?: string;
  buckets: SyncMetricsBucket[];
  totals: Omit<SyncMetricsBucket, 'start'>;
  /** True when more runs matched than were read (at most 20,000 per request): the figures undercount. */
  truncated: boolean;
}
