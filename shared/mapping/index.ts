/** Conversion schemas: provider records → shards (and back), relationships, derived shards, content hashes. */
export {
  conversionSchemaSchema,
  type ConversionSchema,
  type FieldMapping,
  type RelationshipSpec,
  type DerivedShardSpec,
} from './schema';
export type { Coercion } from './coerce';
export { checkConversionSchema, parseConversionSchema, type SchemaIssue, type SchemaCheck } from './validate';
export { compileSchema, asCompiled, type CompiledSchema } from './compile';
export { DEFAULT_EXPRESSION_LIMITS, type ExpressionLimits } from './expressions';
export { transformPage, transformRecord, type TransformOutcome } from './transform';
export { reverseMap, type ReverseResult, type NotReversibleReason } from './reverse';
export {
  extractReferences,
  referenceKey,
  referenceKeys,
  resolveLinks,
  type ResolvedLink,
  type LinkResolution,
  type ShardIdLookup,
} from './relationships';
export { contentHash, canonicalJson } from './content-hash';
export { buildEntityMap, type EntityMap } from './entity-map';
export type {
  MappedRecord,
  DerivedShard,
  UnresolvedReference,
  RecordError,
  RecordErrorCode,
  PageResult,
} from './types';
