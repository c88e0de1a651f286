/**
 * Shards: the internal records the engine keeps in sync with the providers (container `shards`, one partition
 * per tenant). Ids of shards made from provider records derive from (integration, entity, external id), so a
 * page processed twice writes the same documents.
 */
import { sha256Hex } from './sha256';

export interface ExternalRef {
  provider: string;
  integrationId: string;
  entity: string;
  externalId: string;
  version?: string;
}

export interface ShardLink {
  name: string;
  /** The integration whose record made the link (a merged shard has links from several sources). */
  integrationId?: string;
  targetShardId?: string;
  /** Set while the target has not arrived yet; resolved when it does. */
  pending?: { provider: string; entity: string; externalId: string };
}

export interface Shard {
  id: string;
  tenantId: string;
  shardType: string;
  data: Record<string, unknown>;
  externalRefs: ExternalRef[];
  links: ShardLink[];
  /** Who wrote last: an inbound sync (never pushed back) or a local edit (pushed out). */
  lastWrittenBy: 'inbound' | 'local';
  deleted: boolean;
  updatedAt: string;
  /** The store's modification time (seconds), used by the outbound changed-shard scan. */
  _ts?: number;
  /** A shard created locally (no external record yet): the integration it is to be created in. */
  targetIntegrationId?: string;
  /** The last outbound push failed permanently: what and when (cleared by the next successful push). */
  pushError?: { integrationId: string; code: string; message: string; at: string };
  /** Natural and fuzzy blocking keys (shared/dedup/keys.ts), namespaced by strategy name: the tenant's dedup index. */
  dedupKeys?: string[];
  /**
   * The inbound run that created the shard and the fields it brought: the first item of the shard's history,
   * kept on the shard itself so a first sync writes no history document per record (creation is most writes).
   */
  created?: { at: string; runId: string; integrationId: string; fields: string[] };
  /** Why other sources' records were merged into this shard (latest first, bounded). */
  dedupDecisions?: ShardDedupDecision[];
}

export interface ShardDedupDecision {
  strategy: string;
  score?: number;
  matchedShardId: string;
  source: ExternalRef;
  runId: string;
  at: string;
}

export function shardIdFor(integrationId: string, entity: string, externalId: string): string {
  return `sh-${sha256Hex(`${integrationId}|${entity}|${externalId}`).slice(0, 32)}`;
}
