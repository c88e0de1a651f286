/** The shard history repository's promises, held by the Cosmos and the memory implementation alike. */
import { historyEntry, type ShardHistoryChange } from '../../../shared/core/shard-history';
import { eachDocumentStore, uniqueId } from './harness';

const change = (tenantId: string, shardId: string, key: string, fields: string[]): ShardHistoryChange => ({
  tenantId,
  shardId,
  source: 'provider',
  runId: `run-${key}`,
  integrationId: 'i-1',
  changedFields: fields,
  key,
});

eachDocumentStore((store) => {
  it("lists one shard's entries within the tenant, newest first, bounded, from a given time", async () => {
    const tenant = uniqueId('t');
    const other = uniqueId('t');
    await store().shardHistory.appendMany([
      historyEntry(change(tenant, 's-1', 'a', ['title']), '2026-03-01T00:00:00.000Z', 7),
      historyEntry(change(tenant, 's-1', 'b', ['state', 'body']), '2026-03-03T00:00:00.000Z', 7),
      historyEntry(change(tenant, 's-1', 'c', ['labels']), '2026-03-02T00:00:00.000Z', 7),
      historyEntry(change(tenant, 's-2', 'd', ['title']), '2026-03-04T00:00:00.000Z', 7),
      historyEntry(change(other, 's-1', 'e', ['secret_name']), '2026-03-05T00:00:00.000Z', 7),
    ]);
    const all = await store().shardHistory.list(tenant, 's-1', '2026-01-01T00:00:00.000Z', 10);
    expect(all.map((entry) => entry.runId)).toEqual(['run-b', 'run-c', 'run-a']);
    expect(all[0]).toMatchObject({
      tenantId: tenant,
      shardId: 's-1',
      source: 'provider',
      integrationId: 'i-1',
      at: '2026-03-03T00:00:00.000Z',
      changedFields: ['body', 'state'],
      ttl: 7 * 86_400,
    });
    expect((await store().shardHistory.list(tenant, 's-1', '2026-01-01T00:00:00.000Z', 2)).length).toBe(2);
    expect(
      (await store().shardHistory.list(tenant, 's-1', '2026-03-02T00:00:00.000Z', 10)).map((entry) => entry.runId),
    ).toEqual(['run-b', 'run-c']);
    expect(await store().shardHistory.list(uniqueId('t'), 's-1', '2026-01-01T00:00:00.000Z', 10)).toEqual([]);
    expect((await store().shardHistory.list(other, 's-1', '2026-01-01T00:00:00.000Z', 10)).length).toBe(1);
  });

  it('keeps one entry when the same change is written twice (a redelivered page)', async () => {
    const tenant = uniqueId('t');
    const first = historyEntry(change(tenant, 's-1', 'run-1', ['title']), '2026-03-01T00:00:00.000Z', 3);
    const again = historyEntry(change(tenant, 's-1', 'run-1', ['title']), '2026-03-01T00:00:05.000Z', 3);
    expect(again.id).toBe(first.id);
    await store().shardHistory.appendMany([first]);
    await store().shardHistory.appendMany([again]);
    const listed = await store().shardHistory.list(tenant, 's-1', '2026-01-01T00:00:00.000Z', 10);
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ at: '2026-03-01T00:00:05.000Z', ttl: 3 * 86_400 });
  });

  it('writes more entries than one bulk chunk, and an empty write is a no-op', async () => {
    const tenant = uniqueId('t');
    await store().shardHistory.appendMany([]);
    await store().shardHistory.appendMany(
      Array.from({ length: 230 }, (_, i) =>
        historyEntry(
          change(tenant, `s-${i % 3}`, `k-${i}`, ['f']),
          new Date(Date.UTC(2026, 2, 1, 0, 0, i)).toISOString(),
          7,
        ),
      ),
    );
    expect((await store().shardHistory.list(tenant, 's-0', '2026-01-01T00:00:00.000Z', 1000)).length).toBe(77);
  });
});
