/**
 * The sync state of one provider record in one integration (container `sync-state`, partition /integrationId):
 * the shard it maps to, the last-synced base snapshot for three-way merges, its content hash to tell
 * "unchanged" from "updated", the provider's version, and the last run that saw it (delete detection by mark
 * and sweep). Its id derives from (entity, external id), so a page processed twice writes the same document.
 */
import { sha256Hex } from './sha256';

export interface RecordState {
  id: string;
  kind: 'record';
  integrationId: string;
  tenantId: string;
  entity: string;
  externalId: string;
  shardId: string;
  base: Record<string, unknown>;
  contentHash: string;
  providerVersion?: string;
  lastSeenRunId: string;
  deleted: boolean;
  updatedAt: string;
  /** Deleted by a local delete pushed out: the provider's copy (a closed issue, a trashed page) is not re-imported. */
  deletedLocally?: boolean;
  /** How this record found its shard when it was first synced, when another source's shard was matched. */
  dedup?: { strategy: string; score?: number; matchedShardId: string; reason: string };
  /** The derived shards (comments, labels…) last written for this record: one missing next time is removed. */
  derivedShardIds?: string[];
}

export function recordStateId(entity: string, externalId: string): string {
  return `rec-${sha256Hex(`${entity}|${externalId}`).slice(0, 32)}`;
}
