/**
 * What the mapping library hands the page pipeline: mapped records (primary shard data, its references to
 * other records, its derived shards, its content hash) and record-level errors.
 */
import type { ProviderId } from '../core/providers';

/** A pointer to another provider record, to be resolved through the external-id map. */
export interface UnresolvedReference {
  /** Link name on the shard ("account", "assignee"). */
  name: string;
  provider: ProviderId;
  entity: string;
  externalId: string;
}

export interface DerivedShard {
  /** The derived spec's name ("labels"). */
  name: string;
  shardType: string;
  /** `${parentExternalId}#${name}/${key}`: stable across runs while the item's key is. */
  externalId: string;
  parentExternalId: string;
  data: Record<string, unknown>;
  contentHash: string;
}

export interface MappedRecord {
  /** The provider record id (also the primary shard's external id). */
  recordId: string;
  provider: ProviderId;
  entity: string;
  shardType: string;
  version?: string;
  modifiedAt?: string;
  /** A deletion: `data` is empty and nothing else was mapped. */
  deleted: boolean;
  data: Record<string, unknown>;
  contentHash: string;
  references: UnresolvedReference[];
  derived: DerivedShard[];
}

export const RECORD_ERROR_CODES = [
  'missing_required',
  'coercion_failed',
  'expression_failed',
  'expression_limit',
  'invalid_record',
  'derived_failed',
] as const;
export type RecordErrorCode = (typeof RECORD_ERROR_CODES)[number];

export interface RecordError {
  recordId: string;
  /** The shard field ("dueDate"), "derived.labels", "relationships.account", or undefined for the whole record. */
  field?: string;
  code: RecordErrorCode;
  message: string;
}

export interface PageResult {
  ok: MappedRecord[];
  errors: RecordError[];
}
