/**
 * Transform throughput: a 10-field conversion schema (9 plain paths with coercions, 1 JSONata expression)
 * over 50,000 synthetic GitHub-like issue records, in pages of 500, as the inbound pipeline calls it.
 * The expression is one the fast path compiles; the same field through the full JSONata engine, and the
 * schema without its expression, are measured for comparison.
 * `npm run bench -- mapping [records]`.
 */
import type { ProviderRecord } from '../../shared/adapters/contract';
import { transformPage } from '../../shared/mapping/transform';
import { parseConversionSchema } from '../../shared/mapping/validate';
import { decide } from '../../shared/dedup/strategies';
import { InMemoryDedupIndex, refKey } from '../../shared/dedup/memory-index';
import type { DedupStrategy } from '../../shared/dedup/types';
import { emit } from './emit';

const PAGE_SIZE = 500;

const fields = {
  title: { source: 'title', coerce: { to: 'string', trim: true }, required: true },
  number: { source: 'number', coerce: { to: 'integer' } },
  status: { source: 'state', coerce: { to: 'enum', values: { open: 'todo', closed: 'done' } } },
  author: { source: 'user.login', coerce: { to: 'string' } },
  labels: { source: 'labels.name' },
  comments: { source: 'comments', coerce: { to: 'number' } },
  locked: { source: 'locked', coerce: { to: 'boolean' }, default: false },
  createdAt: { source: 'created_at', coerce: { to: 'datetime' } },
  dueDate: { source: 'milestone.due_on', coerce: { to: 'date' } },
  key: { expression: 'repository & "#" & $string(number)' },
};

function records(count: number): ProviderRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `octo/app#${i}`,
    entity: 'issues',
    modifiedAt: new Date(1_700_000_000_000 + i * 1000).toISOString(),
    data: {
      repository: 'octo/app',
      title: ` Issue number ${i} `,
      number: i,
      state: i % 3 === 0 ? 'closed' : 'open',
      user: { login: `user${i % 97}` },
      labels: [{ name: 'bug' }, { name: `area-${i % 7}` }],
      comments: i % 13,
      locked: i % 2 === 0,
      created_at: new Date(1_600_000_000_000 + i * 60_000).toISOString(),
      milestone: i % 4 === 0 ? null : { due_on: '2025-01-31T08:00:00Z' },
    },
  }));
}

async function run(
  schemaFields: Record<string, unknown>,
  input: ProviderRecord[],
): Promise<{ perSecond: number; errors: number }> {
  const schema = parseConversionSchema({
    provider: 'github',
    entity: 'issues',
    shardType: 'task',
    fields: schemaFields,
  });
  // Warm-up: compile the schema, let the JIT settle (the first pages run several times slower).
  for (let offset = 0; offset < 10_000; offset += PAGE_SIZE)
    await transformPage(schema, input.slice(offset, offset + PAGE_SIZE));
  let errors = 0;
  const started = performance.now();
  for (let offset = 0; offset < input.length; offset += PAGE_SIZE) {
    errors += (await transformPage(schema, input.slice(offset, offset + PAGE_SIZE))).errors.length;
  }
  return { perSecond: input.length / ((performance.now() - started) / 1000), errors };
}

export default async function mappingBench(args: string[]): Promise<void> {
  const count = Number(args[0] ?? 50_000);
  const input = records(count);
  const withExpression = await run(fields, input);
  emit('mapping', 'transform_10_fields_1_jsonata', withExpression.perSecond, 'records/s');
  // An expression outside the fast subset (an array constructor): evaluated by JSONata itself.
  const engine = await run({ ...fields, key: { expression: '$join([repository, $string(number)], "#")' } }, input);
  emit('mapping', 'transform_10_fields_1_jsonata_full_engine', engine.perSecond, 'records/s');
  const { key: _key, ...plainFields } = fields;
  const plain = await run(plainFields, input);
  emit('mapping', 'transform_9_plain_fields', plain.perSecond, 'records/s');
  emit('mapping', 'record_errors', withExpression.errors + engine.errors + plain.errors, 'records');
  const hundred = input.slice(0, 100);
  const schema = parseConversionSchema({ provider: 'github', entity: 'issues', shardType: 'task', fields });
  const times: number[] = [];
  for (let i = 0; i < 50; i++) {
    const started = performance.now();
    await transformPage(schema, hundred);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  emit('mapping', 'page_100_records_p50', times[Math.floor(times.length / 2)]!, 'ms');
  await dedupeBench(schema, input);
}

/** Re-sync of unchanged records: external id + content hash against an in-memory index, all skipped. */
async function dedupeBench(schema: ReturnType<typeof parseConversionSchema>, input: ProviderRecord[]): Promise<void> {
  const strategies: DedupStrategy[] = [{ kind: 'external_id' }, { kind: 'content_hash' }];
  const mapped = (await transformPage(schema, input)).ok;
  const index = new InMemoryDedupIndex(strategies);
  const refOf = (recordId: string) => ({ provider: 'github' as const, entity: 'issues', externalId: recordId });
  for (const record of mapped)
    index.upsert({
      shardId: `s-${record.recordId}`,
      refs: [refOf(record.recordId)],
      data: record.data,
      contentHashes: { [refKey(refOf(record.recordId))]: record.contentHash },
    });
  let skipped = 0;
  const started = performance.now();
  for (const record of mapped) {
    const decision = await decide(
      { ref: refOf(record.recordId), data: record.data, contentHash: record.contentHash },
      strategies,
      index,
    );
    if (decision.action === 'skip') skipped++;
  }
  emit(
    'mapping',
    'dedupe_external_id_content_hash',
    mapped.length / ((performance.now() - started) / 1000),
    'records/s',
  );
  emit('mapping', 'dedupe_skipped_unchanged', skipped, 'records');
}
