/** The wiring helper: local store from settings-like options, in-process single-flight, adapters get headers. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCredentials, createSecretStore } from '../../shared/credentials';
import { oauthCredential } from './support/fixtures';
import { startTokenServer } from './support/token-server';

it('createCredentials wires store, service, refresher and auth providers', async () => {
  const server = await startTokenServer({ rotate: true });
  try {
    const credentials = createCredentials({
      store: await createSecretStore({ localDataDir: mkdtempSync(join(tmpdir(), 'wire-')) }),
    });
    expect(credentials.store.kind).toBe('local_file');
    const ref = { tenantId: 't', integrationId: 'i', name: 'github' };
    await credentials.service.put(ref, oauthCredential(server, 'wire', 60_000));
    const due = await credentials.refresher.refreshDue({ marginMs: 300_000 });
    expect(due.outcomes).toMatchObject([{ outcome: 'refreshed', by: 'self' }]);
    expect(await credentials.authProvider(ref).headers()).toEqual({
      authorization: `Bearer ${server.issued.get('wire')![0]}`,
    });
  } finally {
    await server.stop();
  }
});
