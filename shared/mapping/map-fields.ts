/**
 * Maps one input object through compiled field mappings: read (path or JSONata), default, required, coerce.
 * Plain paths run synchronously; only computed fields pay for JSONata's async evaluation.
 */
import type { CompiledField } from './compile';
import { evaluateExpression } from './expressions';
import { getPath } from './paths';
import type { RecordErrorCode } from './types';

export interface FieldFailure {
  field: string;
  code: RecordErrorCode;
  message: string;
}

export type FieldsResult = { ok: true; data: Record<string, unknown> } | { ok: false; failure: FieldFailure };

/** Applies default / required / coercion to a value read for `field`; writes into `data` or returns a failure. */
function settle(field: CompiledField, raw: unknown, data: Record<string, unknown>): FieldFailure | undefined {
  if (raw === undefined || raw === null) {
    if (field.hasDefault) raw = field.defaultValue;
    else if (field.required)
      return { field: field.name, code: 'missing_required', message: `required field "${field.name}" is missing` };
    else {
      // null is kept (the provider cleared the field, which is a change); absent stays absent.
      if (raw === null) data[field.name] = null;
      return undefined;
    }
  }
  const coerced = field.coerce(raw);
  if (!coerced.ok)
    return { field: field.name, code: 'coercion_failed', message: `field "${field.name}": ${coerced.message}` };
  data[field.name] = coerced.value;
  return undefined;
}

export async function mapFields(fields: readonly CompiledField[], input: unknown): Promise<FieldsResult> {
  const data: Record<string, unknown> = {};
  let computed: CompiledField[] | undefined;
  for (const field of fields) {
    if (field.read.kind === 'expression') {
      (computed ??= []).push(field);
      continue;
    }
    const failure = settle(field, getPath(input, field.read.segments), data);
    if (failure) return { ok: false, failure };
  }
  if (computed) {
    for (const field of computed) {
      const read = field.read as Extract<CompiledField['read'], { kind: 'expression' }>;
      const evaluated = await evaluateExpression(read.expression, input);
      if (!evaluated.ok)
        return {
          ok: false,
          failure: { field: field.name, code: evaluated.code, message: `field "${field.name}": ${evaluated.message}` },
        };
      const failure = settle(field, evaluated.value, data);
      if (failure) return { ok: false, failure };
    }
  }
  return { ok: true, data };
}
