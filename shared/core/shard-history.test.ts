import { changedFieldNames, historyEntry } from './shard-history';

describe('changedFieldNames', () => {
  it('names added, changed and removed top-level fields, sorted, and nothing for equal values', () => {
    expect(
      changedFieldNames(
        { title: 'a', labels: ['x'], meta: { n: 1 }, gone: 1, same: 2, nil: null },
        { title: 'b', labels: ['x'], meta: { n: 2 }, same: 2, added: 0, nil: null },
      ),
    ).toEqual(['added', 'gone', 'meta', 'title']);
    expect(changedFieldNames({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toEqual([]);
    expect(changedFieldNames({ a: null }, { a: {} })).toEqual(['a']);
    expect(changedFieldNames({ a: 1 }, { a: '1' })).toEqual(['a']);
  });

  it('names every field of a record new to the store', () => {
    expect(changedFieldNames(undefined, { z: 1, a: 2 })).toEqual(['a', 'z']);
  });
});

describe('historyEntry', () => {
  it('derives the id from shard, source, key and fields (the same change written twice is one entry) and sets the TTL', () => {
    const change = {
      tenantId: 't',
      shardId: 's',
      source: 'provider' as const,
      runId: 'r',
      changedFields: ['b', 'a'],
      key: 'r|i|issues',
    };
    const first = historyEntry(change, '2026-01-01T00:00:00.000Z', 7);
    expect(first).toEqual({
      id: expect.stringMatching(/^hist-[0-9a-f]{32}$/),
      tenantId: 't',
      shardId: 's',
      source: 'provider',
      runId: 'r',
      changedFields: ['a', 'b'],
      at: '2026-01-01T00:00:00.000Z',
      ttl: 7 * 86_400,
    });
    expect(historyEntry({ ...change, changedFields: ['a', 'b'] }, '2026-01-02T00:00:00.000Z', 7).id).toBe(first.id);
    expect(historyEntry({ ...change, key: 'r2|i|issues' }, '2026-01-01T00:00:00.000Z', 7).id).not.toBe(first.id);
  });
});
