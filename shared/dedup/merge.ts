/**
 * Merging a matched record into an existing shard keeps the external references of every source, so each
 * source record still finds the shard (and outbound sync still knows every provider to update).
 */
import { refKey } from './memory-index';
import type { ExternalRef } from './types';

/**
 * Union of two ref lists by source identity (integration, provider, entity, id), existing order first.
 * A ref present in both is updated in place with the incoming fields (e.g. a newer version stamp).
 */
export function mergeExternalRefs<R extends ExternalRef>(existing: readonly R[], incoming: readonly R[]): R[] {
  const merged = new Map<string, R>();
  for (const ref of existing) merged.set(refKey(ref), ref);
  for (const ref of incoming) {
    const key = refKey(ref);
    const previous = merged.get(key);
    merged.set(key, previous ? { ...previous, ...ref } : ref);
  }
  return [...merged.values()];
}
