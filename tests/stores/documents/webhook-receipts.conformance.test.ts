/** The webhook receipts repository's promises, held by the Cosmos and the memory implementation alike. */
import type { DeliveryReceipt } from '../../../shared/webhooks/intake/receipt-types';
import { eachDocumentStore, uniqueId } from './harness';

const receipt = (integrationId: string, id: string, receivedAt: string, tenantId = 't'): DeliveryReceipt => ({
  id,
  integrationId,
  tenantId,
  provider: 'github',
  deliveryId: `d-${id}`,
  verdict: 'accepted',
  receivedAt,
  handlingMs: 3,
});

eachDocumentStore((store) => {
  it('writes receipts in bulk with one outcome each, and reads them back by id', async () => {
    const integration = uniqueId('i');
    const receipts = Array.from({ length: 130 }, (_, i) =>
      receipt(integration, `r-${i}`, `2026-03-01T00:00:${String(i % 60).padStart(2, '0')}.000Z`),
    );
    const outcomes = await store().webhookReceipts.upsertMany(receipts);
    expect(outcomes).toHaveLength(130);
    expect(outcomes.every((outcome) => outcome.ok)).toBe(true);
    expect(await store().webhookReceipts.get(integration, 'r-129')).toMatchObject({ id: 'r-129', verdict: 'accepted' });
    expect(await store().webhookReceipts.get(uniqueId('i'), 'r-1')).toBeUndefined();
    await store().webhookReceipts.save({
      ...receipt(integration, 'r-1', '2026-03-01T00:00:01.000Z'),
      verdict: 'rejected',
    });
    expect((await store().webhookReceipts.get(integration, 'r-1'))?.verdict).toBe('rejected');
  });

  it("lists an integration's receipts of the tenant in a time range, oldest first, bounded", async () => {
    const integration = uniqueId('i');
    await store().webhookReceipts.upsertMany([
      receipt(integration, 'b', '2026-03-02T00:00:00.000Z'),
      receipt(integration, 'a', '2026-03-01T00:00:00.000Z'),
      receipt(integration, 'c', '2026-03-03T00:00:00.000Z'),
      receipt(integration, 'x', '2026-03-02T00:00:00.000Z', 'other-tenant'),
    ]);
    const ids = async (range: { from?: string; to?: string }, limit = 100) =>
      (await store().webhookReceipts.list('t', integration, range, limit)).map((found) => found.id);
    expect(await ids({})).toEqual(['a', 'b', 'c']);
    expect(await ids({ from: '2026-03-02T00:00:00.000Z' })).toEqual(['b', 'c']);
    expect(await ids({ to: '2026-03-02T00:00:00.000Z' })).toEqual(['a', 'b']);
    expect(await ids({}, 2)).toEqual(['a', 'b']);
  });

  it('adds duplicate counts, skipping receipts that do not exist', async () => {
    const integration = uniqueId('i');
    await store().webhookReceipts.upsertMany([receipt(integration, 'dup', '2026-03-01T00:00:00.000Z')]);
    const errors = await store().webhookReceipts.addDuplicates([
      { integrationId: integration, id: 'dup', copies: 2 },
      { integrationId: integration, id: 'missing', copies: 1 },
    ]);
    expect(errors).toEqual([undefined, undefined]);
    await store().webhookReceipts.addDuplicates([{ integrationId: integration, id: 'dup', copies: 3 }]);
    expect((await store().webhookReceipts.get(integration, 'dup'))?.duplicates).toBe(5);
    expect(await store().webhookReceipts.get(integration, 'missing')).toBeUndefined();
  });

  it('filters a list by verdict and event type, and lists newest first on request', async () => {
    const integration = uniqueId('i');
    await store().webhookReceipts.upsertMany([
      { ...receipt(integration, 'a', '2026-03-01T00:00:00.000Z'), eventType: 'issues' },
      { ...receipt(integration, 'b', '2026-03-02T00:00:00.000Z'), eventType: 'issue_comment' },
      { ...receipt(integration, 'c', '2026-03-03T00:00:00.000Z'), verdict: 'rejected', reason: 'bad_signature' },
      { ...receipt(integration, 'd', '2026-03-04T00:00:00.000Z'), eventType: 'issues' },
    ]);
    const ids = async (filter: Parameters<ReturnType<typeof store>['webhookReceipts']['list']>[2], limit = 100) =>
      (await store().webhookReceipts.list('t', integration, filter, limit)).map((found) => found.id);
    expect(await ids({ verdict: 'accepted' })).toEqual(['a', 'b', 'd']);
    expect(await ids({ verdict: 'rejected' })).toEqual(['c']);
    expect(await ids({ eventType: 'issues' })).toEqual(['a', 'd']);
    expect(await ids({ eventType: 'issues', newestFirst: true })).toEqual(['d', 'a']);
    expect(await ids({ newestFirst: true }, 2)).toEqual(['d', 'c']);
  });

  it("answers a chart's rows of the tenant's receipts in [from, to), across integrations or for one", async () => {
    const tenant = uniqueId('t');
    const first = uniqueId('i');
    const second = uniqueId('i');
    await store().webhookReceipts.upsertMany([
      { ...receipt(first, 'a', '2026-03-01T00:00:00.000Z', tenant), duplicates: 2 },
      { ...receipt(first, 'b', '2026-03-01T12:00:00.000Z', tenant), verdict: 'rejected', reason: 'stale_timestamp' },
      receipt(second, 'c', '2026-03-01T23:59:59.999Z', tenant),
      receipt(second, 'd', '2026-03-02T00:00:00.000Z', tenant),
      receipt(first, 'x', '2026-03-01T06:00:00.000Z', 'another-tenant'),
    ]);
    const range = { from: '2026-03-01T00:00:00.000Z', to: '2026-03-02T00:00:00.000Z' };
    const all = await store().webhookReceipts.statsBetween(tenant, range, 100);
    expect(all.truncated).toBe(false);
    expect([...all.rows].sort((x, y) => x.receivedAt.localeCompare(y.receivedAt))).toEqual([
      { receivedAt: '2026-03-01T00:00:00.000Z', verdict: 'accepted', handlingMs: 3, duplicates: 2 },
      { receivedAt: '2026-03-01T12:00:00.000Z', verdict: 'rejected', handlingMs: 3, reason: 'stale_timestamp' },
      { receivedAt: '2026-03-01T23:59:59.999Z', verdict: 'accepted', handlingMs: 3 },
    ]);
    const one = await store().webhookReceipts.statsBetween(tenant, { ...range, integrationId: second }, 100);
    expect(one.rows.map((row) => row.receivedAt)).toEqual(['2026-03-01T23:59:59.999Z']);
    const bounded = await store().webhookReceipts.statsBetween(tenant, range, 2);
    expect(bounded).toMatchObject({ truncated: true, rows: [expect.anything(), expect.anything()] });
  });
});
