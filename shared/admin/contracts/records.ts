/**
 * Typed contracts of the record browser, the record page and record history (issue 18 §4), shared by the routes
 * (shared/admin/api/shard-browse-routes.ts) and the admin UI. Types only.
 */
import type { ExternalRef, Shard, ShardLink } from '../../core/shard';
import type { ShardHistorySource } from '../../core/shard-history';

/** One record in the browser: the shard without its data, with the title the browser shows and searches. */
export interface ShardSummary {
  id: string;
  shardType: string;
  /** The first non-empty of the title fields (shared/core/shard-title.ts), at most 200 characters. */
  title?: string;
  externalRefs: ExternalRef[];
  links: ShardLink[];
  lastWrittenBy: Shard['lastWrittenBy'];
  updatedAt: string;
  targetIntegrationId?: string;
  pushError?: Shard['pushError'];
}

/** GET tenants/{t}/shards?integrationId=&entity=&q=&limit=&continuationToken= */
export interface ShardListResponse {
  items: ShardSummary[];
  /** Present when there are more: pass it back as `continuationToken` for the next page. */
  continuationToken?: string;
}

export interface ShardHistoryItem {
  at: string;
  source: ShardHistorySource;
  /** The inbound run that changed the record (source provider). */
  runId?: string;
  /** Who changed it (source admin or conflict): the admin principal. */
  actor?: string;
  /** The integration the change came through. */
  integrationId?: string;
  /** Names of the record's fields that changed (never their values). */
  changedFields: string[];
  /** The run that created the record (its fields: those it brought). */
  created?: true;
}

/** GET tenants/{t}/shards/{shardId}/history: newest first, within the retention. */
export interface ShardHistoryResponse {
  items: ShardHistoryItem[];
}
