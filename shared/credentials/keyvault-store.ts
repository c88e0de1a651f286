/**
 * Key Vault adapter of the secret store port, through the real `SecretClient`. One secret per credential,
 * JSON value with a content type, non-secret tags; every set is a new version. SDK errors become AppErrors here.
 *
 * Soft delete: a deleted secret keeps its name until purged. Setting a name that is "deleted but recoverable"
 * answers 409; we then recover the deleted secret (needs the secrets/recover permission) and write the new
 * version on top, so history is kept and no purge permission is needed. We never purge automatically:
 * production vaults run with purge protection.
 */
import type { TokenCredential } from '@azure/identity';
import { SecretClient, type SecretClientOptions, type SecretProperties } from '@azure/keyvault-secrets';
import { AppError } from '../core/app-error';
import {
  assertSecretName,
  assertTags,
  type SecretListItem,
  type SecretMetadata,
  type SecretStore,
  type SetSecretOptions,
  type StoredSecret,
} from './secret-store';

export interface KeyVaultSecretStoreOptions {
  vaultUrl: string;
  /** Production: DefaultAzureCredential (with managedIdentityClientId when a user-assigned identity is used). */
  credential: TokenCredential;
  /** Passed through to SecretClient (tests: a TLS agent trusting the stand-in, challenge verification off). */
  clientOptions?: SecretClientOptions;
  /** How often to poll a recover operation, and for how long. */
  recoverPollIntervalMs?: number;
  recoverTimeoutMs?: number;
}

interface RestLikeError {
  statusCode?: number;
  code?: string;
  message?: string;
  response?: { headers?: { get(name: string): string | undefined } };
}

function statusOf(error: unknown): number | undefined {
  return typeof error === 'object' && error !== null ? (error as RestLikeError).statusCode : undefined;
}

/** Translate an SDK error; the message keeps the operation and status only (never a request body). */
export function keyVaultError(operation: string, error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof Error && error.name === 'AbortError')
    return new AppError('transient', `key vault ${operation} aborted`, { cause: error });
  const status = statusOf(error);
  const code = typeof error === 'object' && error !== null ? (error as RestLikeError).code : undefined;
  const detail = `key vault ${operation} failed${status ? ` with HTTP ${status}` : ''}${code ? ` (${code})` : ''}`;
  if (status === 429) {
    const retryAfter = Number((error as RestLikeError).response?.headers?.get('retry-after'));
    return new AppError('rate_limited', detail, {
      cause: error,
      retryAfterMs: Number.isFinite(retryAfter) ? retryAfter * 1000 : undefined,
    });
  }
  if (status === 401 || status === 403)
    return new AppError('configuration', `${detail}: check the app identity's Key Vault role`, {
      cause: error,
      httpStatus: 500,
    });
  if (status === 404) return new AppError('not_found', detail, { cause: error });
  if (status === 409) return new AppError('conflict', detail, { cause: error });
  if (status === 400) return new AppError('validation', detail, { cause: error });
  return new AppError('dependency_unavailable', detail, { cause: error });
}

function toMetadata(properties: SecretProperties): SecretListItem {
  const created = properties.createdOn?.toISOString() ?? new Date(0).toISOString();
  return {
    name: properties.name,
    version: properties.version || undefined,
    contentType: properties.contentType,
    tags: { ...(properties.tags ?? {}) },
    createdAt: created,
    updatedAt: properties.updatedOn?.toISOString() ?? created,
  };
}

export class KeyVaultSecretStore implements SecretStore {
  readonly kind = 'key_vault' as const;
  private readonly client: SecretClient;

  constructor(private readonly options: KeyVaultSecretStoreOptions) {
    this.client = new SecretClient(options.vaultUrl, options.credential, options.clientOptions);
  }

  async get(name: string, options: { version?: string; signal?: AbortSignal } = {}): Promise<StoredSecret | undefined> {
    assertSecretName(name);
    try {
      const secret = await this.client.getSecret(name, { version: options.version, abortSignal: options.signal });
      const metadata = toMetadata(secret.properties);
      return { ...metadata, version: metadata.version ?? '', value: secret.value ?? '' };
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw keyVaultError('get', error);
    }
  }

  async set(name: string, value: string, options: SetSecretOptions = {}): Promise<SecretMetadata> {
    assertSecretName(name);
    const tags = options.tags ?? {};
    assertTags(tags);
    const write = async (): Promise<SecretMetadata> => {
      const secret = await this.client.setSecret(name, value, {
        contentType: options.contentType,
        tags,
        abortSignal: options.signal,
      });
      const metadata = toMetadata(secret.properties);
      return { ...metadata, version: metadata.version ?? '' };
    };
    try {
      return await write();
    } catch (error) {
      if (statusOf(error) !== 409) throw keyVaultError('set', error);
    }
    // 409 on set: the name is deleted but recoverable. Recover, then write the new version.
    await this.recover(name, options.signal);
    try {
      return await write();
    } catch (error) {
      throw keyVaultError('set', error);
    }
  }

  private async recover(name: string, signal?: AbortSignal): Promise<void> {
    try {
      const poller = await this.client.beginRecoverDeletedSecret(name, {
        abortSignal: signal,
        intervalInMs: this.options.recoverPollIntervalMs ?? 1000,
      });
      const deadline = Date.now() + (this.options.recoverTimeoutMs ?? 60_000);
      while (!poller.isDone()) {
        if (Date.now() > deadline)
          throw new AppError('transient', 'key vault recover of a deleted secret did not finish in time', {
            target: name,
          });
        await new Promise((resolve) => setTimeout(resolve, this.options.recoverPollIntervalMs ?? 1000));
        await poller.poll({ abortSignal: signal });
      }
    } catch (error) {
      throw keyVaultError('recover', error);
    }
  }

  async delete(name: string, options: { signal?: AbortSignal } = {}): Promise<boolean> {
    assertSecretName(name);
    try {
      // The first poll sends DELETE; we do not wait for the deleted state to settle.
      await this.client.beginDeleteSecret(name, { abortSignal: options.signal });
      return true;
    } catch (error) {
      if (statusOf(error) === 404) return false;
      throw keyVaultError('delete', error);
    }
  }

  async list(options: { prefix?: string; signal?: AbortSignal } = {}): Promise<SecretListItem[]> {
    const result: SecretListItem[] = [];
    try {
      for await (const properties of this.client.listPropertiesOfSecrets({ abortSignal: options.signal })) {
        if (properties.enabled === false) continue;
        if (options.prefix && !properties.name.startsWith(options.prefix)) continue;
        result.push(toMetadata(properties));
      }
    } catch (error) {
      throw keyVaultError('list', error);
    }
    return result;
  }
}
