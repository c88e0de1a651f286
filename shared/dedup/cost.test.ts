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
  blocking: [{ kind: 'phonetic', field: 'name' }],
  maxCandidatesPerKey: 40,
};

const CONSONANTS = 'bcdfghjklmnprstvwz';
const VOWELS = 'aeiou';

/** A word of alternating consonants and vowels, 6-10 letters, capitalised. */
const word = fc
  .array(fc.tuple(fc.constantFrom(...CONSONANTS), fc.constantFrom(...VOWELS)), { minLength: 3, maxLength: 5 })
  .map((pairs) => pairs.map(([c, v]) => c + v).join(''))
  .map((text) => text[0]!.toUpperCase() + text.slice(1));

/** A typo a person makes: two neighbouring letters swapped, after the first letter. */
function typo(text: string, at: number): string {
  const i = 1 + (at % (text.length - 2));
  return text.slice(0, i) + text[i + 1] + text[i] + text.slice(i + 2);
}

/**
 * Deterministic synthetic people: count/2 distinct people and one misspelt duplicate of each, shuffled.
 * The duplicate carries a typo in the last name and a different company suffix.
 */
function people(count: number, seed: number): { name: string; company: string }[] {
  const [base] = fc.sample(
    fc.array(fc.record({ first: word, last: word, company: word, at: fc.nat(100) }), {
      minLength: count / 2,
      maxLength: count / 2,
    }),
    { numRuns: 1, seed },
  );
  const all = base!.flatMap((person) => [
    { name: `${person.first} ${person.last}`, company: `${person.company} Inc` },
    { name: `${person.first} ${typo(person.last, person.at)}`, company: `${person.company} GmbH` },
  ]);
  const [order] = fc.sample(
    fc.shuffledSubarray(
      all.map((_, i) => i),
      { minLength: all.length, maxLength: all.length },
    ),
    { numRuns: 1, seed },
  );
  return order!.map((i) => all[i]!);
}

async function comparisonsFor(
  count: number,
  data = people(count, 42),
  strategy: DedupStrategy = fuzzy,
): Promise<{ comparisons: number; merges: number }> {
  const index = new InMemoryDedupIndex([strategy]);
  const stats = { comparisons: 0 };
  let merges = 0;
  // Every record is matched against those before it, as a run over a growing shard store does.
  for (const [i, person] of data.entries()) {
    const decision = await decide(
      { ref: { provider: 'salesforce', entity: 'Contact', externalId: String(i) }, data: person },
      [strategy],
      index,
      stats,
    );
    if (decision.action === 'merge') merges++;
    else
      index.upsert({
        shardId: `s${i}`,
        refs: [{ provider: 'salesforce', entity: 'Contact', externalId: String(i) }],
        data: person,
      });
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
    // Blocking must not cost recall: most misspelt duplicates are still found.
    expect(small.merges).toBeGreaterThan(0.8 * 500);
    expect(large.merges).toBeGreaterThan(0.8 * 5_000);
    expect(ratio).toBeLessThan(20);
    // Hard bound per record: blocking keys (≤ 2 here) × the per-key cap.
    expect(large.comparisons / 10_000).toBeLessThanOrEqual(2 * 40);
    expect(large.comparisons).toBeLessThan((10_000 * 9_999) / 2 / 100);
  });

  it('stays within blocking keys × cap per record when blocks are huge (few distinct names)', async () => {
    const names = ['Ann Lee', 'Bo Chan', 'Cy Diaz'];
    const data = Array.from({ length: 600 }, (_, i) => ({ name: names[i % names.length]!, company: `Firm ${i}` }));
    // Distinct companies under threshold 1 keep these from merging: every record stays and blocks keep growing.
    const strict: DedupStrategy = {
      ...(fuzzy as Extract<DedupStrategy, { kind: 'fuzzy' }>),
      threshold: 1,
      maxCandidatesPerKey: 10,
    };
    const capped = await comparisonsFor(600, data, strict);
    const uncapped = await comparisonsFor(600, data, {
      ...(strict as Extract<DedupStrategy, { kind: 'fuzzy' }>),
      maxCandidatesPerKey: 1_000,
    });
    expect(capped.comparisons).toBeLessThanOrEqual(600 * 2 * 10);
    // Without the cap every record meets its whole block: quadratic in the block size.
    expect(uncapped.comparisons).toBeGreaterThan(5 * capped.comparisons);
  });
});
