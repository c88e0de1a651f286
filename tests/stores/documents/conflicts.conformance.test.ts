/** The conflicts repository's promises, held by the Cosmos and the memory implementation alike. */
import { buildConflictDocument, type ConflictDocument } from '../../../shared/conflicts';
import { eachDocumentStore, rejectionCode, uniqueId } from './harness';

const conflict = (tenantId: string, externalId: string, createdAt: string, integrationId = 'gh'): ConflictDocument => ({
  ...buildConflictDocument(
    { tenantId, integrationId, shardId: `sh-${externalId}`, entity: 'issues', externalId },
    [{ field: 'title', base: 'b', local: 'l', remote: 'r' }],
    new Date(createdAt),
  )!,
});

eachDocumentStore((store) => {
  it('writes conflicts in bulk and reads them within the tenant only', async () => {
    const tenant = uniqueId('t');
    const one = conflict(tenant, '1', '2026-03-01T00:00:00.000Z');
    await store().conflicts.saveMany([one, conflict(uniqueId('t'), '1', '2026-03-01T00:00:00.000Z')]);
    expect(await store().conflicts.get(tenant, one.id)).toMatchObject({
      id: one.id,
      status: 'open',
      fields: one.fields,
    });
    expect(await store().conflicts.get(uniqueId('t'), one.id)).toBeUndefined();
    await store().conflicts.saveMany([]);
  });

  it('lists by status (and integration) newest first, bounded, and names the open ones', async () => {
    const tenant = uniqueId('t');
    const [a, b, c] = [
      conflict(tenant, 'a', '2026-03-01T00:00:00.000Z'),
      conflict(tenant, 'b', '2026-03-03T00:00:00.000Z'),
      conflict(tenant, 'c', '2026-03-02T00:00:00.000Z', 'sf'),
    ];
    await store().conflicts.saveMany([
      a,
      b,
      c,
      { ...conflict(tenant, 'd', '2026-03-04T00:00:00.000Z'), status: 'resolved' },
    ]);
    expect((await store().conflicts.list(tenant, { status: 'open' })).map((found) => found.id)).toEqual([
      b.id,
      c.id,
      a.id,
    ]);
    expect((await store().conflicts.list(tenant, { status: 'open' }, 1)).map((found) => found.id)).toEqual([b.id]);
    expect(
      (await store().conflicts.list(tenant, { status: 'open', integrationId: 'sf' })).map((found) => found.id),
    ).toEqual([c.id]);
    expect(await store().conflicts.list(tenant, { status: 'resolved' })).toHaveLength(1);
    expect((await store().conflicts.openIds(tenant)).sort()).toEqual([a.id, b.id, c.id].sort());
  });

  it('replaces only the version it read: a second resolution fails with precondition_failed', async () => {
    const tenant = uniqueId('t');
    const open = conflict(tenant, 'x', '2026-03-01T00:00:00.000Z');
    await store().conflicts.saveMany([open]);
    const read = (await store().conflicts.get(tenant, open.id))!;
    const resolved = await store().conflicts.replace({ ...read, status: 'resolved' });
    expect(resolved.status).toBe('resolved');
    expect(await rejectionCode(store().conflicts.replace({ ...read, status: 'resolved' }))).toBe('precondition_failed');
  });
});
