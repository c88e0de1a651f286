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
});
