/**
 * Fuzzy matching must stay near linear: blocking keys (capped per key) decide who is compared, never all
 * pairs. This counts pairwise comparisons for 1k and 10k records and checks they grow ~10×, not ~100×.
 */
import fc from 'fast-check';
import { InMemoryDedupIndex } from './memory-index';
import { decide } from './strategies';
import type { DedupStrategy } from './types';

const fuzzy: DedupStrategy = {
  kind: 'fuzzy',
  name: 'person',
  fields: [
    { field: 'name', compare: 'name', weight: 2 },
    { field: 'company', compare: 'company' },
  ],
  threshold: 0.92,
  blocking: [
    { kind: 'phonetic', field: 'name' },
    { kind: 'prefix', field: 'company', length: 4, compare: 'company' },
  ],
  maxCandidatesPerKey: 40,
};

const SYLLABLES = ['ka', 'lo', 'mi', 'ra', 'ben', 'tor', 'sa', 'vi', 'del', 'nor', 'pe', 'qu', 'zan', 'ho', 'gri', 'fu', 'ja', 'wel', 'xi', 'dor'];

/** Deterministic synthetic people: names and companies from syllables, duplicates with small typos. */
function people(count: number, seed: number): { name: string; company: string }[] {
  const [records] = fc.sample(
    fc.array(
      fc.record({
        first: fc.array(fc.constantFrom(...SYLLABLES), { minLength: 2, maxLength: 3 }),
        last: fc.array(fc.constantFrom(...SYLLABLES), { minLength: 2, maxLength: 4 }),
        company: fc.array(fc.constantFrom(...SYLLABLES), { minLength: 2, maxLength: 3 }),
        suffix: fc.constantFrom('Inc', 'GmbH', 'Ltd', ''),
      }),
      { minLength: count, maxLength: count },
    ),
    { numRuns: 1, seed },
  );
  return records!.map((person) => ({ name: `${person.first.join('')} ${person.last.join('')}`, company: `${person.company.join('')} ${person.suffix}`.trim() }));
}

async function comparisonsFor(count: number): Promise<{ comparisons: number; merges: number }> {
  const index = new InMemoryDedupIndex([fuzzy]);
  const stats = { comparisons: 0 };
  let merges = 0;
  // Every record is matched against those before it, as a run over a growing shard store does.
  for (const [i, person] of people(count, 42).entries()) {
    const decision = await decide({ ref: { provider: 'salesforce', entity: 'Contact', externalId: String(i) }, data: person }, [fuzzy], index, stats);
    if (decision.action === 'merge') merges++;
    else index.upsert({ shardId: `s${i}`, refs: [{ provider: 'salesforce', entity: 'Contact', externalId: String(i) }], data: person });
  }
  return { comparisons: stats.comparisons, merges };
}

describe('fuzzy matching cost', () => {
  it('grows about linearly with the number of records (1k vs 10k)', async () => {
    const small = await comparisonsFor(1_000);
    const large = await comparisonsFor(10_000);
    const ratio = large.comparisons / small.comparisons;
    // All pairs would be ~500k vs ~50M comparisons (×100); blocking keeps it near ×10.
    expect(small.comparisons).toBeGreaterThan(0);
    expect(ratio).toBeLessThan(20);
    // Hard bound per record: blocking keys (≤ 3 here) × the per-key cap.
    expect(large.comparisons / 10_000).toBeLessThanOrEqual(3 * 40);
    expect(large.comparisons).toBeLessThan((10_000 * 9_999) / 2 / 100);
  });
});
