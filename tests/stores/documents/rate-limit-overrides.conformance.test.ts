/** The rate limiter's durable overrides, held by the Cosmos and the memory implementation alike. */
import type { LimitOverride } from '../../../shared/ratelimit/overrides';
import { eachDocumentStore, uniqueId } from './harness';

const override = (limit: number): LimitOverride => ({ tenant: { kind: 'rate', limit, windowMs: 1000 } });

eachDocumentStore((store) => {
  it('keeps one override per scope, lists them all, and removes one', async () => {
    const tenantId = uniqueId('t');
    const documents = store().rateLimitOverrides;
    expect(await documents.get({ tenantId })).toBeUndefined();
    await documents.put({ tenantId }, override(1));
    await documents.put({ tenantId }, override(2));
    await documents.put({ tenantId, integrationId: 'i-1' }, override(3));
    expect(await documents.get({ tenantId })).toEqual(override(2));
    expect(await documents.get({ tenantId, integrationId: 'i-1' })).toEqual(override(3));
    const mine = (await documents.all()).filter((entry) => entry.scope.tenantId === tenantId);
    expect(mine).toEqual(
      expect.arrayContaining([
        { scope: { tenantId }, override: override(2) },
        { scope: { tenantId, integrationId: 'i-1' }, override: override(3) },
      ]),
    );
    expect(mine).toHaveLength(2);
    await documents.remove({ tenantId, integrationId: 'i-1' });
    await documents.remove({ tenantId, integrationId: 'i-1' });
    expect(await documents.get({ tenantId, integrationId: 'i-1' })).toBeUndefined();
  });
});
