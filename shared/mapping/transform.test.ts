import fc from 'fast-check';
import type { ProviderRecord } from '../adapters/contract';
import { resolveLinks, referenceKey, referenceKeys } from './relationships';
import type { ConversionSchema } from './schema';
import { transformPage, transformRecord } from './transform';
import { parseConversionSchema } from './validate';

const schema: ConversionSchema = parseConversionSchema({
  provider: 'github',
  entity: 'issues',
  shardType: 'task',
  fields: {
    title: { source: 'title', coerce: { to: 'string', trim: true }, required: true },
    number: { source: 'number', coerce: { to: 'integer' } },
    status: { source: 'state', coerce: { to: 'enum', values: { open: 'todo', closed: 'done' } }, default: 'open' },
    dueDate: { source: 'milestone.due_on', coerce: { to: 'date' } },
    labelNames: { source: 'labels.name' },
    firstLabel: { source: 'labels.0.name' },
    locked: { source: 'locked', coerce: { to: 'boolean' }, default: false },
    closedAt: { source: 'closed_at', coerce: { to: 'datetime' } },
    key: { expression: 'repository & "#" & $string(number)' },
    syncedAt: { source: 'synced_at' },
  },
  relationships: [
    { name: 'assignee', field: 'assignees.id', targetEntity: 'users' },
    { name: 'repository', field: 'repository', targetEntity: 'repositories' },
  ],
  derived: [
    {
      name: 'labels',
      shardType: 'label',
      expression: 'labels',
      key: 'name',
      fields: { name: { source: 'name', required: true }, color: { source: 'color' } },
    },
    { name: 'tags', shardType: 'tag', expression: 'tags' },
  ],
  volatileFields: ['syncedAt'],
});

function issue(id: string, data: Record<string, unknown> = {}): ProviderRecord {
  return {
    id,
    entity: 'issues',
    modifiedAt: '2024-05-01T10:00:00.000Z',
    data: {
      repository: 'octo/app',
      title: ` Issue ${id} `,
      number: Number(id.replace(/\D/g, '')) || 1,
      state: 'open',
      milestone: { due_on: '2024-06-01T07:00:00Z' },
      labels: [{ name: 'bug', color: 'red' }, { name: 'ui' }],
      assignees: [{ id: 'u1' }, { id: 'u2' }],
      closed_at: null,
      tags: ['a', 'b'],
      synced_at: '2024-05-01T10:00:01Z',
      ...data,
    },
  };
}

describe('transformRecord', () => {
  it('maps paths, renames, nested and fanned-out arrays, coercions, defaults and expressions', async () => {
    const outcome = await transformRecord(schema, issue('7'));
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.record.data).toEqual({
      title: 'Issue 7',
      number: 7,
      status: 'todo',
      dueDate: '2024-06-01',
      labelNames: ['bug', 'ui'],
      firstLabel: 'bug',
      locked: false,
      closedAt: null,
      key: 'octo/app#7',
      syncedAt: '2024-05-01T10:00:01Z',
    });
    expect(outcome.record).toMatchObject({
      recordId: '7',
      provider: 'github',
      entity: 'issues',
      shardType: 'task',
      deleted: false,
      modifiedAt: '2024-05-01T10:00:00.000Z',
    });
  });

  it('gives references for the pipeline to resolve, with pending links for absent targets', async () => {
    const outcome = await transformRecord(schema, issue('7'));
    if (!outcome.ok) throw new Error('expected a mapped record');
    expect(outcome.record.references).toEqual([
      { name: 'assignee', provider: 'github', entity: 'users', externalId: 'u1' },
      { name: 'assignee', provider: 'github', entity: 'users', externalId: 'u2' },
      { name: 'repository', provider: 'github', entity: 'repositories', externalId: 'octo/app' },
    ]);
    expect(referenceKeys(outcome.record.references)).toEqual([
      'github/users/u1',
      'github/users/u2',
      'github/repositories/octo/app',
    ]);
    const map = new Map([[referenceKey({ provider: 'github', entity: 'users', externalId: 'u1' }), 'shard-u1']]);
    const links = resolveLinks(outcome.record.references, map);
    expect(links.resolved).toEqual([
      { name: 'assignee', provider: 'github', entity: 'users', externalId: 'u1', targetShardId: 'shard-u1' },
    ]);
    expect(links.pending.map((link) => link.externalId)).toEqual(['u2', 'octo/app']);
    expect(resolveLinks(outcome.record.references, () => 'x').pending).toEqual([]);
  });

  it('yields derived shards with stable ids, mapped item fields and scalar items as { value }', async () => {
    const first = await transformRecord(schema, issue('7'));
    const again = await transformRecord(schema, issue('7', { title: 'changed' }));
    if (!first.ok || !again.ok) throw new Error('expected mapped records');
    expect(first.record.derived.map((shard) => [shard.externalId, shard.shardType, shard.data])).toEqual([
      ['7#labels/bug', 'label', { name: 'bug', color: 'red' }],
      ['7#labels/ui', 'label', { name: 'ui' }],
      ['7#tags/a', 'tag', { value: 'a' }],
      ['7#tags/b', 'tag', { value: 'b' }],
    ]);
    expect(again.record.derived.map((shard) => shard.externalId)).toEqual(
      first.record.derived.map((shard) => shard.externalId),
    );
    expect(again.record.derived[0]!.contentHash).toBe(first.record.derived[0]!.contentHash);
  });

  it('a derived item without its key fails the record, naming the derived field', async () => {
    const outcome = await transformRecord(schema, issue('7', { labels: [{ color: 'red' }] }));
    expect(outcome).toEqual({
      ok: false,
      error: {
        recordId: '7',
        field: 'derived.labels',
        code: 'derived_failed',
        message: 'derived.labels: an item has no usable key',
      },
    });
  });

  it('content hash: equal for equal data, changed by a real change, blind to volatile fields', async () => {
    const hash = async (record: ProviderRecord) => {
      const outcome = await transformRecord(schema, record);
      if (!outcome.ok) throw new Error(outcome.error.message);
      return outcome.record.contentHash;
    };
    const base = await hash(issue('7'));
    expect(await hash(issue('7'))).toBe(base);
    expect(await hash(issue('7', { synced_at: '2030-01-01T00:00:00Z' }))).toBe(base);
    expect(await hash(issue('7', { state: 'closed' }))).not.toBe(base);
  });

  it('record-level errors name the record, the field and the code', async () => {
    expect(await transformRecord(schema, issue('1', { title: null }))).toEqual({
      ok: false,
      error: { recordId: '1', field: 'title', code: 'missing_required', message: 'required field "title" is missing' },
    });
    const wrongType = await transformRecord(schema, issue('2', { number: 'two' }));
    expect(!wrongType.ok && wrongType.error).toMatchObject({ recordId: '2', field: 'number', code: 'coercion_failed' });
    const badEnum = await transformRecord(schema, issue('3', { state: 'merged' }));
    expect(!badEnum.ok && badEnum.error).toMatchObject({ recordId: '3', field: 'status', code: 'coercion_failed' });
    const computed = parseConversionSchema({
      provider: 'github',
      entity: 'issues',
      shardType: 'task',
      fields: { code: { expression: '$number(title)' } },
    });
    const failedExpression = await transformRecord(computed, issue('4'));
    expect(!failedExpression.ok && failedExpression.error).toMatchObject({
      recordId: '4',
      field: 'code',
      code: 'expression_failed',
      message: expect.stringContaining('field "code"'),
    });
    const noId = await transformRecord(schema, { entity: 'issues', data: {} } as unknown as ProviderRecord);
    expect(!noId.ok && noId.error).toMatchObject({ recordId: '(no id)', code: 'invalid_record' });
  });

  it('a deletion passes through without mapping', async () => {
    const outcome = await transformRecord(schema, { id: '9', entity: 'issues', deleted: true, data: {} });
    expect(outcome.ok && outcome.record).toMatchObject({
      recordId: '9',
      deleted: true,
      data: {},
      references: [],
      derived: [],
    });
  });

  it('guards runaway expressions with a step budget (deterministic) and a wall-clock backstop', async () => {
    const looping = (limits: Record<string, number>) =>
      parseConversionSchema({
        provider: 'github',
        entity: 'issues',
        shardType: 'task',
        fields: { loop: { expression: '($f := function($n) { $f($n + 1) }; $f(0))' } },
        limits,
      });
    const started = Date.now();
    const outcome = await transformRecord(looping({ maxSteps: 5_000 }), issue('5'));
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(!outcome.ok && outcome.error).toMatchObject({
      recordId: '5',
      field: 'loop',
      code: 'expression_limit',
      message: expect.stringContaining('5000 evaluation steps'),
    });
    const timed = await transformRecord(looping({ maxSteps: 10_000_000, expressionTimeoutMs: 20 }), issue('6'));
    expect(!timed.ok && timed.error).toMatchObject({
      field: 'loop',
      code: 'expression_limit',
      message: expect.stringContaining('timeout'),
    });
    const range = parseConversionSchema({
      provider: 'github',
      entity: 'issues',
      shardType: 'task',
      fields: { big: { expression: '[1..10000000].($ * 2)' } },
      limits: { maxSequence: 1000 },
    });
    const big = await transformRecord(range, issue('7'));
    expect(!big.ok && big.error).toMatchObject({ field: 'big', code: 'expression_limit' });
    // The same schema still maps a healthy record: the budget is per evaluation, not used up.
    const healthy = parseConversionSchema({
      provider: 'github',
      entity: 'issues',
      shardType: 'task',
      fields: { n: { expression: 'number + 1' } },
      limits: { maxSteps: 100 },
    });
    expect(await transformRecord(healthy, issue('8'))).toMatchObject({ ok: true, record: { data: { n: 9 } } });
    expect(await transformRecord(healthy, issue('9'))).toMatchObject({ ok: true, record: { data: { n: 10 } } });
  });
});

describe('transformPage', () => {
  it('a page of 1,000 records where 3 fail yields 997 mapped and 3 errors naming record and field', async () => {
    const records = Array.from({ length: 1_000 }, (_, i) => issue(`r${i}`));
    records[10] = issue('r10', { title: undefined });
    records[500] = issue('r500', { closed_at: 'yesterday' });
    records[999] = issue('r999', { locked: 'perhaps' });
    const page = await transformPage(schema, records);
    expect(page.errors).toHaveLength(3);
    expect(page.ok).toHaveLength(997);
    expect(page.errors.map((error) => [error.recordId, error.field, error.code])).toEqual([
      ['r10', 'title', 'missing_required'],
      ['r500', 'closedAt', 'coercion_failed'],
      ['r999', 'locked', 'coercion_failed'],
    ]);
    expect(page.ok[0]!.recordId).toBe('r0');
    expect(page.ok.some((record) => ['r10', 'r500', 'r999'].includes(record.recordId))).toBe(false);
  });

  it('property: never throws; every record ends up mapped or as an error', async () => {
    const record = fc.record({
      id: fc.oneof(fc.string({ minLength: 1 }), fc.constant(''), fc.integer() as fc.Arbitrary<unknown>),
      entity: fc.constant('issues'),
      deleted: fc.option(fc.boolean(), { nil: undefined }),
      data: fc.oneof(
        fc.dictionary(
          fc.constantFrom(
            'title',
            'number',
            'state',
            'milestone',
            'labels',
            'assignees',
            'locked',
            'closed_at',
            'repository',
            'tags',
          ),
          fc.anything(),
        ),
        fc.anything(),
      ),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(record, { maxLength: 20 }), async (records) => {
        const page = await transformPage(schema, records as unknown as ProviderRecord[]);
        expect(page.ok.length + page.errors.length).toBe(records.length);
      }),
      { numRuns: 200 },
    );
  });
});
