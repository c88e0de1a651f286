/**
 * Picks the secret store from plain options (the app passes values from settings): Key Vault when a vault URL
 * is given, otherwise the encrypted local file under the local data folder.
 */
import { join } from 'node:path';
import type { TokenCredential } from '@azure/core-auth';
import type { SecretClientOptions } from '@azure/keyvault-secrets';
import { managedIdentity } from '../platform/azure/managed-identity';
import { LocalSecretStore } from './local-store';
import type { SecretStore } from './secret-store';

export interface SecretStoreFactoryOptions {
  /** e.g. https://my-vault.vault.azure.net; when set, Key Vault is used. */
  keyVaultUrl?: string;
  /** Client id of a user-assigned managed identity for DefaultAzureCredential. */
  managedIdentityClientId?: string;
  /** Overrides DefaultAzureCredential (tests). */
  credential?: TokenCredential;
  keyVaultClientOptions?: SecretClientOptions;
  /** Local store folder: secrets.enc (and secrets.key when no key is given) live here. */
  localDataDir: string;
  /** 32-byte key, base64, for the local store. */
  localKeyBase64?: string;
}

/** Key Vault's SDK is loaded only when a vault is configured (a local run never needs it). */
export async function createSecretStore(options: SecretStoreFactoryOptions): Promise<SecretStore> {
  if (options.keyVaultUrl) {
    const { KeyVaultSecretStore } = await import('./keyvault-store');
    const credential = options.credential ?? (await managedIdentity(options.managedIdentityClientId));
    return new KeyVaultSecretStore({
      vaultUrl: options.keyVaultUrl,
      credential,
      clientOptions: options.keyVaultClientOptions,
    });
  }
  return new LocalSecretStore({
    filePath: join(options.localDataDir, 'secrets.enc'),
    keyBase64: options.localKeyBase64,
    keyFilePath: options.localKeyBase64 ? undefined : join(options.localDataDir, 'secrets.key'),
  });
}
