/**
 * One call that wires the credentials library around a secret store (createSecretStore builds one from
 * settings): the credential service, the refresh engine (single-flight through the coordination it is given:
 * across processes on Redis, built by stores/kv; in-process when none is given) and a factory of AuthProviders
 * for adapters.
 */
import { InProcessRefreshLock } from '../stores/kv/memory/refresh-lock';
import type { RefreshCoordinator } from '../stores/kv/refresh-coordination';
import { createAuthProvider, type CredentialAuthProvider } from './auth-provider';
import { CredentialService } from './credential-service';
import type { ExpiryPolicy } from './expiry-policy';
import type { CredentialLogger } from './logger';
import { RefreshEngine } from './refresh-engine';
import type { SecretStore } from './secret-store';
import type { CredentialRef } from './types';

export interface CredentialsOptions {
  store: SecretStore;
  logger?: CredentialLogger;
  /** The refresh lock shared by every instance; without one, refreshes are single-flight within this process only. */
  coordination?: RefreshCoordinator;
  cacheTtlMs?: number;
  lockTtlMs?: number;
  lockWaitMs?: number;
  requestTimeoutMs?: number;
  refreshConcurrency?: number;
  expirySkewMs?: number;
  policy?: ExpiryPolicy;
}

export interface Credentials {
  store: SecretStore;
  service: CredentialService;
  refresher: RefreshEngine;
  authProvider(ref: CredentialRef): CredentialAuthProvider;
}

export function createCredentials(options: CredentialsOptions): Credentials {
  const { store } = options;
  const service = new CredentialService({
    store,
    logger: options.logger,
    cacheTtlMs: options.cacheTtlMs,
    policy: options.policy,
  });
  const refresher = new RefreshEngine({
    service,
    logger: options.logger,
    coordination: options.coordination ?? new InProcessRefreshLock(),
    lockTtlMs: options.lockTtlMs,
    lockWaitMs: options.lockWaitMs,
    requestTimeoutMs: options.requestTimeoutMs,
    concurrency: options.refreshConcurrency,
  });
  return {
    store,
    service,
    refresher,
    authProvider: (ref) =>
      createAuthProvider(ref, {
        service,
        refresher,
        expirySkewMs: options.expirySkewMs,
        requestTimeoutMs: options.requestTimeoutMs,
      }),
  };
}
