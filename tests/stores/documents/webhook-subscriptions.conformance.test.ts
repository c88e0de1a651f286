/**
 * The webhook subscriptions port: one state per integration, read only within its tenant, created once, replaced
 * only with the ETag it was read with (how an instance claims a subscription), deleted quietly, and the renewer's
 * cross-tenant scan of due states, oldest first and bounded.
 */
import type { WebhookSubscription } from '../../../shared/core/webhook-subscription';
import { eachDocumentStore, rejectionCode, uniqueId } from './harness';

function state(tenantId: string, integrationId: string, nextCheckAt: string): WebhookSubscription {
  return {
    id: 'webhook-subscription',
    kind: 'webhook-subscription',
    tenantId,
    integrationId,
    provider: 'github',
    enabled: true,
    state: 'active',
    hooks: [{ repository: 'acme/widgets', hookId: 7, events: ['issues'] }],
    channels: [],
    consecutiveFailures: 0,
    nextCheckAt,
    createdAt: '2026-12-01T00:00:00.000Z',
    updatedAt: '2026-12-01T00:00:00.000Z',
  };
}

eachDocumentStore((store) => {
  it('creates once, reads within the tenant only, replaces with the current ETag only, deletes quietly', async () => {
    const repo = store().webhookSubscriptions;
    const tenant = uniqueId('t');
    const integration = uniqueId('i');
    const created = await repo.save(state(tenant, integration, '2026-12-02T00:00:00.000Z'), undefined);
    expect(created).toMatchObject({ tenantId: tenant, integrationId: integration, hooks: [{ hookId: 7 }] });
    expect(await rejectionCode(repo.save(state(tenant, integration, 'x'), undefined))).toBe('conflict');
    expect(await repo.get('another-tenant', integration)).toBeUndefined();
    const read = (await repo.get(tenant, integration))!;
    expect(read._etag).toBe(created._etag);

    const claimed = await repo.save({ ...read, claimedUntil: '2026-12-02T00:02:00.000Z' }, read._etag);
    expect(claimed._etag).not.toBe(read._etag);
    expect(await rejectionCode(repo.save({ ...read, state: 'failed' }, read._etag))).toBe('precondition_failed');
    expect((await repo.get(tenant, integration))!.claimedUntil).toBe('2026-12-02T00:02:00.000Z');

    await repo.delete('another-tenant', integration);
    expect(await repo.get(tenant, integration)).toBeDefined();
    await repo.delete(tenant, integration);
    await repo.delete(tenant, integration);
    expect(await repo.get(tenant, integration)).toBeUndefined();
  });

  it('finds due states across tenants, oldest first, at most the limit', async () => {
    const repo = store().webhookSubscriptions;
    const ids = [uniqueId('d1'), uniqueId('d2'), uniqueId('d3'), uniqueId('later')];
    await repo.save(state(uniqueId('t'), ids[1]!, '2030-01-01T00:00:02.000Z'), undefined);
    await repo.save(state(uniqueId('t'), ids[0]!, '2030-01-01T00:00:01.000Z'), undefined);
    await repo.save(state(uniqueId('t'), ids[2]!, '2030-01-01T00:00:03.000Z'), undefined);
    await repo.save(state(uniqueId('t'), ids[3]!, '2031-01-01T00:00:00.000Z'), undefined);
    const now = new Date('2030-06-01T00:00:00.000Z');
    const due = (await repo.dueAcrossTenants(now, 100)).filter((doc) => ids.includes(doc.integrationId));
    expect(due.map((doc) => doc.integrationId)).toEqual(ids.slice(0, 3));
    expect(await repo.dueAcrossTenants(now, 2)).toHaveLength(2);
  });
});
