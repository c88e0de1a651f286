/**
 * Checks a conversion schema when an operator saves it: its shape (zod), its source paths against the entity
 * the provider's discover() reported, its expressions (compiled), its defaults (coerced). Every problem is
 * reported with the place it is at, e.g. `fields.dueDate.source: unknown field "due_on2" of entity issues`.
 */
import type { Catalog, EntityDescriptor } from '../adapters/contract';
import { AppError, isAppError } from '../core/app-error';
import { coercer } from './coerce';
import { limitsOf } from './compile';
import { compileExpression, type ExpressionLimits } from './expressions';
import { parsePath } from './paths';
import { conversionSchemaSchema, type ConversionSchema, type FieldMapping } from './schema';

export interface SchemaIssue {
  /** Where in the schema: "fields.dueDate.source", "relationships.0.targetEntity". */
  path: string;
  message: string;
}

export type SchemaCheck = { ok: true; schema: ConversionSchema } | { ok: false; issues: SchemaIssue[] };

const NESTED_TYPES = new Set(['object', 'array']);

function checkSourcePath(path: string, at: string, entity: EntityDescriptor | undefined, issues: SchemaIssue[]): void {
  const segments = parsePath(path);
  if (!segments) {
    issues.push({ path: at, message: `invalid path "${path}" (empty segment)` });
    return;
  }
  if (!entity) return;
  const field = entity.fields.find((candidate) => candidate.name === segments[0]);
  if (!field) issues.push({ path: at, message: `unknown field "${segments[0]}" of entity ${entity.name}` });
  else if (segments.length > 1 && !NESTED_TYPES.has(field.type)) {
    issues.push({
      path: at,
      message: `field "${field.name}" of entity ${entity.name} is a ${field.type}: it has no "${segments[1]}"`,
    });
  }
}

function checkExpression(text: string, at: string, limits: ExpressionLimits, issues: SchemaIssue[]): void {
  try {
    compileExpression(text, limits, at);
  } catch (error) {
    issues.push({ path: at, message: isAppError(error) ? error.message : 'invalid expression' });
  }
}

function checkFields(
  fields: Record<string, FieldMapping>,
  prefix: string,
  limits: ExpressionLimits,
  entity: EntityDescriptor | undefined,
  issues: SchemaIssue[],
): void {
  for (const [name, mapping] of Object.entries(fields)) {
    const at = `${prefix}.${name}`;
    if (mapping.source !== undefined) checkSourcePath(mapping.source, `${at}.source`, entity, issues);
    if (mapping.expression !== undefined) checkExpression(mapping.expression, `${at}.expression`, limits, issues);
    if (mapping.default !== undefined && mapping.coerce) {
      const coerced = coercer(mapping.coerce)(mapping.default);
      if (!coerced.ok) issues.push({ path: `${at}.default`, message: coerced.message });
    }
    const catalogField =
      mapping.source !== undefined && entity
        ? entity.fields.find((field) => field.name === parsePath(mapping.source!)?.[0])
        : undefined;
    if (mapping.writable === true && catalogField && catalogField.writable !== true) {
      issues.push({
        path: `${at}.writable`,
        message: `field "${catalogField.name}" of entity ${entity!.name} is read-only`,
      });
    }
  }
}

function checkAgainstCatalog(schema: ConversionSchema, catalog: Catalog | undefined, issues: SchemaIssue[]): void {
  const limits = limitsOf(schema);
  const sameProvider = catalog?.provider === schema.provider ? catalog : undefined;
  if (catalog && !sameProvider)
    issues.push({
      path: 'provider',
      message: `the catalog is of provider ${catalog.provider}, the schema of ${schema.provider}`,
    });
  const entity = sameProvider?.entities.find((candidate) => candidate.name === schema.entity);
  if (sameProvider && !entity)
    issues.push({ path: 'entity', message: `unknown entity "${schema.entity}" of provider ${schema.provider}` });

  checkFields(schema.fields, 'fields', limits, entity, issues);
  (schema.relationships ?? []).forEach((relationship, index) => {
    checkSourcePath(relationship.field, `relationships.${index}.field`, entity, issues);
    const targetProvider = relationship.targetProvider ?? schema.provider;
    if (
      sameProvider &&
      targetProvider === schema.provider &&
      !sameProvider.entities.some((candidate) => candidate.name === relationship.targetEntity)
    ) {
      issues.push({
        path: `relationships.${index}.targetEntity`,
        message: `unknown entity "${relationship.targetEntity}" of provider ${schema.provider}`,
      });
    }
  });
  const derivedNames = new Set<string>();
  (schema.derived ?? []).forEach((spec, index) => {
    if (derivedNames.has(spec.name))
      issues.push({ path: `derived.${index}.name`, message: `duplicate derived shard name "${spec.name}"` });
    derivedNames.add(spec.name);
    checkExpression(spec.expression, `derived.${index}.expression`, limits, issues);
    if (spec.key !== undefined && !parsePath(spec.key))
      issues.push({ path: `derived.${index}.key`, message: `invalid path "${spec.key}"` });
    // Item fields are relative to each item, which the catalog does not describe.
    if (spec.fields) checkFields(spec.fields, `derived.${index}.fields`, limits, undefined, issues);
  });
  (schema.volatileFields ?? []).forEach((name, index) => {
    if (!Object.prototype.hasOwnProperty.call(schema.fields, name))
      issues.push({ path: `volatileFields.${index}`, message: `"${name}" is not a mapped field` });
  });
}

/** Validates a schema; with a catalog also checks paths and entities against what the provider discovered. */
export function checkConversionSchema(input: unknown, catalog?: Catalog): SchemaCheck {
  const parsed = conversionSchemaSchema.safeParse(input);
  if (!parsed.success) {
    return {
      ok: false,
      issues: parsed.error.issues.map((issue) => ({
        path: issue.path.map(String).join('.') || '(root)',
        message: issue.message,
      })),
    };
  }
  const issues: SchemaIssue[] = [];
  checkAgainstCatalog(parsed.data, catalog, issues);
  if (issues.length > 0) return { ok: false, issues };
  const entity =
    catalog?.provider === parsed.data.provider
      ? catalog.entities.find((candidate) => candidate.name === parsed.data.entity)
      : undefined;
  return { ok: true, schema: entity ? withCatalogWritable(parsed.data, entity) : parsed.data };
}

/**
 * The saved schema carries `writable` for every source field, resolved from the catalog where the operator
 * left it out, so outbound mapping needs no catalog at run time.
 */
function withCatalogWritable(schema: ConversionSchema, entity: EntityDescriptor): ConversionSchema {
  const fields: Record<string, FieldMapping> = {};
  for (const [name, mapping] of Object.entries(schema.fields)) {
    const root = mapping.source === undefined ? undefined : parsePath(mapping.source)?.[0];
    const catalogField = root === undefined ? undefined : entity.fields.find((field) => field.name === root);
    fields[name] =
      mapping.writable === undefined && catalogField
        ? { ...mapping, writable: catalogField.writable === true }
        : mapping;
  }
  return { ...schema, fields };
}

/** As checkConversionSchema, but throws a validation AppError whose message lists every issue. */
export function parseConversionSchema(input: unknown, catalog?: Catalog): ConversionSchema {
  const check = checkConversionSchema(input, catalog);
  if (check.ok) return check.schema;
  const lines = check.issues.map((issue) => `${issue.path}: ${issue.message}`);
  throw new AppError('validation', `invalid conversion schema: ${lines.join('; ')}`, {
    target: check.issues[0]!.path,
    details: { issues: check.issues },
  });
}
