/** Runs the SecretStore conformance suite against the local encrypted file and against Key Vault (stand-in). */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSecretStore } from '../../shared/credentials/create-secret-store';
import { secretStoreConformance } from './secret-store.conformance';
import { startKeyVaultStandIn, type KeyVaultStandIn } from './support/keyvault-standin';
import { standInStore } from './support/standin-store';

let standIn: KeyVaultStandIn;

beforeAll(async () => {
  standIn = await startKeyVaultStandIn({ pageSize: 5 });
});
afterAll(async () => {
  await standIn.stop();
});

secretStoreConformance('local encrypted file', async () =>
  createSecretStore({ localDataDir: mkdtempSync(join(tmpdir(), 'secrets-')) }),
);
secretStoreConformance('Key Vault through SecretClient (HTTPS stand-in)', async () =>
  standInStore(standIn.url, standIn.caPem),
);

describe('Key Vault adapter specifics', () => {
  it('went through the bearer challenge and paged listings', async () => {
    expect(standIn.counts.get('PUT /secrets')).toBeGreaterThan(0);
    // 20 parallel writes with page size 5 need several list pages; the conformance test found all 20.
    expect(standIn.counts.get('GET /secrets')).toBeGreaterThan(4);
  });
});
