/** Local encrypted store specifics: key generation with 0600, encryption at rest, tamper and wrong-key detection, atomic writes. */
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSecretStore } from '../../shared/credentials/create-secret-store';
import { LocalSecretStore } from '../../shared/credentials/local-store';
import { isAppError } from '../../shared/core/app-error';
import { testCredential } from './support/standin-store';

const dir = (): string => mkdtempSync(join(tmpdir(), 'localstore-'));

describe('local encrypted secret store', () => {
  it('generates a 32-byte key into a 0600 key file on first start and reuses it', async () => {
    const d = dir();
    const store = await createSecretStore({ localDataDir: d });
    expect(store.kind).toBe('local_file');
    await store.set('a', 'plain-value-xyz');
    const keyFile = join(d, 'secrets.key');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'base64')).toHaveLength(32);
    expect(statSync(join(d, 'secrets.enc')).mode & 0o777).toBe(0o600);
    expect((await (await createSecretStore({ localDataDir: d })).get('a'))?.value).toBe('plain-value-xyz');
  });

  it('never writes the value in clear text and leaves no temp files', async () => {
    const d = dir();
    const store = await createSecretStore({ localDataDir: d, localKeyBase64: Buffer.alloc(32, 1).toString('base64') });
    await Promise.all(
      Array.from({ length: 10 }, (_, i) => store.set(`s${i}`, `clear-text-marker-${i}`, { tags: { t: 'v' } })),
    );
    expect(readFileSync(join(d, 'secrets.enc'), 'utf8')).not.toContain('clear-text-marker');
    expect(readdirSync(d).sort()).toEqual(['secrets.enc']);
  });

  it('a wrong key or a changed file is refused with a configuration error', async () => {
    const d = dir();
    const filePath = join(d, 'secrets.enc');
    await new LocalSecretStore({ filePath, keyBase64: Buffer.alloc(32, 1).toString('base64') }).set('a', 'v');
    const wrong = await new LocalSecretStore({ filePath, keyBase64: Buffer.alloc(32, 2).toString('base64') })
      .get('a')
      .catch((e: unknown) => e);
    expect(isAppError(wrong) && wrong.code).toBe('configuration');

    const envelope = JSON.parse(readFileSync(filePath, 'utf8')) as { data: string };
    const bytes = Buffer.from(envelope.data, 'base64');
    bytes[0] = bytes[0]! ^ 0xff;
    writeFileSync(filePath, JSON.stringify({ ...envelope, data: bytes.toString('base64') }));
    const tampered = await new LocalSecretStore({ filePath, keyBase64: Buffer.alloc(32, 1).toString('base64') })
      .get('a')
      .catch((e: unknown) => e);
    expect(isAppError(tampered) && tampered.code).toBe('configuration');
  });

  it('rejects a key that is not 32 bytes', async () => {
    const error = await createSecretStore({ localDataDir: dir(), localKeyBase64: Buffer.alloc(16).toString('base64') })
      .then((store) => store.get('a'))
      .catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe('configuration');
  });

  it('the factory picks Key Vault when a vault URL is given', async () => {
    expect(
      (
        await createSecretStore({
          localDataDir: dir(),
          keyVaultUrl: 'https://example.vault.azure.net',
          credential: testCredential,
        })
      ).kind,
    ).toBe('key_vault');
  });
});
