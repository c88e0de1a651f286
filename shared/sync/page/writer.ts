/**
 * One page of provider records → shards: transform (conversion schema, or the record's fields as they are),
 * dedupe within the page, skip unchanged records by content hash, match records new to the integration against
 * the tenant's other shards (natural key / fuzzy, dedup.ts) and merge them into the matched shard, merge
 * changed ones three-way against the last-synced base with the integration's conflict policy, hold manual
 * conflicts, resolve relationships and derived shards (shape-links.ts, links.ts, derived.ts), and write shards,
 * record states and conflicts in bulk. Deterministic ids and hashes make a page processed twice a no-op.
 * Locally edited shards are leased against a concurrent outbound push while the page works on them.
 */
import type { ProviderRecord } from '../../adapters/contract';
import type { Integration } from '../../core/integration';
import type { RunCounters } from '../../core/sync-run';
import { transformPage, referenceKey, type ConversionSchema, type MappedRecord, type RecordError } from '../../mapping';
import type { DedupStats, DedupStrategy } from '../../dedup';
import { buildConflictDocument, mergeRecord, type CompiledPolicy, type ConflictDocument } from '../../conflicts';
import { emptyCounters } from '../../core/sync-run';
import type { ConflictsRepository } from '../../stores/documents/conflicts-repository';
import type { ShardsRepository } from '../../stores/documents/shards-repository';
import type { SyncStateRepository } from '../../stores/documents/sync-state-repository';
import { crossRecordStrategies, matchNewRecords, nextDedupKeys } from './dedup';
import { pendingLinkDocs, resolveArrivals, type LinkContext } from './links';
import { derivedTombstones } from './derived';
import { identityMap, lastOfEach } from './mapped-records';
import { mergedInto, withoutSource } from './shard-changes';
import { shapeLinks } from './shape-links';
import { contestedShards, holdInboundLeases, releaseInboundLeases } from './record-lease';
import { recordStateId, type RecordState } from '../../core/record-state';
import { shardIdFor, type ExternalRef, type Shard } from '../../core/shard';
import { changedFieldNames } from '../../core/shard-history';
import type { ShardHistoryWriter } from '../shard-history-writer';

export interface PageWriterDeps {
  shards: ShardsRepository;
  syncState: SyncStateRepository;
  conflicts: ConflictsRepository;
  now(): Date;
  /** Counts fuzzy comparisons, to watch the cost of deduplication (tests, benchmarks). */
  dedupStats?: DedupStats;
  /** Where the page says which fields of which shard it changed (none: no history kept). */
  history?: ShardHistoryWriter;
}

export interface PageContext {
  integration: Pick<Integration, 'id' | 'tenantId' | 'provider'>;
  entity: string;
  runId: string;
  policy: CompiledPolicy;
  schema?: ConversionSchema;
  /** Full refresh: unchanged records are still marked as seen, for delete detection. */
  markSeen: boolean;
  /** The entity's dedup strategies (integration.dedup[entity]); natural_key and fuzzy match new records. */
  dedup?: readonly DedupStrategy[];
  /** The tenant's integrations of a provider: references to another provider's records are looked up there. */
  integrationsOf?: LinkContext['integrationsOf'];
}

export interface PageWriteResult {
  counters: RunCounters;
  recordErrors: RecordError[];
}

export async function writePage(
  deps: PageWriterDeps,
  ctx: PageContext,
  records: readonly ProviderRecord[],
): Promise<PageWriteResult> {
  const counters = emptyCounters();
  counters.fetched = records.length;
  const transformed = ctx.schema
    ? await transformPage(ctx.schema, records)
    : { ok: identityMap(ctx.integration.provider, records), errors: [] };
  counters.errors = transformed.errors.length;
  const mapped = lastOfEach(transformed.ok);
  const { id: integrationId, tenantId, provider } = ctx.integration;
  const now = deps.now().toISOString();
  const linkCtx: LinkContext = {
    tenantId,
    integrationId,
    provider,
    now,
    ...(ctx.integrationsOf ? { integrationsOf: ctx.integrationsOf } : {}),
  };
  const recordIds = mapped.map((record) => record.recordId);

  let states = await deps.syncState.records(integrationId, ctx.entity, recordIds);
  let shards = await deps.shards.getMany(
    tenantId,
    [...states.values()].map((state) => state.shardId),
  );
  // Locally edited shards are leased against a concurrent push; what was read before the lease is read again.
  const leases = await holdInboundLeases(
    deps.syncState,
    { integrationId, tenantId, entity: ctx.entity },
    contestedShards(shards.values()),
    deps.now(),
  );
  try {
    if (leases.entries.length > 0) {
      states = await deps.syncState.records(integrationId, ctx.entity, recordIds);
      shards = await deps.shards.getMany(
        tenantId,
        [...states.values()].map((state) => state.shardId),
      );
    }
    return await writeRecords(deps, ctx, {
      mapped,
      states,
      shards,
      linkCtx,
      counters,
      recordErrors: transformed.errors,
    });
  } finally {
    await releaseInboundLeases(deps.syncState, leases);
  }
}

interface PageRead {
  mapped: MappedRecord[];
  states: Map<string, RecordState>;
  shards: Map<string, Shard>;
  linkCtx: LinkContext;
  counters: PageWriteResult['counters'];
  recordErrors: RecordError[];
}

async function writeRecords(deps: PageWriterDeps, ctx: PageContext, read: PageRead): Promise<PageWriteResult> {
  const { mapped, states, shards, linkCtx, counters } = read;
  const { id: integrationId, tenantId, provider } = ctx.integration;
  const now = linkCtx.now;
  const externalRefOf = (record: MappedRecord): ExternalRef => ({
    provider,
    integrationId,
    entity: ctx.entity,
    externalId: record.recordId,
    ...(record.version ? { version: record.version } : {}),
  });
  const newShardId = (record: MappedRecord) => shardIdFor(integrationId, ctx.entity, record.recordId);

  // Records this integration never synced may be another source's record already: natural key / fuzzy.
  const strategies = crossRecordStrategies(ctx.dedup);
  const fresh = mapped.filter((record) => !record.deleted && !states.has(record.recordId));
  const matches = await matchNewRecords(
    deps.shards,
    tenantId,
    strategies,
    fresh,
    (record) => ({ ...externalRefOf(record), provider }),
    newShardId,
    deps.dedupStats,
  );
  const unloaded = [...new Set([...matches.values()].map((match) => match.shardId))].filter((id) => !shards.has(id));
  if (unloaded.length > 0)
    for (const [id, shard] of await deps.shards.getMany(tenantId, unloaded)) shards.set(id, shard);

  // Shards written by this page, by id: a later record of the page (a merge, a link) builds on them.
  const writes = new Map<string, Shard>();
  const current = (shardId: string) => writes.get(shardId) ?? shards.get(shardId);
  const stateWrites: RecordState[] = [];
  const conflictWrites: ConflictDocument[] = [];
  const written: Array<{ record: MappedRecord; shardId: string }> = [];
  /** Shard id → names of the data fields this page changed (the shard's history; derived shards have none). */
  const changedFields = new Map<string, Set<string>>();
  const noteChanged = (id: string, fields: readonly string[]) => {
    if (fields.length === 0) return;
    const known = changedFields.get(id);
    if (known) for (const field of fields) known.add(field);
    else changedFields.set(id, new Set(fields));
  };
  /** referenceKey → shard of every live record of the page; `arrived`: those new to this integration. */
  const pageShards = new Map<string, string>();
  const arrived = new Map<string, string>();
  // referenceKey of this page's records: the same prefix for all of them, then the record id.
  const referenceKeyPrefix = referenceKey({ provider, entity: ctx.entity, externalId: '' });

  // The record's next state; declared once per page rather than as a closure per record (the loop's hot path).
  let record: MappedRecord;
  let state: RecordState | undefined;
  let shardId: string;
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
    ...(state?.dedup ? { dedup: state.dedup } : {}),
    ...(state?.derivedShardIds ? { derivedShardIds: state.derivedShardIds } : {}),
    ...fields,
  });
  /** Derived shards that are gone: their record was deleted, or no longer yields them. */
  const removedDerived: string[] = [];

  for (record of mapped) {
    state = states.get(record.recordId);
    const match = state ? undefined : matches.get(record.recordId);
    shardId = state?.shardId ?? match?.shardId ?? newShardId(record);

    if (record.deleted) {
      const shard = current(shardId);
      if (state && !state.deleted) {
        counters.deleted++;
        if (shard) writes.set(shardId, withoutSource(shard, integrationId, ctx.entity, record.recordId, now));
        removedDerived.push(...(state.derivedShardIds ?? []));
        stateWrites.push(nextState({ deleted: true, derivedShardIds: undefined }));
      } else counters.unchanged++;
      continue;
    }
    if (state?.deletedLocally) {
      // Our own delete as the provider shows it (a closed issue, an archived record): not a record to bring back.
      counters.unchanged++;
      if (ctx.markSeen && state.lastSeenRunId !== ctx.runId)
        stateWrites.push(nextState({ deleted: true, deletedLocally: true }));
      continue;
    }
    const key = referenceKeyPrefix + record.recordId;
    pageShards.set(key, shardId);
    if (!state || state.deleted) arrived.set(key, shardId);

    if (state && !state.deleted && state.contentHash === record.contentHash && shards.has(shardId)) {
      counters.unchanged++;
      if (ctx.markSeen && state.lastSeenRunId !== ctx.runId) stateWrites.push(nextState({}));
      continue;
    }

    const externalRef = externalRefOf(record);
    const target = match ? current(shardId) : undefined;
    if (match && target) {
      counters.updated++;
      const merged = mergedInto(target, record, externalRef, match, ctx.runId, now);
      noteChanged(shardId, changedFieldNames(target.data, merged.data));
      writes.set(shardId, {
        ...merged,
        dedupKeys: nextDedupKeys(strategies, { ...record.data, ...target.data }, target.dedupKeys),
      });
      stateWrites.push(
        nextState({
          base: record.data,
          contentHash: record.contentHash,
          dedup: {
            strategy: match.decision.strategy,
            ...(match.decision.score !== undefined ? { score: match.decision.score } : {}),
            matchedShardId: shardId,
            reason: match.decision.reason,
          },
        }),
      );
      written.push({ record, shardId });
      continue;
    }

    const existing = state && !state.deleted ? current(shardId) : undefined;
    if (!existing) {
      counters.created++;
      const keys = nextDedupKeys(strategies, record.data, undefined);
      writes.set(shardId, {
        id: shardId,
        tenantId,
        shardType: record.shardType,
        data: record.data,
        externalRefs: [externalRef],
        links: [],
        lastWrittenBy: 'inbound',
        deleted: false,
        updatedAt: now,
        // Its history's first item (see Shard.created): no history document for a creation.
        created: { at: now, runId: ctx.runId, integrationId, fields: Object.keys(record.data).sort() },
        ...(keys ? { dedupKeys: keys } : {}),
      });
      stateWrites.push(nextState({ base: record.data, contentHash: record.contentHash }));
      written.push({ record, shardId });
      continue;
    }

    const resolution = await mergeRecord({ base: state!.base, local: existing.data, remote: record.data }, ctx.policy, {
      localModifiedAt: existing.updatedAt,
      remoteModifiedAt: record.modifiedAt,
    });
    if (resolution.changedLocal) {
      counters.updated++;
      noteChanged(shardId, changedFieldNames(existing.data, resolution.merged));
      // A local edit the provider does not have yet stays marked local, so the outbound scan still pushes it.
      const lastWrittenBy = resolution.changedRemote && existing.lastWrittenBy === 'local' ? 'local' : 'inbound';
      const keys = nextDedupKeys(strategies, resolution.merged, existing.dedupKeys);
      writes.set(shardId, {
        ...existing,
        shardType: record.shardType,
        data: resolution.merged,
        externalRefs: [
          externalRef,
          ...existing.externalRefs.filter(
            (ref) => ref.integrationId !== integrationId || ref.externalId !== record.recordId,
          ),
        ],
        lastWrittenBy,
        updatedAt: now,
        ...(keys ? { dedupKeys: keys } : {}),
      });
    } else counters.unchanged++;
    // Also when the shard's fields did not change: the record's derived shards or references may have.
    written.push({ record, shardId });
    stateWrites.push(nextState({ base: resolution.nextBase, contentHash: record.contentHash }));
    const conflict = buildConflictDocument(
      { tenantId, integrationId, shardId, entity: ctx.entity, externalId: record.recordId },
      resolution.held,
      deps.now(),
    );
    if (conflict) {
      counters.conflicts++;
      conflictWrites.push(conflict);
    }
  }

  const derivedNow = await shapeLinks(deps.syncState, ctx.entity, linkCtx, written, pageShards, writes, current);
  for (const stateWrite of stateWrites) {
    const children = derivedNow.get(stateWrite.externalId);
    if (!children) continue;
    const kept = new Set(children);
    removedDerived.push(...(stateWrite.derivedShardIds ?? []).filter((id) => !kept.has(id)));
    if (children.length > 0) stateWrite.derivedShardIds = children;
    else delete stateWrite.derivedShardIds;
  }
  for (const gone of await derivedTombstones(
    deps.shards,
    tenantId,
    removedDerived.filter((id) => !writes.has(id)),
    now,
  ))
    writes.set(gone.id, gone);
  const { shards: linkedSources, settled } = await resolveArrivals(deps.syncState, tenantId, arrived, async (ids) => {
    const missing = ids.filter((id) => !writes.has(id));
    const found = missing.length > 0 ? await deps.shards.getMany(tenantId, missing) : new Map<string, Shard>();
    for (const id of ids) if (writes.has(id)) found.set(id, writes.get(id)!);
    return found;
  });
  for (const shard of linkedSources) writes.set(shard.id, shard);
  const pendingLinks = await pendingLinkDocs(deps.syncState, [...writes.values()], linkCtx);

  // Shards first, then states: a crash in between leaves states behind, so the redelivered page redoes the work.
  // The history beside the shards (another container, so not one batch; same ids when a page is redone).
  await Promise.all([
    deps.shards.upsertMany([...writes.values()]),
    changedFields.size > 0 && deps.history
      ? deps.history.record(
          [...changedFields].map(([id, fields]) => ({
            tenantId,
            shardId: id,
            source: 'provider' as const,
            runId: ctx.runId,
            integrationId,
            changedFields: [...fields],
            key: `${ctx.runId}|${integrationId}|${ctx.entity}`,
          })),
        )
      : undefined,
  ]);
  await deps.conflicts.saveMany(conflictWrites);
  if (pendingLinks.length > 0) await deps.syncState.savePendingLinks(pendingLinks);
  await deps.syncState.saveRecords(stateWrites);
  if (settled.length > 0) await deps.syncState.deletePendingLinks(tenantId, settled);
  counters.pages = 1;
  return { counters, recordErrors: read.recordErrors };
}
