/**
 * Turns a (validated) conversion schema into the form the per-record loop runs: parsed paths, coercion
 * functions, compiled JSONata. Done once per schema object and cached, so a page of records parses nothing.
 */
import { AppError } from '../core/app-error';
import { coercer, reverseCoercion, type Coerced, type Coercion } from './coerce';
import {
  compileExpression,
  DEFAULT_EXPRESSION_LIMITS,
  type CompiledExpression,
  type ExpressionLimits,
} from './expressions';
import { parsePath, type PathSegments } from './paths';
import type { ConversionSchema, FieldMapping } from './schema';

export type FieldReader =
  { kind: 'path'; segments: PathSegments } | { kind: 'expression'; expression: CompiledExpression };

export interface CompiledField {
  name: string;
  read: FieldReader;
  coerce: (value: unknown) => Coerced;
  reverse: (value: unknown) => Coerced;
  hasDefault: boolean;
  defaultValue: unknown;
  required: boolean;
  writable: boolean;
}

export interface CompiledRelationship {
  name: string;
  segments: PathSegments;
  targetEntity: string;
  targetProvider: ConversionSchema['provider'];
}

export interface CompiledDerived {
  name: string;
  shardType: string;
  expression: CompiledExpression;
  key?: PathSegments;
  fields?: CompiledField[];
}

export interface CompiledSchema {
  schema: ConversionSchema;
  fields: CompiledField[];
  relationships: CompiledRelationship[];
  derived: CompiledDerived[];
  volatileFields: ReadonlySet<string>;
  limits: ExpressionLimits;
}

const JSON_COERCION: Coercion = { to: 'json' };

function mustParse(path: string, target: string): PathSegments {
  const segments = parsePath(path);
  if (!segments) throw new AppError('validation', `${target}: invalid path "${path}"`, { target });
  return segments;
}

function compileField(name: string, mapping: FieldMapping, limits: ExpressionLimits, target: string): CompiledField {
  const coercion = mapping.coerce ?? JSON_COERCION;
  const read: FieldReader =
    mapping.expression !== undefined
      ? { kind: 'expression', expression: compileExpression(mapping.expression, limits, `${target}.expression`) }
      : { kind: 'path', segments: mustParse(mapping.source ?? '', `${target}.source`) };
  return {
    name,
    read,
    coerce: coercer(coercion),
    reverse: reverseCoercion(coercion),
    hasDefault: mapping.default !== undefined,
    defaultValue: mapping.default,
    required: mapping.required === true,
    // Computed fields are never written back; a source field only when the saved schema says so (validation
    // fills the flag in from the catalog).
    writable: read.kind === 'path' && mapping.writable === true,
  };
}

function compileFields(
  fields: Record<string, FieldMapping>,
  limits: ExpressionLimits,
  prefix: string,
): CompiledField[] {
  return Object.entries(fields).map(([name, mapping]) => compileField(name, mapping, limits, `${prefix}.${name}`));
}

/** The schema's expression limits, each defaulted. */
export function limitsOf(schema: ConversionSchema): ExpressionLimits {
  return {
    maxSteps: schema.limits?.maxSteps ?? DEFAULT_EXPRESSION_LIMITS.maxSteps,
    timeoutMs: schema.limits?.expressionTimeoutMs ?? DEFAULT_EXPRESSION_LIMITS.timeoutMs,
    maxDepth: schema.limits?.maxDepth ?? DEFAULT_EXPRESSION_LIMITS.maxDepth,
    maxSequence: schema.limits?.maxSequence ?? DEFAULT_EXPRESSION_LIMITS.maxSequence,
  };
}

function build(schema: ConversionSchema): CompiledSchema {
  const limits = limitsOf(schema);
  return {
    schema,
    limits,
    fields: compileFields(schema.fields, limits, 'fields'),
    relationships: (schema.relationships ?? []).map((relationship, index) => ({
      name: relationship.name ?? relationship.field,
      segments: mustParse(relationship.field, `relationships.${index}.field`),
      targetEntity: relationship.targetEntity,
      targetProvider: relationship.targetProvider ?? schema.provider,
    })),
    derived: (schema.derived ?? []).map((spec, index) => ({
      name: spec.name,
      shardType: spec.shardType,
      expression: compileExpression(spec.expression, limits, `derived.${index}.expression`),
      key: spec.key === undefined ? undefined : mustParse(spec.key, `derived.${index}.key`),
      fields: spec.fields === undefined ? undefined : compileFields(spec.fields, limits, `derived.${index}.fields`),
    })),
    volatileFields: new Set(schema.volatileFields ?? []),
  };
}

const compiled = new WeakMap<ConversionSchema, CompiledSchema>();

/** The compiled form of a schema, built on first use and kept for as long as the schema object lives. */
export function compileSchema(schema: ConversionSchema): CompiledSchema {
  let result = compiled.get(schema);
  if (!result) {
    result = build(schema);
    compiled.set(schema, result);
  }
  return result;
}

/** Accepts either form, so callers may hold on to the compiled schema or just pass the saved one. */
export function asCompiled(schema: ConversionSchema | CompiledSchema): CompiledSchema {
  return 'limits' in schema && Array.isArray(schema.fields)
    ? (schema as CompiledSchema)
    : compileSchema(schema as ConversionSchema);
}
