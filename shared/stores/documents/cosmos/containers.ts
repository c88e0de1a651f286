/**
 * The Cosmos DB containers of database `integrations` and their partition keys (ARCHITECTURE.md, data model).
 * The local set-up creates them when missing; infra/ must declare the same names and keys (checked by tests).
 */
export const CONTAINERS = {
  integrations: { name: 'integrations', partitionKey: '/tenantId' },
  shards: { name: 'shards', partitionKey: '/tenantId' },
  syncState: { name: 'sync-state', partitionKey: '/integrationId' },
  syncRuns: { name: 'sync-runs', partitionKey: '/integrationId' },
  conflicts: { name: 'conflicts', partitionKey: '/tenantId' },
  webhookDeliveries: { name: 'webhook-deliveries', partitionKey: '/integrationId' },
  notifications: { name: 'notifications', partitionKey: '/tenantId' },
  rateLimitOverrides: { name: 'rate-limit-overrides', partitionKey: '/tenantId' },
  // The activity log and the per-run logs; every document carries its own ttl (TTL on, no default expiry).
  activity: { name: 'activity', partitionKey: '/tenantId', defaultTtl: -1 },
  // Per-item TTL (each entry carries its retention), so TTL is on without a default expiry.
  shardHistory: { name: 'shard-history', partitionKey: '/tenantId', defaultTtl: -1 },
} as const;

export type ContainerKey = keyof typeof CONTAINERS;
export type ContainerName = (typeof CONTAINERS)[ContainerKey]['name'];
