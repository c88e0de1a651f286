/** Public surface of the credentials library (see docs/credentials.md). */
export * from './types';
export type { SecretStore, SecretMetadata, SecretListItem, StoredSecret, SetSecretOptions } from './secret-store';
export { createSecretStore, type SecretStoreFactoryOptions } from './create-secret-store';
export type { KeyVaultSecretStoreOptions } from './keyvault-store';
export { LocalSecretStore, type LocalSecretStoreOptions } from './local-store';
export {
  CredentialService,
  parseCredential,
  parseRef,
  type CredentialServiceOptions,
  type CredentialRead,
} from './credential-service';
export type { RefreshCoordinator } from '../stores/kv/refresh-coordination';
export { RefreshEngine, type RefreshEngineOptions, type RefreshOutcome, type RefreshDueResult } from './refresh-engine';
export { createAuthProvider, type AuthProviderOptions, type CredentialAuthProvider } from './auth-provider';
export type { TlsMaterial } from './auth-material';
export {
  DEFAULT_EXPIRY_POLICY,
  expiryFindings,
  type ExpiryFinding,
  type ExpiryPolicy,
  type TypePolicy,
} from './expiry-policy';
export { DEFAULT_REFRESH_RETRY, type RetryPolicy, type BackoffStrategy } from './backoff';
export type { CredentialLogger, LogFields } from './logger';
export { createCredentials, type Credentials, type CredentialsOptions } from './create-credentials';
