/**
 * Provider records → mapped records, one page at a time. A record that cannot be mapped becomes a
 * record-level error naming the record and the field, and the rest of the page goes on: one bad record never
 * costs the page. Nothing here throws for bad data.
 */
import type { ProviderRecord } from '../adapters/contract';
import { asCompiled, type CompiledSchema } from './compile';
import { contentHash } from './content-hash';
import { deriveShards } from './derived';
import { mapFields } from './map-fields';
import { extractReferences } from './relationships';
import type { ConversionSchema } from './schema';
import type { MappedRecord, PageResult, RecordError } from './types';

export type TransformOutcome = { ok: true; record: MappedRecord } | { ok: false; error: RecordError };

function recordIdOf(record: unknown): string {
  const id = (record as { id?: unknown } | null)?.id;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : '(no id)';
}

function mappedRecord(
  compiled: CompiledSchema,
  record: ProviderRecord,
  fields: Pick<MappedRecord, 'deleted' | 'data' | 'contentHash' | 'references' | 'derived'>,
): MappedRecord {
  // Built field by field (not by spreading): this runs once per record on the hot path.
  const mapped: MappedRecord = {
    recordId: record.id,
    provider: compiled.schema.provider,
    entity: compiled.schema.entity,
    shardType: compiled.schema.shardType,
    deleted: fields.deleted,
    data: fields.data,
    contentHash: fields.contentHash,
    references: fields.references,
    derived: fields.derived,
  };
  if (record.version !== undefined) mapped.version = record.version;
  if (record.modifiedAt !== undefined) mapped.modifiedAt = record.modifiedAt;
  return mapped;
}

const EMPTY_HASH = contentHash({});

async function transformChecked(compiled: CompiledSchema, record: ProviderRecord): Promise<TransformOutcome> {
  const recordId = record.id;
  if (record.deleted) {
    // A deletion carries no data worth mapping; required fields would only fail it.
    return {
      ok: true,
      record: mappedRecord(compiled, record, {
        deleted: true,
        data: {},
        contentHash: EMPTY_HASH,
        references: [],
        derived: [],
      }),
    };
  }
  const mapped = await mapFields(compiled.fields, record.data);
  if (!mapped.ok) return { ok: false, error: { recordId, ...mapped.failure } };
  const derived =
    compiled.derived.length === 0 ? undefined : await deriveShards(compiled.derived, recordId, record.data);
  if (derived && !derived.ok) return { ok: false, error: { recordId, ...derived.failure } };
  return {
    ok: true,
    record: mappedRecord(compiled, record, {
      deleted: false,
      data: mapped.data,
      contentHash: contentHash(mapped.data, compiled.volatileFields),
      references: compiled.relationships.length === 0 ? [] : extractReferences(compiled.relationships, record.data),
      derived: derived?.shards ?? [],
    }),
  };
}

/** Maps one record; any input (even one that is not a ProviderRecord) yields a record or an error. */
export async function transformRecord(
  schema: ConversionSchema | CompiledSchema,
  record: ProviderRecord,
): Promise<TransformOutcome> {
  const compiled = asCompiled(schema);
  const candidate = record as unknown;
  if (candidate === null || typeof candidate !== 'object' || typeof record.id !== 'string' || record.id.length === 0) {
    return {
      ok: false,
      error: { recordId: recordIdOf(candidate), code: 'invalid_record', message: 'the record has no string id' },
    };
  }
  if (!record.deleted && (record.data === null || typeof record.data !== 'object' || Array.isArray(record.data))) {
    return {
      ok: false,
      error: { recordId: record.id, code: 'invalid_record', message: 'the record has no data object' },
    };
  }
  try {
    return await transformChecked(compiled, record);
  } catch (error) {
    // A defect in a coercion or a hostile value (a getter that throws): still one record's error, not the page's.
    return {
      ok: false,
      error: {
        recordId: record.id,
        code: 'invalid_record',
        message: error instanceof Error ? error.message : 'mapping failed',
      },
    };
  }
}

/** Maps a page: `ok` in page order, `errors` for the records that could not be mapped. */
export async function transformPage(
  schema: ConversionSchema | CompiledSchema,
  records: readonly ProviderRecord[],
): Promise<PageResult> {
  const compiled = asCompiled(schema);
  const result: PageResult = { ok: [], errors: [] };
  for (const record of records) {
    const outcome = await transformRecord(compiled, record);
    if (outcome.ok) result.ok.push(outcome.record);
    else result.errors.push(outcome.error);
  }
  return result;
}
