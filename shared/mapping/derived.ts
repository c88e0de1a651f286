/**
 * Derived shards: one provider record yielding several shards (an issue's labels, an order's lines), from a
 * JSONata expression that returns the child items. Each child gets a stable external id
 * `${parentId}#${name}/${key}` so a re-sync updates the same child shard instead of adding a new one.
 */
import type { CompiledDerived } from './compile';
import { contentHash } from './content-hash';
import { evaluateExpression } from './expressions';
import { mapFields, type FieldFailure } from './map-fields';
import { getPath } from './paths';
import type { DerivedShard } from './types';

export type DerivedResult = { ok: true; shards: DerivedShard[] } | { ok: false; failure: FieldFailure };

function keyOf(spec: CompiledDerived, item: unknown, input: Record<string, unknown>): string | undefined {
  if (spec.key) {
    const key = getPath(input, spec.key);
    return typeof key === 'string' || (typeof key === 'number' && Number.isFinite(key)) ? String(key) : undefined;
  }
  if (typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean') return String(item);
  // An object item without a declared key is keyed by its content: stable while it does not change.
  return contentHash(input).slice(0, 16);
}

export async function deriveShards(
  specs: readonly CompiledDerived[],
  parentId: string,
  data: Record<string, unknown>,
): Promise<DerivedResult> {
  const shards: DerivedShard[] = [];
  for (const spec of specs) {
    const field = `derived.${spec.name}`;
    const evaluated = await evaluateExpression(spec.expression, data);
    if (!evaluated.ok)
      return { ok: false, failure: { field, code: evaluated.code, message: `${field}: ${evaluated.message}` } };
    const items =
      evaluated.value === undefined || evaluated.value === null
        ? []
        : Array.isArray(evaluated.value)
          ? evaluated.value
          : [evaluated.value];
    const seen = new Set<string>();
    for (const item of items) {
      const input =
        item !== null && typeof item === 'object' && !Array.isArray(item)
          ? (item as Record<string, unknown>)
          : { value: item };
      const key = keyOf(spec, item, input);
      if (key === undefined)
        return {
          ok: false,
          failure: { field, code: 'derived_failed', message: `${field}: an item has no usable key` },
        };
      const externalId = `${parentId}#${spec.name}/${encodeURIComponent(key)}`;
      // The first item with a key wins: two children with one external id would fight over one shard.
      if (seen.has(externalId)) continue;
      seen.add(externalId);
      let shardData: Record<string, unknown> = { ...input };
      if (spec.fields) {
        const mapped = await mapFields(spec.fields, input);
        if (!mapped.ok) return { ok: false, failure: { ...mapped.failure, field: `${field}.${mapped.failure.field}` } };
        shardData = mapped.data;
      }
      shards.push({
        name: spec.name,
        shardType: spec.shardType,
        externalId,
        parentExternalId: parentId,
        data: shardData,
        contentHash: contentHash(shardData),
      });
    }
  }
  return { ok: true, shards };
}
