/**
 * One page of provider records → shards: transform (conversion schema, or the record's fields as they are),
 * dedupe within the page, skip unchanged records by content hash, merge changed ones three-way against the
 * last-synced base with the integration's conflict policy, hold manual conflicts, and write shards, record
 * states and conflicts in bulk. Deterministic ids and hashes make a page processed twice a no-op.
 */
import type { ProviderRecord } from '../adapters/contract';
import type { Integration } from '../domain/integration';
import type { RunCounters } from '../domain/sync-run';
import { transformPage, contentHash, type ConversionSchema, type MappedRecord, type RecordError } from '../mapping';
import { buildConflictDocument, mergeRecord, type CompiledPolicy, type ConflictDocument } from '../conflicts';
import { emptyCounters } from '../domain/sync-run';
import { recordStateId, type RecordState, type SyncStateStore } from '../storage/sync-state-repository';
import { shardIdFor, type Shard, type ShardStore } from '../storage/shards-repository';
import { bulkUpsert, type BulkContainer, type UpsertDoc } from '../storage/bulk';

export interface PageWriterDeps {
  shards: ShardStore;
  syncState: SyncStateStore;
  conflicts: BulkContainer;
  now(): Date;
}

export interface PageContext {
  integration: Pick<Integration, 'id' | 'tenantId' | 'provider'>;
  entity: string;
  runId: string;
  policy: CompiledPolicy;
  schema?: ConversionSchema;
  /** Full refresh: unchanged records are still marked as seen, for delete detection. */
  markSeen: boolean;
}

export interface PageWriteResult {
  counters: RunCounters;
  recordErrors: RecordError[];
}

/** Without a conversion schema a record's fields become the shard's data as they are. */
function identityMap(provider: Integration['provider'], records: readonly ProviderRecord[]): MappedRecord[] {
  return records.map((record) => ({
    recordId: record.id,
    provider,
    entity: record.entity,
    shardType: `${provider}.${record.entity}`,
    version: record.version,
    modifiedAt: record.modifiedAt,
    deleted: record.deleted === true,
    data: record.deleted ? {} : record.data,
    contentHash: record.deleted ? 'deleted' : contentHash(record.data),
    references: [],
    derived: [],
  }));
}

/** The latest version of each record wins within one page (providers can list a record twice). */
function lastOfEach(records: MappedRecord[]): MappedRecord[] {
  const byId = new Map<string, MappedRecord>();
  for (const record of records) byId.set(record.recordId, record);
  return [...byId.values()];
}

export async function writePage(deps: PageWriterDeps, ctx: PageContext, records: readonly ProviderRecord[]): Promise<PageWriteResult> {
  const counters = emptyCounters();
  counters.fetched = records.length;
  const transformed = ctx.schema ? await transformPage(ctx.schema, records) : { ok: identityMap(ctx.integration.provider, records), errors: [] };
  counters.errors = transformed.errors.length;
  const mapped = lastOfEach(transformed.ok);
  const { id: integrationId, tenantId, provider } = ctx.integration;
  const now = deps.now().toISOString();

  const states = await deps.syncState.records(integrationId, ctx.entity, mapped.map((record) => record.recordId));
  const shards = await deps.shards.getMany(tenantId, [...states.values()].map((state) => state.shardId));
  const shardWrites: Shard[] = [];
  const stateWrites: RecordState[] = [];
  const conflictWrites: ConflictDocument[] = [];

  for (const record of mapped) {
    const state = states.get(record.recordId);
    const shardId = state?.shardId ?? shardIdFor(integrationId, ctx.entity, record.recordId);
    const nextState = (fields: Partial<RecordState>): RecordState => ({
      id: recordStateId(ctx.entity, record.recordId),
      kind: 'record',
      integrationId,
      tenantId,
      entity: ctx.entity,
      externalId: record.recordId,
      shardId,
      base: state?.base ?? {},
      contentHash: state?.contentHash ?? '',
      providerVersion: record.version,
      lastSeenRunId: ctx.runId,
      deleted: false,
      updatedAt: now,
      ...fields,
    });

    if (record.deleted) {
      const shard = shards.get(shardId);
      if (state && !state.deleted) {
        counters.deleted++;
        if (shard) shardWrites.push({ ...shard, deleted: true, lastWrittenBy: 'inbound', updatedAt: now });
        stateWrites.push(nextState({ deleted: true }));
      } else counters.unchanged++;
      continue;
    }

    if (state && !state.deleted && state.contentHash === record.contentHash && shards.has(shardId)) {
      counters.unchanged++;
      if (ctx.markSeen && state.lastSeenRunId !== ctx.runId) stateWrites.push(nextState({}));
      continue;
    }

    const existing = state && !state.deleted ? shards.get(shardId) : undefined;
    const externalRef = { provider, integrationId, entity: ctx.entity, externalId: record.recordId, ...(record.version ? { version: record.version } : {}) };
    if (!existing) {
      counters.created++;
      shardWrites.push({ id: shardId, tenantId, shardType: record.shardType, data: record.data, externalRefs: [externalRef], links: [], lastWrittenBy: 'inbound', deleted: false, updatedAt: now });
      stateWrites.push(nextState({ base: record.data, contentHash: record.contentHash }));
      continue;
    }

    const resolution = await mergeRecord({ base: state!.base, local: existing.data, remote: record.data }, ctx.policy, { localModifiedAt: existing.updatedAt, remoteModifiedAt: record.modifiedAt });
    if (resolution.changedLocal) {
      counters.updated++;
      // A local edit the provider does not have yet stays marked local, so the outbound scan still pushes it.
      const lastWrittenBy = resolution.changedRemote && existing.lastWrittenBy === 'local' ? 'local' : 'inbound';
      shardWrites.push({ ...existing, shardType: record.shardType, data: resolution.merged, externalRefs: [externalRef, ...existing.externalRefs.filter((ref) => ref.integrationId !== integrationId || ref.externalId !== record.recordId)], lastWrittenBy, updatedAt: now });
    } else counters.unchanged++;
    stateWrites.push(nextState({ base: resolution.nextBase, contentHash: record.contentHash }));
    const conflict = buildConflictDocument({ tenantId, integrationId, shardId, entity: ctx.entity, externalId: record.recordId }, resolution.held, deps.now());
    if (conflict) {
      counters.conflicts++;
      conflictWrites.push(conflict);
    }
  }

  // Shards first, then states: a crash in between leaves states behind, so the redelivered page redoes the work.
  await deps.shards.upsertMany(shardWrites);
  await bulkUpsert(deps.conflicts, (doc) => String(doc.tenantId), conflictWrites as unknown as UpsertDoc[]);
  await deps.syncState.saveRecords(stateWrites);
  counters.pages = 1;
  return { counters, recordErrors: transformed.errors };
}
