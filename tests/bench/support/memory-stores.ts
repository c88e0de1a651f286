/**
 * In-memory stand-ins for what the inbound page pipeline needs of storage (ShardStore, SyncStateStore, the
 * conflicts container's bulk call) and of the queue, so the pipeline's own cost can be measured without
 * Cosmos. Documents are kept by reference: the page writer builds a new object for every write and never
 * changes one it read, so no copies are needed (copying would measure structuredClone, not the pipeline).
 */
import type { BulkOperationResponse, OperationInput, OperationResponse } from '@azure/cosmos';
import type { BulkContainer } from '../../../shared/stores/documents/bulk';
import type { ShardStore } from '../../../shared/stores/documents/shards-repository';
import type { EntityCheckpoint, SyncStateStore } from '../../../shared/stores/documents/sync-state-repository';
import type { OutgoingMessage, QueueSender } from '../../../shared/stores/queue/queue-port';
import type { QueueName } from '../../../shared/stores/queue/queues';
import type { Shard } from '../../../shared/core/shard';
import { recordStateId, type RecordState } from '../../../shared/core/record-state';

export class MemoryShardStore implements ShardStore {
  readonly byId = new Map<string, Shard>();

  async getMany(tenantId: string, shardIds: string[]): Promise<Map<string, Shard>> {
    const out = new Map<string, Shard>();
    for (const id of shardIds) {
      const shard = this.byId.get(id);
      if (shard && shard.tenantId === tenantId) out.set(id, shard);
    }
    return out;
  }

  async upsertMany(shards: Shard[]): Promise<void> {
    for (const shard of shards) this.byId.set(shard.id, shard);
  }
}

export class MemorySyncStateStore implements SyncStateStore {
  readonly states = new Map<string, RecordState>();
  readonly checkpoints = new Map<string, EntityCheckpoint>();

  async checkpoint(integrationId: string, entity: string): Promise<EntityCheckpoint | undefined> {
    const found = this.checkpoints.get(`${integrationId}|${entity}`);
    return found;
  }

  async saveCheckpoint(checkpoint: Omit<EntityCheckpoint, 'id' | 'kind'>): Promise<void> {
    this.checkpoints.set(`${checkpoint.integrationId}|${checkpoint.entity}`, {
      ...checkpoint,
      id: `checkpoint-${checkpoint.entity}`,
      kind: 'checkpoint',
    });
  }

  async records(integrationId: string, entity: string, externalIds: string[]): Promise<Map<string, RecordState>> {
    const out = new Map<string, RecordState>();
    for (const externalId of externalIds) {
      const state = this.states.get(`${integrationId}|${recordStateId(entity, externalId)}`);
      if (state) out.set(externalId, state);
    }
    return out;
  }

  async saveRecords(states: RecordState[]): Promise<void> {
    for (const state of states) this.states.set(`${state.integrationId}|${state.id}`, state);
  }

  async unseenSince(
    integrationId: string,
    entity: string,
    runId: string,
    limit: number,
  ): Promise<{ unseen: RecordState[]; live: number }> {
    const unseen: RecordState[] = [];
    let live = 0;
    for (const state of this.states.values()) {
      if (state.integrationId !== integrationId || state.entity !== entity || state.deleted) continue;
      live++;
      if (state.lastSeenRunId !== runId && unseen.length < limit) unseen.push(state);
    }
    return { unseen, live };
  }
}

/** The conflicts container's bulk call: every upsert succeeds and is kept. */
export function memoryBulkContainer(): BulkContainer & { docs: Map<string, unknown> } {
  const docs = new Map<string, unknown>();
  return {
    docs,
    items: {
      bulk: async (operations: OperationInput[]): Promise<BulkOperationResponse> =>
        // No diagnostics: nothing here reads them.
        operations.map((operation): OperationResponse => {
          const body = (operation as { resourceBody?: { id: string } }).resourceBody;
          if (body) docs.set(body.id, body);
          return { statusCode: 200, requestCharge: 0 };
        }) as unknown as BulkOperationResponse,
    },
  };
}

/** Keeps sent messages in order; the benchmark drives the next page itself. */
export class MemoryQueue implements QueueSender {
  readonly sent: Array<{ queue: QueueName; message: OutgoingMessage }> = [];
  async send(queue: QueueName, messages: OutgoingMessage[]): Promise<void> {
    for (const message of messages) this.sent.push({ queue, message });
  }
  async ping(): Promise<void> {}
  async close(): Promise<void> {}
}
