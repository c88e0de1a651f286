/** The notifications repository's promises, held by the Cosmos and the memory implementation alike. */
import type { ChannelDoc, DeliveryDoc, RuleDoc } from '../../../shared/notifications/types';
import { eachDocumentStore, uniqueId } from './harness';

const channel = (tenantId: string, id: string, digest?: ChannelDoc['digest']): ChannelDoc => ({
  id,
  tenantId,
  kind: 'channel',
  type: 'slack_webhook',
  name: id,
  ...(digest ? { digest } : {}),
  createdAt: '2026-03-01T00:00:00.000Z',
  updatedAt: '2026-03-01T00:00:00.000Z',
});

const rule = (tenantId: string, id: string): RuleDoc => ({
  id,
  tenantId,
  kind: 'rule',
  name: id,
  enabled: true,
  eventTypes: ['*'],
  minSeverity: 'warning',
  channelIds: ['c'],
  createdAt: '2026-03-01T00:00:00.000Z',
  updatedAt: '2026-03-01T00:00:00.000Z',
});

const delivery = (tenantId: string, id: string, status: DeliveryDoc['status'], createdAt: string): DeliveryDoc => ({
  id,
  tenantId,
  kind: 'delivery',
  channelId: 'c',
  purpose: 'alert',
  status,
  attempts: 1,
  message: { title: 't', severity: 'warning', text: 'x', facts: [] },
  createdAt,
  ttl: 3600,
});

eachDocumentStore((store) => {
  it('reads a document of the asked kind within its tenant only, without store fields', async () => {
    const tenant = uniqueId('t');
    const written = await store().notifications.upsert(channel(tenant, 'ch-1'));
    expect(written).toEqual(channel(tenant, 'ch-1'));
    expect(await store().notifications.get(tenant, 'channel', 'ch-1')).toEqual(channel(tenant, 'ch-1'));
    expect(await store().notifications.get(tenant, 'rule', 'ch-1')).toBeUndefined();
    expect(await store().notifications.get(uniqueId('t'), 'channel', 'ch-1')).toBeUndefined();
  });

  it('deletes only a document of the named kind', async () => {
    const tenant = uniqueId('t');
    await store().notifications.upsert(rule(tenant, 'r-1'));
    expect(await store().notifications.delete(tenant, 'channel', 'r-1')).toBe(false);
    expect(await store().notifications.delete(tenant, 'rule', 'r-1')).toBe(true);
    expect(await store().notifications.delete(tenant, 'rule', 'r-1')).toBe(false);
  });

  it("lists a tenant's channels, rules and deliveries (newest first, filtered, bounded)", async () => {
    const tenant = uniqueId('t');
    await store().notifications.upsert(channel(tenant, 'c-1'));
    await store().notifications.upsert(rule(tenant, 'r-1'));
    await store().notifications.upsert(delivery(tenant, 'd-1', 'sent', '2026-03-01T01:00:00.000Z'));
    await store().notifications.upsert(delivery(tenant, 'd-2', 'held', '2026-03-01T02:00:00.000Z'));
    await store().notifications.upsert(delivery(tenant, 'd-3', 'held', '2026-03-01T03:00:00.000Z'));
    await store().notifications.upsert(delivery(uniqueId('t'), 'd-4', 'held', '2026-03-01T03:00:00.000Z'));
    expect((await store().notifications.listChannels(tenant)).map((doc) => doc.id)).toEqual(['c-1']);
    expect((await store().notifications.listRules(tenant)).map((doc) => doc.id)).toEqual(['r-1']);
    const ids = async (filter?: Parameters<ReturnType<typeof store>['notifications']['listDeliveries']>[1]) =>
      (await store().notifications.listDeliveries(tenant, filter)).map((doc) => doc.id);
    expect(await ids()).toEqual(['d-3', 'd-2', 'd-1']);
    expect(await ids({ status: 'held' })).toEqual(['d-3', 'd-2']);
    expect(await ids({ since: '2026-03-01T02:00:00.000Z' })).toEqual(['d-3', 'd-2']);
    expect(await ids({ limit: 1 })).toEqual(['d-3']);
  });

  it('lists the channels that asked for a digest across tenants', async () => {
    const [a, b] = [uniqueId('t'), uniqueId('t')];
    await store().notifications.upsert(channel(a, 'dig-a', { frequency: 'hourly', hourUtc: 8 }));
    await store().notifications.upsert(channel(b, 'dig-b', { frequency: 'daily', hourUtc: 9 }));
    await store().notifications.upsert(channel(a, 'plain'));
    const found = (await store().notifications.digestChannels()).filter(
      (doc) => doc.tenantId === a || doc.tenantId === b,
    );
    expect(found.map((doc) => doc.id).sort()).toEqual(['dig-a', 'dig-b']);
    expect(await store().notifications.digestChannels(1)).toHaveLength(1);
  });
});
