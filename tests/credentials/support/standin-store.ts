/** A KeyVaultSecretStore wired to the stand-in: trusts its certificate and uses a fixed test token. */
import { Agent } from 'node:https';
import type { AccessToken, TokenCredential } from '@azure/identity';
import { KeyVaultSecretStore } from '../../../shared/credentials/keyvault-store';
import { STANDIN_TOKEN } from './keyvault-standin';

export const testCredential: TokenCredential = {
  async getToken(): Promise<AccessToken> {
    return { token: STANDIN_TOKEN, expiresOnTimestamp: Date.now() + 3_600_000 };
  },
};

export function standInStore(url: string, caPem: string): KeyVaultSecretStore {
  return new KeyVaultSecretStore({
    vaultUrl: url,
    credential: testCredential,
    recoverPollIntervalMs: 20,
    clientOptions: {
      disableChallengeResourceVerification: true,
      agent: new Agent({ ca: caPem, keepAlive: true, maxSockets: 64 }),
      retryOptions: { maxRetries: 2, retryDelayInMs: 50, maxRetryDelayInMs: 500 },
    },
  });
}
