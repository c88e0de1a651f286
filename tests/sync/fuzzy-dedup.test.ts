/**
 * Fuzzy and within-page deduplication through the page writer (the pipeline's write step) against
 * cosmosdb-server: the persisted key index on shards, the real repositories, two integrations of one tenant.
 *  - a name above the threshold merges into the other integration's shard (score recorded), one below does not;
 *  - two new records of one page with the same natural key become one shard;
 *  - the cost: counted fuzzy comparisons grow about linearly with the store (blocking keys, capped), not all pairs.
 */
import fc from 'fast-check';
import { createTestServices } from '../support/test-services';
import type { AppServices } from '../../shared/app/services';
import type { ProviderRecord } from '../../shared/adapters/contract';
import type { DedupStrategy } from '../../shared/dedup';
import { policyForStrategyName } from '../../shared/conflicts';
import { writePage, type PageContext, type PageWriterDeps } from '../../shared/sync/page/writer';

jest.setTimeout(120_000);

let services: AppServices;
beforeAll(async () => {
  services = (await createTestServices()).services;
});
afterAll(async () => services?.close?.());

const person: Extract<DedupStrategy, { kind: 'fuzzy' }> = {
  kind: 'fuzzy',
  name: 'person',
  fields: [{ field: 'name', compare: 'name' }],
  threshold: 0.93,
  blocking: [{ kind: 'phonetic', field: 'name' }],
  maxCandidatesPerKey: 40,
};
const email: DedupStrategy = {
  kind: 'natural_key',
  name: 'email',
  parts: [{ field: 'email', normalise: { kind: 'email' } }],
};

function deps(stats?: { comparisons: number }): PageWriterDeps {
  return {
    shards: services.shards,
    syncState: services.syncState,
    conflicts: services.conflicts,
    now: () => new Date(),
    ...(stats ? { dedupStats: stats } : {}),
  };
}

function ctx(tenantId: string, integrationId: string, dedup: DedupStrategy[], runId = 'run-1'): PageContext {
  return {
    integration: { id: integrationId, tenantId, provider: integrationId.startsWith('crm') ? 'salesforce' : 'google' },
    entity: 'people',
    runId,
    policy: policyForStrategyName('source_wins'),
    markSeen: false,
    dedup,
  };
}

const records = (rows: Array<Record<string, unknown> & { id: string }>): ProviderRecord[] =>
  rows.map(({ id, ...data }) => ({ id, entity: 'people', data }));
const shardOf = async (integrationId: string, id: string) => {
  const state = (await services.syncState.records(integrationId, 'people', [id])).get(id)!;
  return { state, shard: (await services.shards.get(state.tenantId, state.shardId))! };
};

describe('fuzzy deduplication in the page writer', () => {
  it('merges a name above the threshold into the other integration’s shard and keeps one below apart', async () => {
    await writePage(
      deps(),
      ctx('t-fuzzy', 'crm-a', [person]),
      records([
        { id: 'a1', name: 'Katherine Johnson' },
        { id: 'a2', name: 'Grace Hopper' },
      ]),
    );
    const stats = { comparisons: 0 };
    const result = await writePage(
      deps(stats),
      ctx('t-fuzzy', 'hr-b', [person]),
      records([
        { id: 'b1', name: 'Katharine Johnson', team: 'Flight' },
        { id: 'b2', name: 'Grant Hooper' },
      ]),
    );
    expect(result.counters).toMatchObject({ created: 1, updated: 1 });

    const katherine = await shardOf('crm-a', 'a1');
    const katharine = await shardOf('hr-b', 'b1');
    expect(katharine.state.shardId).toBe(katherine.state.shardId);
    expect(katharine.state.dedup).toMatchObject({
      strategy: 'fuzzy',
      matchedShardId: katherine.state.shardId,
      score: expect.any(Number),
    });
    expect(katharine.state.dedup!.score!).toBeGreaterThanOrEqual(0.93);
    expect(katharine.shard.externalRefs.map((ref) => `${ref.integrationId}/${ref.externalId}`)).toEqual([
      'crm-a/a1',
      'hr-b/b1',
    ]);
    expect(katharine.shard.dedupDecisions).toEqual([
      expect.objectContaining({
        strategy: 'fuzzy',
        score: katharine.state.dedup!.score,
        matchedShardId: katherine.state.shardId,
      }),
    ]);
    expect(katharine.shard.data).toEqual({ name: 'Katherine Johnson', team: 'Flight' });

    // "Grant Hooper" shares a blocking key with "Grace Hopper" (so they were compared) but scores below 0.93.
    const grace = await shardOf('crm-a', 'a2');
    const grant = await shardOf('hr-b', 'b2');
    expect(stats.comparisons).toBeGreaterThanOrEqual(2);
    expect(grant.state.shardId).not.toBe(grace.state.shardId);
    expect(grant.state.dedup).toBeUndefined();
    expect(grace.shard.externalRefs).toHaveLength(1);

    // The same page again: every record is known by its external id now; nothing moves.
    const again = await writePage(
      deps(),
      ctx('t-fuzzy', 'hr-b', [person], 'run-2'),
      records([
        { id: 'b1', name: 'Katharine Johnson', team: 'Flight' },
        { id: 'b2', name: 'Grant Hooper' },
      ]),
    );
    expect(again.counters).toMatchObject({ created: 0, updated: 0, unchanged: 2 });
    expect((await shardOf('hr-b', 'b1')).shard.externalRefs).toHaveLength(2);
  });

  it('makes two new records of one page with the same natural key one shard', async () => {
    const result = await writePage(
      deps(),
      ctx('t-page', 'crm-p', [email]),
      records([
        { id: 'p1', email: 'Lin@Example.com', name: 'Lin' },
        { id: 'p2', email: ' lin@example.COM', phone: '123' },
      ]),
    );
    expect(result.counters).toMatchObject({ created: 1, updated: 1 });
    const first = await shardOf('crm-p', 'p1');
    const second = await shardOf('crm-p', 'p2');
    expect(second.state.shardId).toBe(first.state.shardId);
    expect(first.shard.externalRefs.map((ref) => ref.externalId)).toEqual(['p1', 'p2']);
    expect(first.shard.data).toEqual({ email: 'Lin@Example.com', name: 'Lin', phone: '123' });
    expect(await services.shards.count('t-page')).toBe(1);
  });
});

const CONSONANTS = 'bcdfghjklmnprstvwz';
const VOWELS = 'aeiou';
const word = fc
  .array(fc.tuple(fc.constantFrom(...CONSONANTS), fc.constantFrom(...VOWELS)), { minLength: 3, maxLength: 5 })
  .map((pairs) => pairs.map(([c, v]) => c + v).join(''))
  .map((text) => text[0]!.toUpperCase() + text.slice(1));

/** Distinct synthetic people, and for each one a copy from the other source with a typo in the last name. */
function people(count: number, seed: number): Array<{ name: string; typo: string }> {
  const [rows] = fc.sample(fc.array(fc.record({ first: word, last: word }), { minLength: count, maxLength: count }), {
    numRuns: 1,
    seed,
  });
  return rows!.map(({ first, last }) => ({
    name: `${first} ${last}`,
    typo: `${first} ${last.slice(0, 2)}${last[3]}${last[2]}${last.slice(4)}`,
  }));
}

/** Integration ids are unique across tenants (sync-state is partitioned by integration), so each size has its own. */
async function syncPeople(tenantId: string, count: number): Promise<{ comparisons: number; merged: number }> {
  const rows = people(count, 7);
  const page = 100;
  for (let start = 0; start < count; start += page) {
    await writePage(
      deps(),
      ctx(tenantId, `crm-${tenantId}`, [person]),
      records(rows.slice(start, start + page).map((row, i) => ({ id: `a${start + i}`, name: row.name }))),
    );
  }
  const stats = { comparisons: 0 };
  let merged = 0;
  for (let start = 0; start < count; start += page) {
    const result = await writePage(
      deps(stats),
      ctx(tenantId, `hr-${tenantId}`, [person]),
      records(rows.slice(start, start + page).map((row, i) => ({ id: `b${start + i}`, name: row.typo }))),
    );
    merged += result.counters.updated;
  }
  return { comparisons: stats.comparisons, merged };
}

describe('fuzzy deduplication cost through the page writer', () => {
  it('counts comparisons growing about linearly with the store (250 vs 1,000 people), never all pairs', async () => {
    const small = await syncPeople('t-cost-small', 250);
    const large = await syncPeople('t-cost-large', 1_000);
    // Recall: most misspelt copies find their person.
    expect(small.merged).toBeGreaterThan(0.8 * 250);
    expect(large.merged).toBeGreaterThan(0.8 * 1_000);
    // ×4 records: about ×4 comparisons (all pairs against the store would be ×16).
    expect(small.comparisons).toBeGreaterThan(0);
    expect(large.comparisons / small.comparisons).toBeLessThan(6);
    // Per record: at most blocking keys (2) × cap (40); all pairs would be 1,000 per record.
    expect(large.comparisons / 1_000).toBeLessThanOrEqual(2 * 40);
    expect(large.comparisons).toBeLessThan((1_000 * 1_000) / 10);
  });
});
