/** The OAuth state markers' promises, held by the Cosmos and the memory implementation alike. */
import { eachDocumentStore, rejectionCode, uniqueId } from './harness';

eachDocumentStore((store) => {
  it('spends a marker once; a second marker with the same id is refused', async () => {
    const integrationId = uniqueId('i');
    const marker = {
      id: uniqueId('oauth-state'),
      kind: 'oauth-state' as const,
      integrationId,
      tenantId: 't',
      expiresAt: 'x',
    };
    await store().oauthStates.create(marker);
    expect(await rejectionCode(store().oauthStates.create(marker))).toBe('conflict');
    expect(await store().oauthStates.spend(uniqueId('i'), marker.id)).toBe(false);
    expect(await store().oauthStates.spend(integrationId, marker.id)).toBe(true);
    expect(await store().oauthStates.spend(integrationId, marker.id)).toBe(false);
  });
});
