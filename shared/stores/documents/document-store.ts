/**
 * The document store: one repository per kind of document, and the store's own health and lifetime. Features
 * get repositories, never the SDK. Implementations: cosmos/document-store.ts (Azure Cosmos DB; locally the same
 * code against cosmosdb-server) and memory/document-store.ts (tests, benchmarks).
 */
import type { OverrideDocuments } from '../../ratelimit/durable-overrides';
import type { ActivityRepository } from './activity-repository';
import type { ConflictsRepository } from './conflicts-repository';
import type { IntegrationsRepository } from './integrations-repository';
import type { NotificationsRepository } from './notifications-repository';
import type { OAuthStatesRepository } from './oauth-states-repository';
import type { ShardHistoryRepository } from './shard-history-repository';
import type { ShardsRepository } from './shards-repository';
import type { SyncRunsRepository } from './sync-runs-repository';
import type { SyncStateRepository } from './sync-state-repository';
import type { WebhookReceiptsRepository } from './webhook-receipts-repository';
import type { WebhookSubscriptionsRepository } from './webhook-subscriptions-repository';

export interface DocumentStore {
  integrations: IntegrationsRepository;
  shards: ShardsRepository;
  syncState: SyncStateRepository;
  runs: SyncRunsRepository;
  conflicts: ConflictsRepository;
  notifications: NotificationsRepository;
  webhookReceipts: WebhookReceiptsRepository;
  oauthStates: OAuthStatesRepository;
  /** Webhook subscriptions the app keeps at the providers (GitHub hooks, Google channels), one per integration. */
  webhookSubscriptions: WebhookSubscriptionsRepository;
  /** The durable copy of the rate limiter's overrides (its port: shared/ratelimit/durable-overrides.ts). */
  rateLimitOverrides: OverrideDocuments;
  /** The activity log and the per-run logs (admin API: activity-routes.ts). */
  activity: ActivityRepository;
  /** Which run or person changed which fields of a shard, kept for the retention (SHARD_HISTORY_RETENTION_DAYS). */
  shardHistory: ShardHistoryRepository;
  /** A cheap read that proves the store answers. */
  ping(): Promise<void>;
  dispose(): void;
}
