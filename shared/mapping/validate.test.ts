import type { Catalog } from '../adapters/contract';
import { isAppError } from '../core/app-error';
import { checkConversionSchema, parseConversionSchema } from './validate';

const catalog: Catalog = {
  provider: 'github',
  entities: [
    {
      name: 'issues',
      supportsIncremental: true,
      supportsWebhooks: true,
      supportsPush: true,
      reportsDeletions: false,
      fields: [
        { name: 'title', type: 'string', writable: true },
        { name: 'due_on', type: 'datetime' },
        { name: 'labels', type: 'array', writable: true },
        { name: 'milestone', type: 'object' },
        { name: 'number', type: 'number' },
      ],
    },
    {
      name: 'users',
      supportsIncremental: false,
      supportsWebhooks: false,
      supportsPush: false,
      reportsDeletions: false,
      fields: [],
    },
  ],
};

const valid = {
  provider: 'github',
  entity: 'issues',
  shardType: 'task',
  fields: {
    title: { source: 'title', coerce: { to: 'string' }, required: true },
    dueDate: { source: 'due_on', coerce: { to: 'datetime' } },
    milestone: { source: 'milestone.title' },
    summary: { expression: '"#" & $string(number) & " " & title' },
  },
  relationships: [{ name: 'milestone', field: 'milestone.id', targetEntity: 'users' }],
  derived: [{ name: 'labels', shardType: 'label', expression: 'labels' }],
  volatileFields: ['summary'],
};

describe('conversion schema validation', () => {
  it('accepts a schema whose paths, entities and expressions check out', () => {
    const check = checkConversionSchema(valid, catalog);
    expect(check).toEqual({ ok: true, schema: expect.objectContaining({ shardType: 'task' }) });
  });

  it('names the field of an unknown source path', () => {
    const input = { ...valid, fields: { ...valid.fields, dueDate: { source: 'due_on2', coerce: { to: 'datetime' } } } };
    expect(() => parseConversionSchema(input, catalog)).toThrow(
      'fields.dueDate.source: unknown field "due_on2" of entity issues',
    );
    try {
      parseConversionSchema(input, catalog);
    } catch (error) {
      expect(isAppError(error) && error.code).toBe('validation');
      expect(isAppError(error) && error.target).toBe('fields.dueDate.source');
    }
  });

  it('rejects a path into a scalar field, an unknown entity and an unknown target entity', () => {
    const check = checkConversionSchema(
      {
        ...valid,
        fields: { ...valid.fields, n: { source: 'number.value' } },
        relationships: [{ field: 'milestone.id', targetEntity: 'repos' }],
      },
      catalog,
    );
    expect(check.ok).toBe(false);
    const paths = !check.ok ? check.issues.map((issue) => `${issue.path}: ${issue.message}`) : [];
    expect(paths).toContain('fields.n.source: field "number" of entity issues is a number: it has no "value"');
    expect(paths).toContain('relationships.0.targetEntity: unknown entity "repos" of provider github');
    const other = checkConversionSchema({ ...valid, entity: 'pulls' }, catalog);
    expect(!other.ok && other.issues[0]).toEqual({
      path: 'entity',
      message: 'unknown entity "pulls" of provider github',
    });
  });

  it('compiles expressions when saved and reports syntax errors at their field', () => {
    const check = checkConversionSchema(
      { ...valid, fields: { ...valid.fields, summary: { expression: 'title & (' } } },
      catalog,
    );
    expect(!check.ok && check.issues[0]!.path).toBe('fields.summary.expression');
    expect(!check.ok && check.issues[0]!.message).toMatch(/JSONata syntax error/);
    const derived = checkConversionSchema(
      { ...valid, derived: [{ name: 'labels', shardType: 'label', expression: 'labels[' }] },
      catalog,
    );
    expect(!derived.ok && derived.issues[0]!.path).toBe('derived.0.expression');
  });

  it('checks shape: one of source/expression, defaults that coerce, volatile fields that exist, writable vs read-only', () => {
    const check = checkConversionSchema(
      {
        ...valid,
        fields: {
          both: { source: 'title', expression: 'title' },
          n: { source: 'number', coerce: { to: 'number' }, default: 'many' },
        },
        volatileFields: [],
      },
      catalog,
    );
    expect(!check.ok && check.issues.map((issue) => issue.path)).toEqual(['fields.both.source']);
    const defaults = checkConversionSchema(
      {
        ...valid,
        fields: { n: { source: 'number', coerce: { to: 'number' }, default: 'many' } },
        volatileFields: ['x'],
      },
      catalog,
    );
    expect(!defaults.ok && defaults.issues.map((issue) => issue.path)).toEqual([
      'fields.n.default',
      'volatileFields.0',
    ]);
    const readOnly = checkConversionSchema(
      { ...valid, fields: { due: { source: 'due_on', writable: true } }, volatileFields: [] },
      catalog,
    );
    expect(!readOnly.ok && readOnly.issues[0]).toEqual({
      path: 'fields.due.writable',
      message: 'field "due_on" of entity issues is read-only',
    });
  });

  it('without a catalog still checks shape and expressions', () => {
    expect(checkConversionSchema(valid).ok).toBe(true);
    expect(checkConversionSchema({ ...valid, fields: {} }).ok).toBe(false);
  });
});
