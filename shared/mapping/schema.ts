/**
 * The conversion schema an operator saves per integration and entity: how one provider record becomes one
 * shard (field by field), which other records it points at, and which extra shards it yields. This file holds
 * the shape only (zod); validate.ts checks it against the provider's catalog and compiles its expressions.
 */
import { z } from 'zod';
import { PROVIDER_IDS } from '../core/providers';

const fieldName = z
  .string()
  .regex(
    /^[A-Za-z_$][A-Za-z0-9_$-]{0,99}$/,
    'must be a letter, "_" or "$" followed by up to 99 letters, digits, "_", "$" or "-"',
  );
const path = z.string().min(1).max(500);
const expression = z.string().min(1).max(10_000);

export const coercionSchema = z.discriminatedUnion('to', [
  z.object({ to: z.literal('string'), trim: z.boolean().optional() }).strict(),
  z.object({ to: z.literal('number') }).strict(),
  z.object({ to: z.literal('integer') }).strict(),
  z.object({ to: z.literal('boolean') }).strict(),
  z.object({ to: z.literal('datetime') }).strict(),
  z.object({ to: z.literal('date') }).strict(),
  z
    .object({
      to: z.literal('enum'),
      values: z
        .record(z.string(), z.string())
        .refine((values) => Object.keys(values).length > 0, 'the lookup table is empty'),
      fallback: z.string().optional(),
      caseInsensitive: z.boolean().optional(),
    })
    .strict(),
  z.object({ to: z.literal('json') }).strict(),
]);

export const fieldMappingSchema = z
  .object({
    /** Dot path into ProviderRecord.data. Exactly one of source / expression. */
    source: path.optional(),
    /** JSONata over ProviderRecord.data, for computed fields (never written back). */
    expression: expression.optional(),
    /** Defaults to json (kept as is). */
    coerce: coercionSchema.optional(),
    /** Used when the source is absent or null. */
    default: z.unknown().optional(),
    required: z.boolean().optional(),
    /** Whether outbound sync may write this field back; defaults to what the catalog says. */
    writable: z.boolean().optional(),
  })
  .strict()
  .superRefine((field, ctx) => {
    if ((field.source === undefined) === (field.expression === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'give exactly one of source or expression', path: ['source'] });
    }
    if (field.expression !== undefined && field.writable === true) {
      ctx.addIssue({ code: 'custom', message: 'a computed field cannot be written back', path: ['writable'] });
    }
  });

export const relationshipSchema = z
  .object({
    /** Link name on the shard ("account", "repository", "assignee"); defaults to the source path. */
    name: fieldName.optional(),
    /** Dot path to the referenced record's provider id (an array of ids makes several links). */
    field: path,
    targetEntity: z.string().min(1).max(100),
    /** When the target lives at another provider; defaults to the schema's provider. */
    targetProvider: z.enum(PROVIDER_IDS).optional(),
  })
  .strict();

export const derivedShardSchema = z
  .object({
    /** Part of every derived external id: `${parentId}#${name}/${key}`. */
    name: fieldName,
    shardType: z.string().min(1).max(100),
    /** JSONata returning an array (or one item) of the child values. */
    expression,
    /** Dot path inside each item to its stable key; scalars are their own key. */
    key: path.optional(),
    /** Mapping of each item (paths relative to the item; a scalar item is `{ value }`); absent keeps the item. */
    fields: z.record(fieldName, fieldMappingSchema).optional(),
  })
  .strict();

export const conversionSchemaSchema = z
  .object({
    provider: z.enum(PROVIDER_IDS),
    entity: z.string().min(1).max(100),
    shardType: z.string().min(1).max(100),
    version: z.number().int().min(1).optional(),
    fields: z
      .record(fieldName, fieldMappingSchema)
      .refine((fields) => Object.keys(fields).length > 0, 'map at least one field'),
    relationships: z.array(relationshipSchema).max(50).optional(),
    derived: z.array(derivedShardSchema).max(20).optional(),
    /** Shard fields left out of the content hash (sync timestamps, counters that change without meaning). */
    volatileFields: z.array(fieldName).optional(),
    limits: z
      .object({
        maxSteps: z.number().int().min(100).max(10_000_000).optional(),
        expressionTimeoutMs: z.number().int().min(1).max(10_000).optional(),
        maxDepth: z.number().int().min(10).max(10_000).optional(),
        maxSequence: z.number().int().min(10).max(1_000_000).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export type FieldMapping = z.infer<typeof fieldMappingSchema>;
export type RelationshipSpec = z.infer<typeof relationshipSchema>;
export type DerivedShardSpec = z.infer<typeof derivedShardSchema>;
export type ConversionSchema = z.infer<typeof conversionSchemaSchema>;
