/** The shards repository's promises, held by the Cosmos and the memory implementation alike. */
import type { Shard } from '../../../shared/core/shard';
import { eachDocumentStore, rejectionCode, uniqueId } from './harness';

const shard = (tenantId: string, id: string, changes: Partial<Shard> = {}): Shard => ({
  id,
  tenantId,
  shardType: 'github.issues',
  data: { title: id },
  externalRefs: [{ provider: 'github', integrationId: 'i', entity: 'issues', externalId: id }],
  links: [],
  lastWrittenBy: 'inbound',
  deleted: false,
  updatedAt: '2026-03-01T00:00:00.000Z',
  ...changes,
});

eachDocumentStore((store) => {
  it('writes shards in bulk and reads them back by id within the tenant only', async () => {
    const tenant = uniqueId('t');
    const other = uniqueId('t');
    await store().shards.upsertMany([
      ...Array.from({ length: 130 }, (_, i) => shard(tenant, `s-${i}`)),
      shard(other, 's-0', { data: { title: 'theirs' } }),
    ]);
    const found = await store().shards.getMany(tenant, ['s-0', 's-129', 'missing']);
    expect([...found.keys()].sort()).toEqual(['s-0', 's-129']);
    expect(found.get('s-0')).toMatchObject({ tenantId: tenant, data: { title: 's-0' } });
    expect((await store().shards.getMany(other, ['s-0'])).get('s-0')?.data).toEqual({ title: 'theirs' });
    expect(await store().shards.get(tenant, 's-7')).toMatchObject({ id: 's-7', tenantId: tenant });
    expect(await store().shards.get(uniqueId('t'), 's-7')).toBeUndefined();
  });

  it('replaces only the version it read', async () => {
    const tenant = uniqueId('t');
    await store().shards.upsertMany([shard(tenant, 'r')]);
    const read = (await store().shards.get(tenant, 'r'))!;
    const written = await store().shards.replace({ ...read, data: { title: 'edited' } });
    expect(written._etag).not.toBe(read._etag);
    expect(await rejectionCode(store().shards.replace({ ...read, data: { title: 'stale' } }))).toBe(
      'precondition_failed',
    );
    expect((await store().shards.get(tenant, 'r'))?.data).toEqual({ title: 'edited' });
  });

  it('counts live shards, by type, and deleted ones when asked', async () => {
    const tenant = uniqueId('t');
    await store().shards.upsertMany([
      shard(tenant, 'a'),
      shard(tenant, 'b', { shardType: 'github.pulls' }),
      shard(tenant, 'c', { deleted: true }),
      shard(uniqueId('t'), 'd'),
    ]);
    expect(await store().shards.count(tenant)).toBe(2);
    expect(await store().shards.count(tenant, { shardType: 'github.issues' })).toBe(1);
    expect(await store().shards.count(tenant, { includeDeleted: true })).toBe(3);
  });

  it('counts the live shards holding records of one integration, per entity, within the tenant only', async () => {
    const tenant = uniqueId('t');
    const ref = (integrationId: string, entity: string, externalId: string) => ({
      provider: 'github',
      integrationId,
      entity,
      externalId,
    });
    await store().shards.upsertMany([
      shard(tenant, 'i1', { externalRefs: [ref('int-a', 'issues', '1')] }),
      shard(tenant, 'i2', { externalRefs: [ref('int-a', 'issues', '2'), ref('int-b', 'issues', '9')] }),
      shard(tenant, 'p1', { externalRefs: [ref('int-a', 'pulls', '3')] }),
      shard(tenant, 'gone', { externalRefs: [ref('int-a', 'issues', '4')], deleted: true }),
      shard(tenant, 'b1', { externalRefs: [ref('int-b', 'issues', '5')] }),
      shard(uniqueId('t'), 'x', { externalRefs: [ref('int-a', 'issues', '6')] }),
    ]);
    expect(await store().shards.countByEntity(tenant, 'int-a', ['issues', 'pulls', 'labels'])).toEqual({
      issues: 2,
      pulls: 1,
      labels: 0,
    });
    expect(await store().shards.countByEntity(tenant, 'int-b', ['issues'])).toEqual({ issues: 2 });
    expect(await store().shards.countByEntity(uniqueId('t'), 'int-a', ['issues'])).toEqual({ issues: 0 });
  });

  it('finds live shards of the tenant by dedup key, bounded', async () => {
    const tenant = uniqueId('t');
    await store().shards.upsertMany([
      shard(tenant, 'k1', { dedupKeys: ['email:a@x', 'name:ann'] }),
      shard(tenant, 'k2', { dedupKeys: ['email:b@x'] }),
      shard(tenant, 'k3', { dedupKeys: ['email:a@x'], deleted: true }),
      shard(uniqueId('t'), 'k4', { dedupKeys: ['email:a@x'] }),
    ]);
    const hits = await store().shards.findByDedupKeys(tenant, ['email:a@x', 'email:b@x'], 10);
    expect(hits.map((hit) => hit.id).sort()).toEqual(['k1', 'k2']);
    expect(hits.find((hit) => hit.id === 'k1')).toEqual({
      id: 'k1',
      data: { title: 'k1' },
      dedupKeys: ['email:a@x', 'name:ann'],
    });
    expect(await store().shards.findByDedupKeys(tenant, ['email:a@x', 'email:b@x'], 1)).toHaveLength(1);
    expect(await store().shards.findByDedupKeys(tenant, [], 10)).toEqual([]);
  });

  it('scans local changes of the given types after a second, then within one second after an id', async () => {
    const tenant = uniqueId('t');
    await store().shards.upsertMany([
      shard(tenant, 'l-2', { lastWrittenBy: 'local', targetIntegrationId: 'gh' }),
      shard(tenant, 'l-1', { lastWrittenBy: 'local' }),
      shard(tenant, 'l-3', { lastWrittenBy: 'local', shardType: 'notion.pages' }),
      shard(tenant, 'in', { lastWrittenBy: 'inbound' }),
    ]);
    const changed = await store().shards.changedLocally(tenant, ['github.issues'], { sinceTs: 0 }, 10);
    expect(changed.map((change) => change.id).sort()).toEqual(['l-1', 'l-2']);
    const second = changed[0]!.ts;
    expect(changed.every((change) => typeof change.etag === 'string' && change.ts >= second)).toBe(true);
    expect(changed.find((change) => change.id === 'l-2')).toMatchObject({
      shardType: 'github.issues',
      targetIntegrationId: 'gh',
      externalRefs: [{ externalId: 'l-2' }],
    });
    expect(await store().shards.changedLocally(tenant, ['github.issues'], { sinceTs: 0 }, 1)).toHaveLength(1);
    expect(await store().shards.changedLocally(tenant, ['github.issues'], { sinceTs: changed.at(-1)!.ts }, 10)).toEqual(
      [],
    );
    // Within one second, by id after the given one.
    const l1 = changed.find((change) => change.id === 'l-1')!;
    const l2 = changed.find((change) => change.id === 'l-2')!;
    if (l1.ts === l2.ts) {
      const after = await store().shards.changedLocally(tenant, ['github.issues'], { ts: l1.ts, afterId: 'l-1' }, 10);
      expect(after.map((change) => change.id)).toEqual(['l-2']);
    }
    const read = (await store().shards.get(tenant, 'l-1'))!;
    expect(l1.etag).toBe(read._etag);
  });

  it('deletes shards for good within the tenant only', async () => {
    const tenant = uniqueId('t');
    const other = uniqueId('t');
    await store().shards.upsertMany([shard(tenant, 'd-1'), shard(tenant, 'd-2'), shard(other, 'd-1')]);
    expect(await store().shards.deleteMany(tenant, ['d-1', 'missing'])).toBe(1);
    expect(await store().shards.get(tenant, 'd-1')).toBeUndefined();
    expect(await store().shards.get(tenant, 'd-2')).toBeDefined();
    expect(await store().shards.get(other, 'd-1')).toBeDefined();
    expect(await store().shards.count(tenant, { includeDeleted: true })).toBe(1);
  });

  describe('browse (the record browser)', () => {
    const ref = (integrationId: string, entity: string, externalId: string) => ({
      provider: 'github',
      integrationId,
      entity,
      externalId,
    });
    let tenant: string;
    beforeAll(async () => {
      tenant = uniqueId('t');
      await store().shards.upsertMany([
        ...Array.from({ length: 25 }, (_, i) =>
          shard(tenant, `b-${String(i).padStart(2, '0')}`, {
            data: { title: i === 7 ? 'Login page crashes' : `Issue ${i}` },
            externalRefs: [ref('i-a', 'issues', String(100 + i))],
          }),
        ),
        shard(tenant, 'c-comment', {
          data: { body: 'a LOGIN comment' },
          externalRefs: [ref('i-a', 'issue_comments', '900')],
        }),
        shard(tenant, 'c-other', { data: { Name: 'Acme' }, externalRefs: [ref('i-b', 'Account', '001')] }),
        shard(tenant, 'c-gone', { deleted: true, externalRefs: [ref('i-a', 'issues', '999')] }),
        shard(tenant, 'c-local', {
          data: { title: 'created here' },
          externalRefs: [],
          lastWrittenBy: 'local',
          targetIntegrationId: 'i-a',
        }),
        shard(uniqueId('t'), 'b-00', { externalRefs: [ref('i-a', 'issues', '100')] }),
      ]);
    });

    it('pages live shards by id with a bounded page and a next key', async () => {
      const seen: string[] = [];
      let afterId: string | undefined;
      let pages = 0;
      do {
        const page = await store().shards.browse(tenant, { integrationId: 'i-a' }, { limit: 10, afterId });
        expect(page.items.length).toBeLessThanOrEqual(10);
        seen.push(...page.items.map((item) => item.id));
        afterId = page.nextAfterId;
        pages++;
      } while (afterId);
      expect(pages).toBe(3);
      expect(seen).toEqual([...seen].sort());
      expect(seen).toHaveLength(27);
      expect(seen).toContain('c-local');
      expect(seen).not.toContain('c-gone');
      expect(seen).not.toContain('c-other');
    });

    it('filters by entity, matching locally created shards by their shard type', async () => {
      const issues = await store().shards.browse(
        tenant,
        { integrationId: 'i-a', entity: 'issues', shardType: 'github.issues' },
        { limit: 100 },
      );
      expect(issues.items.map((item) => item.id)).toHaveLength(26);
      expect(issues.nextAfterId).toBeUndefined();
      const comments = await store().shards.browse(
        tenant,
        { integrationId: 'i-a', entity: 'issue_comments' },
        { limit: 100 },
      );
      expect(comments.items.map((item) => item.id)).toEqual(['c-comment']);
      const byEntityOnly = await store().shards.browse(tenant, { entity: 'Account' }, { limit: 100 });
      expect(byEntityOnly.items.map((item) => item.id)).toEqual(['c-other']);
    });

    it('searches the external id exactly and the title fields in any case', async () => {
      const byExternalId = await store().shards.browse(tenant, { q: '107' }, { limit: 10 });
      expect(byExternalId.items.map((item) => item.id)).toEqual(['b-07']);
      const byTitle = await store().shards.browse(tenant, { q: 'login' }, { limit: 10 });
      expect(byTitle.items.map((item) => item.id)).toEqual(['b-07', 'c-comment']);
      const scoped = await store().shards.browse(
        tenant,
        { integrationId: 'i-a', entity: 'issues', q: 'LOGIN' },
        { limit: 10 },
      );
      expect(scoped.items.map((item) => item.id)).toEqual(['b-07']);
      const byName = await store().shards.browse(tenant, { q: 'acme' }, { limit: 10 });
      expect(byName.items.map((item) => item.id)).toEqual(['c-other']);
      expect((await store().shards.browse(tenant, { q: 'no such text' }, { limit: 10 })).items).toEqual([]);
      expect((await store().shards.browse(uniqueId('t'), { q: 'login' }, { limit: 10 })).items).toEqual([]);
    });
  });
});
