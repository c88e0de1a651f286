/** The document store on Cosmos DB: one repository per container, over one client (cosmos-client.ts). */
import type { Settings } from '../../../config/settings';
import type { DocumentStore } from '../document-store';
import { CosmosActivityRepository } from './activity-repository';
import { CosmosConflictsRepository } from './conflicts-repository';
import { openCosmosDatabase, type CosmosDatabase } from './cosmos-client';
import { CosmosIntegrationsRepository } from './integrations-repository';
import { CosmosNotificationsRepository } from './notifications-repository';
import { CosmosOAuthStatesRepository } from './oauth-states-repository';
import { CosmosRateLimitOverridesRepository } from './rate-limit-overrides-repository';
import { CosmosShardHistoryRepository } from './shard-history-repository';
import { CosmosShardsRepository } from './shards-repository';
import { CosmosSyncRunsRepository } from './sync-runs-repository';
import { CosmosSyncStateRepository } from './sync-state-repository';
import { CosmosWebhookReceiptsRepository } from './webhook-receipts-repository';
import { CosmosWebhookSubscriptionsRepository } from './webhook-subscriptions-repository';

export async function openDocumentStore(cosmos: Settings['cosmos'], azureClientId?: string): Promise<DocumentStore> {
  return documentStoreOn(await openCosmosDatabase(cosmos, azureClientId));
}

/** The repositories over an open database (the composition root keeps the database for what it builds itself). */
export function documentStoreOn(database: CosmosDatabase): DocumentStore {
  const { containers } = database;
  return {
    integrations: new CosmosIntegrationsRepository(containers.integrations),
    shards: new CosmosShardsRepository(containers.shards),
    syncState: new CosmosSyncStateRepository(containers.syncState),
    runs: new CosmosSyncRunsRepository(containers.syncRuns),
    conflicts: new CosmosConflictsRepository(containers.conflicts),
    notifications: new CosmosNotificationsRepository(containers.notifications),
    webhookReceipts: new CosmosWebhookReceiptsRepository(containers.webhookDeliveries),
    // OAuth state markers live beside the integration's other sync state.
    oauthStates: new CosmosOAuthStatesRepository(containers.syncState),
    // So do webhook subscription states.
    webhookSubscriptions: new CosmosWebhookSubscriptionsRepository(containers.syncState),
    rateLimitOverrides: new CosmosRateLimitOverridesRepository(containers.rateLimitOverrides),
    activity: new CosmosActivityRepository(containers.activity),
    shardHistory: new CosmosShardHistoryRepository(containers.shardHistory),
    ping: () => database.ping(),
    dispose: () => database.dispose(),
  };
}
