/** The integrations repository's promises, held by the Cosmos and the memory implementation alike. */
import { newIntegration, type Integration } from '../../../shared/core/integration';
import { eachDocumentStore, rejectionCode, uniqueId } from './harness';

const integration = (tenantId: string, id: string, at = '2026-03-01T10:00:00.000Z'): Integration =>
  newIntegration(tenantId, id, { provider: 'github', name: id }, { intervalMinutes: 15 }, new Date(at));

eachDocumentStore((store) => {
  it('creates an integration once and reads it back with an ETag, only in its own tenant', async () => {
    const tenant = uniqueId('t');
    const id = uniqueId('int');
    const created = await store().integrations.create(integration(tenant, id));
    expect(created).toMatchObject({ id, tenantId: tenant, name: id });
    expect(typeof created._etag).toBe('string');
    expect(await rejectionCode(store().integrations.create(integration(tenant, id)))).toBe('conflict');
    expect(await store().integrations.get(tenant, id)).toMatchObject({ id, _etag: created._etag });
    expect(await store().integrations.get(uniqueId('other'), id)).toBeUndefined();
    expect(await store().integrations.get(tenant, 'missing')).toBeUndefined();
  });

  it('replaces only the version it read: a stale ETag fails with precondition_failed', async () => {
    const tenant = uniqueId('t');
    const created = await store().integrations.create(integration(tenant, uniqueId('int')));
    const renamed = await store().integrations.replace({ ...created, name: 'renamed' });
    expect(renamed.name).toBe('renamed');
    expect(renamed._etag).not.toBe(created._etag);
    expect(await rejectionCode(store().integrations.replace({ ...created, name: 'stale' }))).toBe(
      'precondition_failed',
    );
    expect((await store().integrations.get(tenant, created.id))?.name).toBe('renamed');
  });

  it('lists a tenant oldest first, bounded, and deletes once', async () => {
    const tenant = uniqueId('t');
    await store().integrations.create(integration(tenant, 'b', '2026-03-02T00:00:00.000Z'));
    await store().integrations.create(integration(tenant, 'a', '2026-03-03T00:00:00.000Z'));
    await store().integrations.create(integration(tenant, 'c', '2026-03-01T00:00:00.000Z'));
    await store().integrations.create(integration(uniqueId('other'), 'd'));
    expect((await store().integrations.list(tenant)).map((found) => found.id)).toEqual(['c', 'b', 'a']);
    expect((await store().integrations.list(tenant, 2)).map((found) => found.id)).toEqual(['c', 'b']);
    expect(await store().integrations.delete(tenant, 'b')).toBe(true);
    expect(await store().integrations.delete(tenant, 'b')).toBe(false);
    expect((await store().integrations.list(tenant)).map((found) => found.id)).toEqual(['c', 'a']);
  });

  it('finds a webhook target by id across tenants, and nothing when the id is ambiguous or unknown', async () => {
    const id = uniqueId('wh');
    const tenant = uniqueId('t');
    await store().integrations.create(integration(tenant, id));
    expect(await store().integrations.findForWebhook(id)).toMatchObject({ id, tenantId: tenant });
    const shared = uniqueId('shared');
    await store().integrations.create(integration(uniqueId('t1'), shared));
    await store().integrations.create(integration(uniqueId('t2'), shared));
    expect(await store().integrations.findForWebhook(shared)).toBeUndefined();
    expect(await store().integrations.findForWebhook(uniqueId('none'))).toBeUndefined();
  });

  it('scans across tenants: due work soonest first, pushing integrations by id, everything bounded', async () => {
    const prefix = uniqueId('scan');
    const due = (id: string, nextSyncAt: string, changes: Partial<Integration> = {}) =>
      store().integrations.create({ ...integration(uniqueId('t'), `${prefix}-${id}`), nextSyncAt, ...changes });
    await due('late', '2001-01-03T00:00:00.000Z');
    await due('early', '2001-01-02T00:00:00.000Z');
    await due('future', '2001-02-01T00:00:00.000Z');
    await due('off', '2001-01-01T00:00:00.000Z', { enabled: false, status: 'disabled' });
    const found = await store().integrations.findDueAcrossTenants(new Date('2001-01-10T00:00:00.000Z'), 10);
    expect(found.filter((item) => item.id.startsWith(prefix)).map((item) => item.id)).toEqual([
      `${prefix}-early`,
      `${prefix}-late`,
    ]);
    expect(await store().integrations.findDueAcrossTenants(new Date('2001-01-10T00:00:00.000Z'), 1)).toHaveLength(1);

    await due('push-b', '2030-01-01T00:00:00.000Z', { direction: 'outbound' });
    await due('push-a', '2030-01-01T00:00:00.000Z', { direction: 'bidirectional' });
    await due('push-off', '2030-01-01T00:00:00.000Z', { direction: 'outbound', status: 'needs_reauth' });
    const pushing = await store().integrations.findPushingAcrossTenants(1000);
    expect(pushing.filter((item) => item.id.startsWith(prefix)).map((item) => item.id)).toEqual([
      `${prefix}-push-a`,
      `${prefix}-push-b`,
    ]);
    expect(await store().integrations.listAcrossTenants(3)).toHaveLength(3);
  });
});
