/**
 * How long each Cosmos container keeps what is written to it, for the model's storage figure. A document that
 * carries its own `ttl` (Cosmos per-item TTL) is counted for that ttl wherever it lives (the benchmarks' meter sums
 * size × ttl of every document created: ttlByteSeconds); this table says what happens to the other documents each
 * container receives. Keyed by every container of shared/stores/documents/cosmos/containers.ts, so a new container
 * does not compile until it is given a rule here (and retention.test.ts checks the same at run time).
 */
import { CONTAINERS, type ContainerName } from '../../shared/stores/documents/cosmos/containers';

export type KeptFor =
  /** The container's default ttl: infra's webhookDeliveryTtlSeconds (deployment.ts). */
  | 'receipt-ttl'
  /** The documents of the records kept: the records synced in a day, taken as the distinct records. */
  | 'records'
  /** Never expire: a month of them is counted (older ones are what a month of operation adds again). */
  | 'a-month'
  /** Only documents with their own ttl grow the container; the rest are a few per tenant or integration. */
  | 'own-ttl'
  /** A few documents per tenant or integration, or written by people: not counted. */
  | 'not-counted';

export interface ContainerRetention {
  keptFor: KeptFor;
  why: string;
}

export const RETENTION: Readonly<Record<ContainerName, ContainerRetention>> = {
  integrations: { keptFor: 'not-counted', why: 'one document per integration' },
  shards: { keptFor: 'records', why: 'a shard per record, kept while the record lives' },
  'sync-state': {
    keptFor: 'records',
    why: 'a state per record; OAuth and subscription markers are a few per integration',
  },
  'sync-runs': { keptFor: 'a-month', why: 'run documents carry no expiry' },
  conflicts: { keptFor: 'not-counted', why: 'held until a person resolves them; none at the benchmarks' },
  'webhook-deliveries': { keptFor: 'receipt-ttl', why: 'receipts expire with the container’s default ttl' },
  notifications: { keptFor: 'own-ttl', why: 'delivery records carry a 30-day ttl; channels are a few per tenant' },
  'rate-limit-overrides': { keptFor: 'not-counted', why: 'written by operators, a few per tenant' },
  activity: {
    keptFor: 'own-ttl',
    why: 'entries carry ACTIVITY_RETENTION_DAYS, run logs RUN_LOG_RETENTION_DAYS, as their ttl',
  },
  'shard-history': { keptFor: 'own-ttl', why: 'entries carry SHARD_HISTORY_RETENTION_DAYS as their ttl' },
};

/** The names of shared/stores/documents/cosmos/containers.ts, the product's containers. */
export const PRODUCT_CONTAINERS: readonly ContainerName[] = Object.values(CONTAINERS).map((c) => c.name);

export function retentionOf(container: string): ContainerRetention {
  const rule = (RETENTION as Readonly<Record<string, ContainerRetention>>)[container];
  if (!rule) throw new Error(`tools/capacity/retention.ts: no retention rule for the Cosmos container "${container}"`);
  return rule;
}
