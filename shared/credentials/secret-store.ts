/**
 * The secret store port: a versioned name → value store with soft delete and non-secret tags.
 * Production: Azure Key Vault (keyvault-store.ts). Local: an AES-256-GCM encrypted file (local-store.ts).
 * Both pass tests/credentials/secret-store.conformance.ts.
 */
import { AppError } from '../core/app-error';

export interface SecretMetadata {
  name: string;
  /** Opaque version id; every set creates a new one. */
  version: string;
  contentType?: string;
  /** Plain, non-secret facts (type, expiry, integration). Never secret material. */
  tags: Record<string, string>;
  createdAt: string;
  updatedAt: string;
}

/** Key Vault's listing does not name the current version, so list items may lack it. */
export type SecretListItem = Omit<SecretMetadata, 'version'> & { version?: string };

export interface StoredSecret extends SecretMetadata {
  value: string;
}

export interface SetSecretOptions {
  contentType?: string;
  tags?: Record<string, string>;
  signal?: AbortSignal;
}

export interface SecretStore {
  readonly kind: 'key_vault' | 'local_file';
  /** The latest version, or a given one; undefined when missing or soft-deleted. */
  get(name: string, options?: { version?: string; signal?: AbortSignal }): Promise<StoredSecret | undefined>;
  /** Writes a new version. A soft-deleted name is recovered first (see docs/credentials.md). */
  set(name: string, value: string, options?: SetSecretOptions): Promise<SecretMetadata>;
  /** Soft delete: the name disappears from get/list; true when something was deleted. */
  delete(name: string, options?: { signal?: AbortSignal }): Promise<boolean>;
  /** Metadata of the latest version of every live secret whose name starts with `prefix`. */
  list(options?: { prefix?: string; signal?: AbortSignal }): Promise<SecretListItem[]>;
  close?(): Promise<void>;
}

/** Key Vault's rule for secret names; the local store keeps the same rule so names port across. */
const SECRET_NAME = /^[0-9A-Za-z-]{1,127}$/;

export function assertSecretName(name: string): void {
  if (!SECRET_NAME.test(name)) {
    throw new AppError('validation', 'secret name must be 1-127 characters of 0-9, a-z, A-Z and "-"', {
      target: 'name',
    });
  }
}

/** Key Vault allows 15 tags, 256 characters each; enforce it locally too. */
export function assertTags(tags: Record<string, string>): void {
  const entries = Object.entries(tags);
  if (entries.length > 15) throw new AppError('validation', 'at most 15 tags per secret', { target: 'tags' });
  for (const [key, value] of entries) {
    if (key.length > 256 || value.length > 256)
      throw new AppError('validation', `tag ${key.slice(0, 40)} is longer than 256 characters`, { target: 'tags' });
  }
}
