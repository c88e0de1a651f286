/**
 * Outbound: shard fields → provider fields, for the fields that may be written back. Computed fields have no
 * inverse and read-only fields must not be sent; both are listed in the result with the reason, so the
 * outbound worker (and the operator) can see what was not pushed and why.
 */
import { asCompiled, type CompiledSchema } from './compile';
import { isSafeWritePath, setPath } from './paths';
import type { ConversionSchema } from './schema';

export type NotReversibleReason = 'computed' | 'read_only' | 'no_inverse';

export interface ReverseResult {
  /** Provider-shaped data (nested along the source paths), ready for a push operation. */
  data: Record<string, unknown>;
  /** Shard fields given that were not mapped back. */
  notReversible: { field: string; reason: NotReversibleReason; message: string }[];
  /** Shard fields given that the schema does not map at all. */
  unknownFields: string[];
}

/**
 * Maps the given shard fields back (pass only the changed ones for a partial update). Absent fields are left
 * out; a null is sent as null (the field was cleared).
 */
export function reverseMap(
  schema: ConversionSchema | CompiledSchema,
  shardData: Record<string, unknown>,
): ReverseResult {
  const compiled = asCompiled(schema);
  const result: ReverseResult = { data: {}, notReversible: [], unknownFields: [] };
  const known = new Set<string>();
  for (const field of compiled.fields) {
    known.add(field.name);
    if (!Object.prototype.hasOwnProperty.call(shardData, field.name)) continue;
    if (field.read.kind === 'expression') {
      result.notReversible.push({
        field: field.name,
        reason: 'computed',
        message: `"${field.name}" is computed by an expression and has no inverse`,
      });
      continue;
    }
    if (!field.writable || !isSafeWritePath(field.read.segments)) {
      result.notReversible.push({
        field: field.name,
        reason: 'read_only',
        message: `"${field.name}" is not writable at the provider`,
      });
      continue;
    }
    const value = shardData[field.name];
    const reversed = value === null ? { ok: true as const, value: null } : field.reverse(value);
    if (!reversed.ok) {
      result.notReversible.push({
        field: field.name,
        reason: 'no_inverse',
        message: `"${field.name}": ${reversed.message}`,
      });
      continue;
    }
    setPath(result.data, field.read.segments, reversed.value);
  }
  for (const name of Object.keys(shardData)) if (!known.has(name)) result.unknownFields.push(name);
  return result;
}
