/**
 * The sync-state port in memory (tests, benchmarks): one partition per integration (pending links: per tenant,
 * `tenant:<id>`), as in Cosmos; the OAuth state markers (oauth-states-repository.ts) may share the container.
 */
import { recordStateId, type RecordState } from '../../../core/record-state';
import type { Stored } from '../../../core/stored';
import {
  outboundLedgerId,
  pendingLinkId,
  pendingLinkPartition,
  type EntityCheckpoint,
  type HealthStateDoc,
  type OutboundCheckpoint,
  type OutboundLedger,
  type PendingLinkDoc,
  type SyncStateRepository,
} from '../sync-state-repository';
import { MemoryContainer, stored } from './memory-container';

/** Any document of the sync-state container: each kind names its partition in `integrationId`. */
export type SyncStateDoc = { id: string; integrationId: string; kind: string };

export class MemorySyncStateRepository implements SyncStateRepository {
  constructor(readonly container: MemoryContainer<SyncStateDoc> = new MemoryContainer()) {}

  async checkpoint(integrationId: string, entity: string): Promise<EntityCheckpoint | undefined> {
    return this.container.read(integrationId, `checkpoint-${entity}`)?.doc as EntityCheckpoint | undefined;
  }

  async saveCheckpoint(checkpoint: Omit<EntityCheckpoint, 'id' | 'kind'>): Promise<void> {
    this.container.upsert(checkpoint.integrationId, {
      ...checkpoint,
      id: `checkpoint-${checkpoint.entity}`,
      kind: 'checkpoint',
    });
  }

  async deleteCheckpoint(integrationId: string, entity: string): Promise<boolean> {
    return this.container.delete(integrationId, `checkpoint-${entity}`);
  }

  async deleteIntegration(integrationId: string): Promise<{ deleted: number; shardIds: string[] }> {
    const docs = [...this.container.partition(integrationId)].map((slot) => slot.doc);
    const shardIds = new Set<string>();
    for (const doc of docs) {
      const state = doc as Partial<RecordState>;
      if (state.kind !== 'record') continue;
      if (state.shardId) shardIds.add(state.shardId);
      for (const derived of state.derivedShardIds ?? []) shardIds.add(derived);
    }
    for (const doc of docs) this.container.delete(integrationId, doc.id);
    return { deleted: docs.length, shardIds: [...shardIds] };
  }

  async records(integrationId: string, entity: string, externalIds: string[]): Promise<Map<string, RecordState>> {
    const found = new Map<string, RecordState>();
    for (const externalId of externalIds) {
      const state = this.container.read(integrationId, recordStateId(entity, externalId))?.doc as
        RecordState | undefined;
      if (state) found.set(state.externalId, state);
    }
    return found;
  }

  async saveRecords(states: RecordState[]): Promise<void> {
    for (const state of states) this.container.upsert(state.integrationId, state);
  }

  async savePendingLinks(links: PendingLinkDoc[]): Promise<void> {
    for (const link of links) this.container.upsert(link.integrationId, link);
  }

  async pendingLinksTo(tenantId: string, targetKeys: string[]): Promise<PendingLinkDoc[]> {
    const found: PendingLinkDoc[] = [];
    for (const key of targetKeys) {
      const doc = this.container.read(pendingLinkPartition(tenantId), pendingLinkId(key))?.doc as
        PendingLinkDoc | undefined;
      if (doc && doc.tenantId === tenantId) found.push(doc);
    }
    return found;
  }

  async deletePendingLinks(tenantId: string, ids: string[]): Promise<void> {
    for (const id of ids) this.container.delete(pendingLinkPartition(tenantId), id);
  }

  async outboundLedgers(integrationId: string, shardIds: string[]): Promise<Map<string, Stored<OutboundLedger>>> {
    const found = new Map<string, Stored<OutboundLedger>>();
    for (const shardId of shardIds) {
      const entry = await this.outboundLedger(integrationId, shardId);
      if (entry) found.set(entry.shardId, entry);
    }
    return found;
  }

  async outboundLedger(integrationId: string, shardId: string): Promise<Stored<OutboundLedger> | undefined> {
    const slot = this.container.read(integrationId, outboundLedgerId(shardId));
    return slot ? (stored(slot) as unknown as Stored<OutboundLedger>) : undefined;
  }

  async saveOutboundLedger(
    entry: OutboundLedger | Stored<OutboundLedger>,
    etag: string | undefined,
  ): Promise<Stored<OutboundLedger>> {
    const { _etag, ...body } = entry as Stored<OutboundLedger>;
    void _etag;
    const what = `outbound ledger of shard ${body.shardId}`;
    const slot = etag
      ? this.container.replace(body.integrationId, body, etag, what)
      : this.container.create(body.integrationId, body, what);
    return stored(slot) as unknown as Stored<OutboundLedger>;
  }

  async healthState(integrationId: string): Promise<Stored<HealthStateDoc> | undefined> {
    const slot = this.container.read(integrationId, 'health');
    return slot ? (stored(slot) as unknown as Stored<HealthStateDoc>) : undefined;
  }

  async saveHealthState(state: HealthStateDoc, etag: string | undefined): Promise<Stored<HealthStateDoc>> {
    const { _etag, ...body } = state as Stored<HealthStateDoc>;
    void _etag;
    const slot = etag
      ? this.container.replace(body.integrationId, body, etag, 'health state')
      : this.container.create(body.integrationId, body, 'health state');
    return stored(slot) as unknown as Stored<HealthStateDoc>;
  }

  async outboundCheckpoint(integrationId: string): Promise<OutboundCheckpoint | undefined> {
    return this.container.read(integrationId, 'outbound-checkpoint')?.doc as OutboundCheckpoint | undefined;
  }

  async saveOutboundCheckpoint(checkpoint: Omit<OutboundCheckpoint, 'id' | 'kind'>): Promise<void> {
    this.container.upsert(checkpoint.integrationId, {
      ...checkpoint,
      id: 'outbound-checkpoint',
      kind: 'outbound-checkpoint',
    });
  }

  async unseenSince(
    integrationId: string,
    entity: string,
    runId: string,
    limit: number,
  ): Promise<{ unseen: RecordState[]; live: number }> {
    const unseen: RecordState[] = [];
    let live = 0;
    for (const { doc } of this.container.partition(integrationId)) {
      const state = doc as RecordState;
      if (state.kind !== 'record' || state.entity !== entity || state.deleted) continue;
      live++;
      if (state.lastSeenRunId !== runId && unseen.length < limit) unseen.push(state);
    }
    return { unseen, live };
  }
}
