import { dedupStrategiesSchema } from './config';
import { blockingKeysOf, naturalKeyOf, soundex } from './keys';
import { InMemoryDedupIndex } from './memory-index';
import { mergeExternalRefs } from './merge';
import { dedupePage } from './page';
import { decide } from './strategies';
import type { DedupCandidate, DedupStrategy, ExternalRef } from './types';
import { dedupeWithinPage } from './within-page';

const emailKey: DedupStrategy = {
  kind: 'natural_key',
  name: 'email',
  parts: [{ field: 'email', normalise: { kind: 'email', stripPlusTags: true } }],
};
const nameZip: DedupStrategy = {
  kind: 'natural_key',
  name: 'name_zip',
  parts: [
    { field: 'lastName', normalise: { kind: 'text' } },
    { field: 'address.zip', normalise: { kind: 'exact' } },
  ],
};
const fuzzyPerson: DedupStrategy = {
  kind: 'fuzzy',
  name: 'person',
  fields: [
    { field: 'name', compare: 'name', weight: 2 },
    { field: 'company', compare: 'company' },
  ],
  threshold: 0.9,
  blocking: [
    { kind: 'phonetic', field: 'name' },
    { kind: 'email_domain', field: 'email' },
  ],
};
const strategies: DedupStrategy[] = [{ kind: 'external_id' }, { kind: 'content_hash' }, emailKey, nameZip, fuzzyPerson];

const sf = (id: string): ExternalRef => ({
  provider: 'salesforce',
  entity: 'Contact',
  externalId: id,
  integrationId: 'sf1',
});
const gh = (id: string): ExternalRef => ({ provider: 'github', entity: 'users', externalId: id, integrationId: 'gh1' });

function seeded(): InMemoryDedupIndex {
  const index = new InMemoryDedupIndex(strategies);
  index.upsert({
    shardId: 'shard-ada',
    refs: [sf('003A')],
    data: {
      name: 'Ada Lovelace',
      email: 'ada@analytical.io',
      company: 'Analytical Engines Ltd',
      lastName: 'Lovelace',
      address: { zip: 'N1 9GU' },
    },
    contentHashes: { 'sf1|salesforce|Contact|003A': 'hash-1' },
  });
  index.upsert({
    shardId: 'shard-bob',
    refs: [sf('003B')],
    data: { name: 'Bob Babbage', email: 'bob@difference.io', company: 'Difference Inc' },
  });
  return index;
}

const candidate = (ref: ExternalRef, data: Record<string, unknown>, contentHash?: string): DedupCandidate => ({
  ref,
  data,
  ...(contentHash ? { contentHash } : {}),
});

describe('dedup strategies', () => {
  it('external id: a source record synced before updates its shard', async () => {
    const decision = await decide(candidate(sf('003A'), { name: 'Ada' }, 'hash-2'), strategies, seeded());
    expect(decision).toMatchObject({ strategy: 'external_id', action: 'update', matchedShardId: 'shard-ada' });
  });

  it('content hash: an unchanged record is skipped without a write', async () => {
    const decision = await decide(candidate(sf('003A'), { name: 'Ada' }, 'hash-1'), strategies, seeded());
    expect(decision).toMatchObject({ strategy: 'content_hash', action: 'skip', matchedShardId: 'shard-ada' });
    expect(decision.reason).toContain('unchanged');
  });

  it('natural key: a new source record with the same normalised email merges into the other source’s shard', async () => {
    const decision = await decide(candidate(gh('u1'), { email: '  ADA+github@Analytical.io' }), strategies, seeded());
    expect(decision).toMatchObject({ strategy: 'natural_key', action: 'merge', matchedShardId: 'shard-ada' });
  });

  it('natural key: composite keys need every part, and plus-tags count when not stripped', async () => {
    const composite = await decide(
      candidate(gh('u2'), { lastName: 'LOVELACE ', address: { zip: 'N1 9GU' } }),
      [nameZip],
      seeded(),
    );
    expect(composite).toMatchObject({ strategy: 'natural_key', matchedShardId: 'shard-ada' });
    expect(naturalKeyOf(nameZip as Extract<DedupStrategy, { kind: 'natural_key' }>, { lastName: 'x' })).toBeUndefined();
    const strict: DedupStrategy = {
      kind: 'natural_key',
      name: 'email',
      parts: [{ field: 'email', normalise: { kind: 'email' } }],
    };
    const index = new InMemoryDedupIndex([strict]);
    index.upsert({ shardId: 's1', refs: [sf('1')], data: { email: 'ada@x.io' } });
    expect((await decide(candidate(gh('u3'), { email: 'ada+tag@x.io' }), [strict], index)).action).toBe('create');
    expect((await decide(candidate(gh('u3'), { email: 'ADA@x.io' }), [strict], index)).action).toBe('merge');
  });

  it('fuzzy: a close name (accents, order, typo) at the same company merges with a score; a different one does not', async () => {
    const close = await decide(
      candidate(gh('u4'), { name: 'Lovelace, Adá', company: 'Analytical Engines' }),
      strategies,
      seeded(),
    );
    expect(close).toMatchObject({ strategy: 'fuzzy', action: 'merge', matchedShardId: 'shard-ada' });
    expect(close.score).toBeGreaterThanOrEqual(0.9);
    const typo = await decide(
      candidate(gh('u5'), { name: 'Ada Lovelaec', company: 'Analytical Engines GmbH' }),
      strategies,
      seeded(),
    );
    expect(typo).toMatchObject({ strategy: 'fuzzy', matchedShardId: 'shard-ada' });
    const other = await decide(candidate(gh('u6'), { name: 'Adam Levine', company: 'Maroon' }), strategies, seeded());
    expect(other).toMatchObject({ strategy: 'none', action: 'create' });
  });

  it('fuzzy: only candidates sharing a blocking key are compared', async () => {
    const stats = { comparisons: 0 };
    await decide(candidate(gh('u7'), { name: 'Zed Zulu', email: 'zed@nowhere.io' }), [fuzzyPerson], seeded(), stats);
    expect(stats.comparisons).toBe(0);
    await decide(
      candidate(gh('u8'), { name: 'Bobby Babbage', email: 'b@difference.io' }),
      [fuzzyPerson],
      seeded(),
      stats,
    );
    expect(stats.comparisons).toBe(1);
    expect(blockingKeysOf(fuzzyPerson as Extract<DedupStrategy, { kind: 'fuzzy' }>, { name: 'Robert Rupert' })).toEqual(
      ['person:phonetic:name:r16300.r1', 'person:phonetic:name:r1.r16300'],
    );
    expect(soundex('tymczak')).toBe('t522');
    expect(soundex('ashcraft')).toBe('a261');
  });

  it('no match: a create decision that says what was tried', async () => {
    const decision = await decide(candidate(gh('u9'), {}), strategies, seeded());
    expect(decision).toEqual({
      strategy: 'none',
      action: 'create',
      reason: 'no match for github/users/u9 (external_id, content_hash, natural_key, natural_key, fuzzy)',
    });
  });

  it('re-indexing a shard drops its old keys', async () => {
    const index = seeded();
    index.upsert({ shardId: 'shard-ada', refs: [sf('003A')], data: { email: 'countess@lovelace.io' } });
    expect(await index.byNaturalKey('email:ada@analytical.io')).toBeUndefined();
    expect(await index.byNaturalKey('email:countess@lovelace.io')).toBe('shard-ada');
  });
});

describe('merging and page helpers', () => {
  it('mergeExternalRefs keeps every source and updates a ref present on both sides', () => {
    const merged = mergeExternalRefs(
      [{ ...sf('003A'), version: '1' }, gh('u1')],
      [{ ...sf('003A'), version: '2' }, gh('u2')],
    );
    expect(merged).toEqual([{ ...sf('003A'), version: '2' }, gh('u1'), gh('u2')]);
  });

  it('dedupeWithinPage keeps the latest copy of a record by modifiedAt, then version, then position', () => {
    const page = [
      { id: 'a', entity: 'e', modifiedAt: '2024-01-02T00:00:00Z', tag: 'a-new' },
      { id: 'b', entity: 'e', version: '3', tag: 'b3' },
      { id: 'a', entity: 'e', modifiedAt: '2024-01-01T00:00:00Z', tag: 'a-old' },
      { id: 'b', entity: 'e', version: '10', tag: 'b10' },
      { id: 'a', entity: 'other', tag: 'other-a' },
      { id: 'c', entity: 'e', version: 'W/"x"', tag: 'c1' },
      { id: 'c', entity: 'e', version: 'W/"y"', tag: 'c2' },
    ];
    const { kept, dropped } = dedupeWithinPage(page);
    expect(kept.map((record) => record.tag)).toEqual(['a-new', 'b10', 'other-a', 'c2']);
    expect(dropped.map((record) => record.recordId)).toEqual(['a', 'b', 'c']);
  });

  it('dedupePage merges two new records of one page that are the same person', async () => {
    let next = 0;
    const decisions = await dedupePage(
      [
        candidate(gh('n1'), { email: 'grace@navy.mil', name: 'Grace Hopper' }),
        candidate(sf('n2'), { email: 'Grace@Navy.mil', name: 'Grace Hopper' }),
        candidate(gh('n3'), { name: 'Ada Lovelace', company: 'Analytical Engines' }),
      ],
      strategies,
      seeded(),
      () => `new-${++next}`,
    );
    expect(decisions.map((item) => [item.decision.action, item.shardId])).toEqual([
      ['create', 'new-1'],
      ['merge', 'new-1'],
      ['merge', 'shard-ada'],
    ]);
  });

  it('strategy configs are validated when saved', () => {
    expect(dedupStrategiesSchema.safeParse(strategies).success).toBe(true);
    const bad = dedupStrategiesSchema.safeParse([{ kind: 'fuzzy', name: 'p', fields: [], threshold: 2, blocking: [] }]);
    expect(bad.success).toBe(false);
    expect(dedupStrategiesSchema.safeParse([emailKey, emailKey]).success).toBe(false);
  });
});
