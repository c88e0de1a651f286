/**
 * Admin API contracts for integrations, their runs and their conversion schemas (shared/admin/
 * integration-routes.ts and mapping-routes.ts answer these; the admin UI reads them). Types only, no imports
 * of running code: the routes check at compile time that what they send fits these shapes.
 */
import type { RunCounters, RunLive, RunStatus } from '../../core/sync-run';
import type { ProviderId } from '../../core/providers';
import type { ListEnvelope } from './common';

/** Declared once, by the provider descriptors; the UI imports it from here with the rest of the contract. */
export type { ProviderId };
export type Direction = 'inbound' | 'outbound' | 'bidirectional';
export type DedupStrategyName = 'external_id' | 'content_hash' | 'natural_key' | 'fuzzy';
export type ConflictStrategyName = 'source_wins' | 'target_wins' | 'latest_wins' | 'field_merge' | 'manual' | 'custom';
export type IntegrationStatus = 'active' | 'disabled' | 'needs_reauth' | 'error';

/** One conflict strategy with its settings (shared/conflicts/policy.ts has the validated form). */
export type ConflictStrategyView =
  | { kind: 'source_wins' | 'target_wins' | 'latest_wins' | 'manual' }
  | { kind: 'field_merge'; priority: 'source' | 'target' | Record<string, 'source' | 'target'> }
  /** A JSONata rule over { base, local, remote, field, localModifiedAt, remoteModifiedAt }: the value to keep, or { "take": "local" | "remote" }. */
  | { kind: 'custom'; rule: string };

/**
 * An integration's full conflict policy: the default strategy and per-field overrides keyed by field path
 * ("address" also covers "address.city"). With a policy, conflictStrategy is always `default.kind` (kept in
 * step by the API); errors name the field, e.g. target "conflictPolicy.fields.amount.rule".
 */
export interface ConflictPolicyView {
  default: ConflictStrategyView;
  fields?: Record<string, ConflictStrategyView>;
}

export interface Schedule {
  intervalMinutes: number;
}

/** One field of a conversion schema (shared/mapping/schema.ts has the validated form). */
export interface FieldMappingView {
  source?: string;
  expression?: string;
  coerce?: {
    to: 'string' | 'number' | 'integer' | 'boolean' | 'datetime' | 'date' | 'enum' | 'json';
    [option: string]: unknown;
  };
  default?: unknown;
  required?: boolean;
  writable?: boolean;
}

export interface ConversionSchemaView {
  provider: ProviderId;
  entity: string;
  shardType: string;
  version?: number;
  fields: Record<string, FieldMappingView>;
  relationships?: Array<{ name?: string; field: string; targetEntity: string; targetProvider?: ProviderId }>;
  derived?: unknown[];
  volatileFields?: string[];
  limits?: Record<string, number | undefined>;
}

/** One dedup strategy: external_id, content_hash, natural_key {name, parts} or fuzzy {name, fields, threshold, blocking}. */
export interface DedupStrategyView {
  kind: DedupStrategyName;
  [option: string]: unknown;
}

export interface IntegrationView {
  id: string;
  tenantId: string;
  provider: ProviderId;
  name: string;
  status: IntegrationStatus;
  enabled: boolean;
  entities: string[];
  direction: Direction;
  schedule: Schedule;
  dedupStrategy: DedupStrategyName;
  conflictStrategy: ConflictStrategyName;
  /** Absent: conflictStrategy applies to every field. */
  conflictPolicy?: ConflictPolicyView;
  providerOptions: Record<string, unknown>;
  baseUrl?: string;
  webhook?: unknown;
  mappings?: Record<string, ConversionSchemaView>;
  /** Dedup strategies per entity, in order (shared/dedup/config.ts has the validated form). */
  dedup?: Record<string, DedupStrategyView[]>;
  /** When the OAuth connect flow last stored a credential. */
  connectedAt?: string;
  nextSyncAt: string;
  lastScheduledAt?: string;
  createdAt: string;
  updatedAt: string;
}

export type { RunStatus } from '../../core/sync-run';
export type RunCountersView = RunCounters;

export interface SyncRunView {
  id: string;
  integrationId: string;
  tenantId: string;
  mode: 'incremental' | 'full' | 'targeted';
  trigger: 'schedule' | 'manual' | 'webhook' | 'redrive';
  status: RunStatus;
  counters: RunCountersView;
  queuedAt: string;
  startedAt?: string;
  finishedAt?: string;
  lastError?: { code: string; message: string; target?: string };
  recordErrors?: Array<{ page: number; recordId: string; field?: string; code: string; message: string }>;
  /** A retry: the failed run it repeats; on the failed run, the retry started for it. */
  retryOf?: string;
  retriedBy?: string;
  /** Who cancelled the run (status cancelled). */
  cancelledBy?: string;
  /** A backfill's start, and a resync's entities. */
  since?: string;
  entities?: string[];
  /** While it goes on: the page in hand, the provider's total where known, and why and until when it waits. */
  live?: RunLive;
}

/** The API credential of an integration as lists show it: never a value. */
export interface CredentialSummary {
  type: string;
  /** "active", "expired", "needs_reauth", … (shared/credentials/types.ts). */
  status: string;
  expiresAt?: string;
}

/**
 * An integration's health (shared/core/integration-health.ts). Precedence when several apply:
 * disabled > needs_reauth > failing > stale > never_synced > ok.
 */
export type HealthStatusView = 'ok' | 'failing' | 'stale' | 'never_synced' | 'needs_reauth' | 'disabled';
export interface IntegrationHealthView {
  status: HealthStatusView;
  reason: string;
}

/** GET tenants/{t}/integrations/{id}: the integration with its health. */
export interface IntegrationWithHealth extends IntegrationView {
  health: IntegrationHealthView;
}

/**
 * GET tenants/{t}/integrations?include=lastRun,credential,records,conflicts: each integration with its health,
 * and on request its newest run, credential, records held per entity and open conflicts.
 */
export interface IntegrationListItem extends IntegrationWithHealth {
  lastRun?: SyncRunView;
  /** null: no credential is set (connect the integration). Present only when asked for. */
  credential?: CredentialSummary | null;
  /** Live shards holding this integration's records, per entity (include=records). */
  records?: Record<string, number>;
  /** Open conflicts of this integration (include=conflicts); `openConflictsMore` when there are more than counted. */
  openConflicts?: number;
  openConflictsMore?: boolean;
}
export type IntegrationList = ListEnvelope<IntegrationListItem>;

/** POST tenants/{t}/integrations: provider and name are required, the rest has defaults. */
export interface CreateIntegrationRequest {
  provider: ProviderId;
  name: string;
  enabled?: boolean;
  entities?: string[];
  direction?: Direction;
  schedule?: Schedule;
  dedupStrategy?: DedupStrategyName;
  conflictStrategy?: ConflictStrategyName;
  conflictPolicy?: ConflictPolicyView;
  providerOptions?: Record<string, unknown>;
  baseUrl?: string;
  dedup?: Record<string, DedupStrategyView[]>;
}

/** PATCH tenants/{t}/integrations/{id}: any subset of the create fields except provider. */
export type PatchIntegrationRequest = Partial<Omit<CreateIntegrationRequest, 'provider'>>;

/** POST …/sync → 202. */
export interface StartSyncRequest {
  mode: 'incremental' | 'full';
  /** Only these of the integration's entities. */
  entities?: string[];
  /** A backfill from this ISO-8601 time (incremental only); the checkpoint stays (docs/run-controls.md). */
  since?: string;
}
export interface StartSyncResponse {
  runId: string;
  status: RunStatus;
}

/** POST …/oauth/start → where to send the person for consent. */
export interface OAuthStartResponse {
  authorizeUrl: string;
  [extra: string]: unknown;
}

/** GET …/mappings */
export interface MappingList {
  items: Record<string, ConversionSchemaView>;
}

/** PUT …/mappings/{entity} */
export interface PutMappingResponse {
  entity: string;
  schema: ConversionSchemaView;
  checkedAgainstCatalog: boolean;
  warning?: string;
}

/** POST …/mappings/{entity}/preview */
export interface MappingPreviewRequest {
  schema?: unknown;
  record: { id: string; data: Record<string, unknown> };
}
export type MappingPreviewResponse =
  | {
      ok: true;
      data: Record<string, unknown>;
      shardType?: string;
      references?: unknown;
      derived?: unknown;
      note?: string;
    }
  | {
      ok: false;
      error: {
        recordId: string;
        code: string;
        message: string;
        /** The shard field the error is about. */ field?: string;
      };
    };
