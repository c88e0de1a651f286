/**
 * Relationships: a field of a provider record that holds another record's provider id (Contact.AccountId →
 * the Account, an issue's assignee → the user). The mapper yields unresolved references; the pipeline looks
 * them up in the external-id map, and `resolveLinks` splits them into links and pending links (target not
 * synced yet, to be linked when it arrives).
 */
import type { ProviderId } from '../core/providers';
import type { CompiledRelationship } from './compile';
import { getPath } from './paths';
import type { UnresolvedReference } from './types';

function idsAt(value: unknown): string[] {
  const values = Array.isArray(value) ? value : [value];
  const ids: string[] = [];
  for (const item of values) {
    if (typeof item === 'string' && item.length > 0) ids.push(item);
    else if (typeof item === 'number' && Number.isFinite(item)) ids.push(String(item));
  }
  return ids;
}

/** The references one record makes; absent or null fields make none, an array of ids makes one each. */
export function extractReferences(
  relationships: readonly CompiledRelationship[],
  data: Record<string, unknown>,
): UnresolvedReference[] {
  const references: UnresolvedReference[] = [];
  for (const relationship of relationships) {
    for (const externalId of new Set(idsAt(getPath(data, relationship.segments)))) {
      references.push({
        name: relationship.name,
        provider: relationship.targetProvider,
        entity: relationship.targetEntity,
        externalId,
      });
    }
  }
  return references;
}

/** The external-id map key of a referenced record: what the pipeline batches its look-ups by. */
export function referenceKey(reference: { provider: ProviderId; entity: string; externalId: string }): string {
  return `${reference.provider}/${reference.entity}/${reference.externalId}`;
}

/** Distinct keys to look up for a page, so the pipeline makes one batched query, not one per reference. */
export function referenceKeys(references: Iterable<UnresolvedReference>): string[] {
  const keys = new Set<string>();
  for (const reference of references) keys.add(referenceKey(reference));
  return [...keys];
}

export interface ResolvedLink extends UnresolvedReference {
  targetShardId: string;
}

export interface LinkResolution {
  resolved: ResolvedLink[];
  /** Targets not (yet) in the external-id map: store them and link once the target is synced. */
  pending: UnresolvedReference[];
}

/** External-id map look-ups: a map keyed by `referenceKey`, or a function over a reference. */
export type ShardIdLookup = ReadonlyMap<string, string> | ((reference: UnresolvedReference) => string | undefined);

export function resolveLinks(references: readonly UnresolvedReference[], lookup: ShardIdLookup): LinkResolution {
  const find =
    typeof lookup === 'function' ? lookup : (reference: UnresolvedReference) => lookup.get(referenceKey(reference));
  const resolution: LinkResolution = { resolved: [], pending: [] };
  for (const reference of references) {
    const targetShardId = find(reference);
    if (targetShardId === undefined) resolution.pending.push(reference);
    else resolution.resolved.push({ ...reference, targetShardId });
  }
  return resolution;
}
