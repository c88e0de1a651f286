/**
 * The document store in memory: the same repositories as on Cosmos, for tests and benchmarks that measure or
 * exercise the product without a document service. Nothing is persisted; one store is one database.
 */
import type { DocumentStore } from '../document-store';
import { MemoryActivityRepository } from './activity-repository';
import { MemoryConflictsRepository } from './conflicts-repository';
import { MemoryIntegrationsRepository } from './integrations-repository';
import { MemoryContainer } from './memory-container';
import { MemoryNotificationsRepository } from './notifications-repository';
import { MemoryOAuthStatesRepository } from './oauth-states-repository';
import { MemoryRateLimitOverridesRepository } from './rate-limit-overrides-repository';
import { MemoryShardHistoryRepository } from './shard-history-repository';
import { MemoryShardsRepository } from './shards-repository';
import { MemorySyncRunsRepository } from './sync-runs-repository';
import { MemorySyncStateRepository, type SyncStateDoc } from './sync-state-repository';
import { MemoryWebhookReceiptsRepository } from './webhook-receipts-repository';
import { MemoryWebhookSubscriptionsRepository } from './webhook-subscriptions-repository';

export interface MemoryDocumentStoreOptions {
  /** The clock behind ETag'd writes' modification seconds (the outbound scan reads them). */
  nowMs?: () => number;
}

export function createMemoryDocumentStore(options: MemoryDocumentStoreOptions = {}): DocumentStore {
  const { nowMs } = options;
  return {
    integrations: new MemoryIntegrationsRepository(nowMs),
    shards: new MemoryShardsRepository(nowMs),
    syncState: new MemorySyncStateRepository(new MemoryContainer<SyncStateDoc>(nowMs)),
    runs: new MemorySyncRunsRepository(nowMs),
    conflicts: new MemoryConflictsRepository(nowMs),
    notifications: new MemoryNotificationsRepository(),
    webhookReceipts: new MemoryWebhookReceiptsRepository(),
    oauthStates: new MemoryOAuthStatesRepository(),
    webhookSubscriptions: new MemoryWebhookSubscriptionsRepository(nowMs),
    rateLimitOverrides: new MemoryRateLimitOverridesRepository(),
    activity: new MemoryActivityRepository(),
    shardHistory: new MemoryShardHistoryRepository(nowMs),
    ping: async () => undefined,
    dispose: () => undefined,
  };
}
