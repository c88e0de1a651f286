/**
 * What an outbound push works on, and the steps every push ends with: map shard fields to provider fields,
 * translate a failed outcome, read the provider record back, and record what the provider now holds (record
 * state, shard, outbound ledger). Shared by updates (outbound-push.ts) and creates (outbound-create.ts).
 */
import { changedFieldNames } from '../../core/shard-history';
import type { ShardHistoryWriter } from '../shard-history-writer';
import type { ProviderAdapter, ProviderRecord } from '../../adapters/contract';
import { AppError, isAppError } from '../../core/app-error';
import type { Integration } from '../../core/integration';
import type { CompiledPolicy } from '../../conflicts';
import { contentHash, reverseMap, transformRecord, type ConversionSchema } from '../../mapping';
import type { Stored } from '../../core/stored';
import type { ExternalRef, Shard } from '../../core/shard';
import { recordStateId, type RecordState } from '../../core/record-state';
import type { ConflictsRepository } from '../../stores/documents/conflicts-repository';
import type { ShardsRepository } from '../../stores/documents/shards-repository';
import type { OutboundLedger, SyncStateRepository } from '../../stores/documents/sync-state-repository';

export interface OutboundDeps {
  shards: ShardsRepository;
  syncState: SyncStateRepository;
  conflicts: ConflictsRepository;
  now(): Date;
  adapterFor(integration: Stored<Integration>): ProviderAdapter;
  /** The conversion schema of an entity, when the integration has one (else shard data = provider data). */
  schemaFor(integration: Stored<Integration>, entity: string): ConversionSchema | undefined;
  /** How long a claimed push owns its shard before a retry may take over (a crashed delivery). */
  leaseMs: number;
  /** Page size when a retried create looks for the record its first attempt may have made. */
  pageSize: number;
  /** Where a settle that changes the shard's data says which fields (none: no history kept). */
  history?: ShardHistoryWriter;
}

export type OutboundResult =
  | { outcome: 'pushed' | 'created' | 'merged' | 'unchanged'; externalId: string }
  | {
      outcome: 'skipped';
      reason: 'shard_not_found' | 'superseded' | 'not_a_local_change' | 'not_linked' | 'already_settled' | 'deleted';
    }
  | { outcome: 'busy'; retryAt: Date };

/** What one push works on, resolved once. */
export interface PushContext {
  deps: OutboundDeps;
  integration: Stored<Integration>;
  shard: Stored<Shard>;
  entity: string;
  adapter: ProviderAdapter;
  policy: CompiledPolicy;
  schema?: ConversionSchema;
  ledger: Stored<OutboundLedger>;
  signal?: AbortSignal;
}

/** Shard fields → provider fields: through the conversion schema's inverse, or as they are. */
export function toProvider(
  ctx: Pick<PushContext, 'schema'>,
  shardData: Record<string, unknown>,
): Record<string, unknown> {
  return ctx.schema ? reverseMap(ctx.schema, shardData).data : shardData;
}

/** A provider record → shard fields and content hash, exactly as the inbound page writer computes them. */
export async function toShard(
  ctx: Pick<PushContext, 'schema'>,
  record: ProviderRecord,
): Promise<{ data: Record<string, unknown>; contentHash: string }> {
  if (!ctx.schema) return { data: record.data, contentHash: contentHash(record.data) };
  const outcome = await transformRecord(ctx.schema, record);
  if (!outcome.ok)
    throw new AppError('validation', `record ${record.id} does not map: ${outcome.error.message}`, {
      target: outcome.error.field ?? record.id,
    });
  return { data: outcome.record.data, contentHash: outcome.record.contentHash };
}

/** A failed push outcome as an AppError; a version conflict is retried (the next attempt merges again). */
export function outcomeError(error: {
  code: string;
  message: string;
  retryable: boolean;
  retryAfterMs?: number;
}): AppError {
  if (error.code === 'conflict')
    return new AppError('transient', `provider record changed during the push: ${error.message}`, {
      retryAfterMs: error.retryAfterMs,
    });
  const code = isKnownCode(error.code) ? error.code : error.retryable ? 'transient' : 'validation';
  return new AppError(code, error.message, { retryAfterMs: error.retryAfterMs });
}

function isKnownCode(code: string): code is AppError['code'] {
  return [
    'rate_limited',
    'transient',
    'auth_expired',
    'auth_revoked',
    'not_found',
    'validation',
    'dependency_unavailable',
  ].includes(code);
}

/** The provider's record as it stands after our write; `exact` when it is our write and nothing since. */
export async function readBack(
  ctx: PushContext,
  externalId: string,
  pushedVersion: string | undefined,
): Promise<{ record: ProviderRecord; exact: boolean } | undefined> {
  const { records } = await ctx.adapter.fetchByIds({ entity: ctx.entity, ids: [externalId], signal: ctx.signal });
  const record = records.find((candidate) => candidate.id === externalId && !candidate.deleted);
  return record ? { record, exact: pushedVersion === undefined || record.version === pushedVersion } : undefined;
}

export async function saveRecordState(
  ctx: PushContext,
  state: RecordState | undefined,
  externalId: string,
  fields: Pick<RecordState, 'base' | 'contentHash' | 'providerVersion'>,
): Promise<void> {
  const { integration, entity, shard, deps } = ctx;
  const next: RecordState = {
    id: recordStateId(entity, externalId),
    kind: 'record',
    integrationId: integration.id,
    tenantId: integration.tenantId,
    entity,
    externalId,
    shardId: state?.shardId ?? shard.id,
    lastSeenRunId: state?.lastSeenRunId ?? 'outbound',
    deleted: false,
    ...fields,
    updatedAt: deps.now().toISOString(),
  };
  if (next.providerVersion === undefined) delete next.providerVersion;
  await deps.syncState.saveRecords([next]);
}

/**
 * Writes the settled data back, marked as written by a sync. Guarded by the ETag the push started from: when a
 * newer local edit came in meanwhile, that edit stays (it has its own message), and only the external
 * reference is added, so a create is never repeated.
 */
export async function settleShard(ctx: PushContext, data: Record<string, unknown>, ref: ExternalRef): Promise<void> {
  const { shard, deps } = ctx;
  const refs = [
    ref,
    ...shard.externalRefs.filter(
      (candidate) => candidate.integrationId !== ref.integrationId || candidate.externalId !== ref.externalId,
    ),
  ];
  const { pushError, ...rest } = shard;
  void pushError;
  try {
    const settled = await deps.shards.replace({
      ...rest,
      data,
      externalRefs: refs,
      lastWrittenBy: 'inbound',
      updatedAt: deps.now().toISOString(),
    });
    // The provider's answer may differ from what was pushed (a field it computes or normalises).
    await deps.history?.record([
      {
        tenantId: shard.tenantId,
        shardId: shard.id,
        source: 'outbound',
        integrationId: ref.integrationId,
        changedFields: changedFieldNames(shard.data, data),
        key: settled._etag,
      },
    ]);
  } catch (error) {
    if (!isAppError(error) || error.code !== 'precondition_failed') throw error;
    const newer = await deps.shards.get(shard.tenantId, shard.id);
    if (newer && !newer.externalRefs.some((candidate) => candidate.integrationId === ref.integrationId)) {
      await deps.shards.replace({ ...newer, externalRefs: [ref, ...newer.externalRefs] });
    }
  }
}

export async function settleLedger(ctx: PushContext, fields: Partial<OutboundLedger>): Promise<void> {
  const { ledger, deps } = ctx;
  const { leaseUntil, lastError, pendingCreate, ...rest } = ledger;
  void leaseUntil;
  void lastError;
  void pendingCreate;
  ctx.ledger = await deps.syncState.saveOutboundLedger(
    { ...rest, ...fields, status: 'pushed', updatedAt: deps.now().toISOString() },
    ledger._etag,
  );
}
