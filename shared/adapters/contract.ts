/**
 * The provider contract: what every adapter (GitHub, Salesforce, Notion, Slack, Google) offers the sync engine.
 * Plain values only: no SDK or HTTP types cross this line. Errors are AppErrors with the adapter codes
 * auth_expired, auth_revoked, rate_limited (with retryAfterMs), transient, not_found, validation, conflict.
 */
import type { ProviderId } from '../core/providers';
import type { RateLimitSignal } from '../ratelimit/signal';

/** Ready-to-use auth material; adapters never see the stored credential document. */
export interface AuthProvider {
  /** Headers to add to a request (e.g. Authorization). */
  headers(signal?: AbortSignal): Promise<Record<string, string>>;
  /** Called once after a 401: refresh if possible; true when a retry with new headers makes sense. */
  onUnauthorized?(signal?: AbortSignal): Promise<boolean>;
  /** What the grant behind the headers says about itself (no secrets): its scopes and API instance. */
  grant?(signal?: AbortSignal): Promise<GrantFacts>;
}

/** Non-secret facts of an OAuth grant, as the provider's token answer stated them. */
export interface GrantFacts {
  /** The scopes granted; undefined when the credential does not say (API keys, or a grant stored without them). */
  scopes?: string[];
  /** The API host the token answer named for this account (Salesforce `instance_url`), already checked. */
  instanceUrl?: string;
}

export interface AdapterContext {
  /**
   * Base URL of the provider API (the sandbox's in tests and demo mode) from configuration; empty when
   * `resolveBaseUrl` supplies it.
   */
  baseUrl: string;
  /**
   * For providers whose API host comes with the grant (a Salesforce org's `instance_url`): asked before every
   * request, so the request after a refresh that named another instance goes there. Wins over `baseUrl`.
   */
  resolveBaseUrl?(signal?: AbortSignal): Promise<string>;
  /** Provider-specific settings of the integration (repositories, channels, database id, calendar id, …). */
  options: Record<string, unknown>;
  auth: AuthProvider;
  /** Per-request timeout. */
  requestTimeoutMs: number;
  /** Called with every rate-limit signal a response carries. */
  onRateLimitSignal?(signal: RateLimitSignal): void;
  /**
   * Called before every outbound request with the provider operation it is about (e.g. "issues.list");
   * the rate limiter plugs in here. It may wait, or throw a rate_limited AppError.
   */
  beforeRequest?(operation: string, signal?: AbortSignal): Promise<void>;
  /**
   * Told of every provider HTTP call once it is over (answered, failed or timed out), for the run log: its URL
   * already without credentials or secret query parameters. Must not throw or block.
   */
  onRequest?(call: ProviderCall): void;
}

/** Who wants to hear of a unit of work's provider calls and limiter waits (the run log of a page). */
export interface ProviderCallObserver {
  onRequest(call: ProviderCall): void;
  /** The rate limiter held a call back for `waitedMs` before letting it go. */
  onWait(operation: string, waitedMs: number): void;
}

/** One provider HTTP call as the run log keeps it (shared/adapters/http/provider-request.ts reports it). */
export interface ProviderCall {
  operation: string;
  method: string;
  /** Redacted (shared/adapters/http/redact-url.ts). */
  url: string;
  /** 0 when no answer came. */
  status: number;
  durationMs: number;
  /** 1, or 2 for the same call sent again after a token refresh. */
  attempt: number;
  rateLimitRemaining?: number;
  /** Why no answer came (timeout, network error), when none did. */
  failure?: string;
}

export type FieldType = 'string' | 'number' | 'boolean' | 'datetime' | 'date' | 'object' | 'array' | 'reference';

export interface FieldDescriptor {
  name: string;
  type: FieldType;
  required?: boolean;
  writable?: boolean;
  /** For references: the entity this field points at. */
  references?: string;
  /** The provider's own type name when it says more than `type` (Notion "select", "rich_text" …). */
  providerType?: string;
}

export interface EntityDescriptor {
  name: string;
  fields: FieldDescriptor[];
  supportsIncremental: boolean;
  supportsWebhooks: boolean;
  supportsPush: boolean;
  /** Whether a full read reports deletions (so delete detection by sweep is needed or not). */
  reportsDeletions: boolean;
}

export interface Catalog {
  provider: ProviderId;
  entities: EntityDescriptor[];
}

export interface AccountIdentity {
  accountId: string;
  displayName?: string;
  /** Extra facts learned on connect (org id, workspace id, login…): no secrets. */
  details?: Record<string, unknown>;
}

export interface HealthReport {
  ok: boolean;
  latencyMs: number;
  rateLimit?: RateLimitSignal;
  message?: string;
}

export interface ProviderRecord {
  /** Stable provider id of the record (unique within provider + entity + account). */
  id: string;
  entity: string;
  /** The provider's version marker (ETag, SystemModstamp, last_edited_time, edited ts, etag). */
  version?: string;
  /** When the provider last changed it (ISO-8601 UTC). */
  modifiedAt?: string;
  deleted?: boolean;
  data: Record<string, unknown>;
}

export interface FetchChangesRequest {
  entity: string;
  /** Opaque cursor from the previous page or run; absent means a full read. */
  cursor?: string;
  /**
   * A backfill: where `cursor` is absent, read the changes made at or after this time (ISO-8601) instead of
   * everything. Only adapters whose capabilities say `since` honour it.
   */
  since?: string;
  pageSize: number;
  signal?: AbortSignal;
}

export interface FetchPage {
  records: ProviderRecord[];
  /** Cursor for the next page, or, when done, the cursor the next incremental run starts from. */
  nextCursor?: string;
  done: boolean;
  /**
   * How long the next page should wait, where the provider allows its calls only a few times a minute (Slack's
   * non-Marketplace reads): the sync schedules the next page that much later instead of being refused.
   */
  nextPageDelayMs?: number;
  /** How many records the provider says the entity holds, where its API reports it (shown on the live run card). */
  total?: number;
}

export interface FetchByIdsRequest {
  entity: string;
  ids: string[];
  signal?: AbortSignal;
}

export interface FetchByIdsResult {
  records: ProviderRecord[];
  /** Ids the provider no longer has. */
  missingIds: string[];
}

export type PushOperation =
  | { kind: 'create'; idempotencyKey: string; data: Record<string, unknown> }
  | { kind: 'update'; idempotencyKey: string; id: string; data: Record<string, unknown>; expectedVersion?: string }
  | { kind: 'delete'; idempotencyKey: string; id: string; expectedVersion?: string };

export type PushOutcome =
  | { idempotencyKey: string; ok: true; id: string; version?: string }
  | {
      idempotencyKey: string;
      ok: false;
      error: { code: string; message: string; retryable: boolean; retryAfterMs?: number };
    };

export interface PushRequest {
  entity: string;
  operations: PushOperation[];
  signal?: AbortSignal;
}

export interface ProviderAdapter {
  readonly provider: ProviderId;
  connect(signal?: AbortSignal): Promise<AccountIdentity>;
  disconnect(signal?: AbortSignal): Promise<void>;
  healthCheck(signal?: AbortSignal): Promise<HealthReport>;
  discover(signal?: AbortSignal): Promise<Catalog>;
  fetchChanges(request: FetchChangesRequest): Promise<FetchPage>;
  fetchByIds(request: FetchByIdsRequest): Promise<FetchByIdsResult>;
  /** One outcome per operation, in order; a failed operation does not fail the batch. */
  push(request: PushRequest): Promise<PushOutcome[]>;
}

export interface AdapterCapabilities {
  entities: string[];
  incremental: boolean;
  webhooks: boolean;
  push: boolean;
  /** Reads can start from a date (FetchChangesRequest.since): a backfill without a full read. */
  since?: boolean;
}

export interface AdapterFactory {
  readonly provider: ProviderId;
  readonly capabilities: AdapterCapabilities;
  create(context: AdapterContext): ProviderAdapter;
}
