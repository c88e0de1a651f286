/**
 * The credential service: stores and reads credentials by (tenant, integration, name) in a secret store.
 * API-facing calls return metadata only (type, status, expiry, dates, version). Secret material leaves this
 * module only through `read` (for the auth providers and the refresh engine) and `webhookSecrets` (verifiers).
 * Reads are cached briefly because verifiers and adapters ask on every request.
 */
import { AppError } from '../core/app-error';
import {
  metadataFromListItem,
  metadataOf,
  parseStored,
  secretNameOf,
  SECRET_PREFIX,
  tagsOf,
  withDerivedFields,
  CONTENT_TYPE,
} from './credential-doc';
import { expiryFindings, DEFAULT_EXPIRY_POLICY, type ExpiryFinding, type ExpiryPolicy } from './expiry-policy';
import { registerCredentialSecrets } from './known-secrets';
import { silentLogger, type CredentialLogger } from './logger';
import type { SecretStore } from './secret-store';
import {
  credentialRefSchema,
  credentialSchema,
  refKey,
  type Credential,
  type CredentialInput,
  type CredentialMetadata,
  type CredentialRef,
  type StoredCredential,
} from './types';

export interface CredentialServiceOptions {
  store: SecretStore;
  logger?: CredentialLogger;
  clock?: () => Date;
  /** How long a read is served from memory (0 disables). Writes through this instance refresh it at once. */
  cacheTtlMs?: number;
  policy?: ExpiryPolicy;
}

export interface CredentialRead {
  doc: StoredCredential;
  version: string;
}

export function parseRef(ref: CredentialRef): CredentialRef {
  const parsed = credentialRefSchema.safeParse(ref);
  if (!parsed.success)
    throw new AppError(
      'validation',
      `invalid credential reference: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`,
      { target: 'ref' },
    );
  return parsed.data;
}

export function parseCredential(input: CredentialInput): Credential {
  const parsed = credentialSchema.safeParse(input);
  // Paths and zod's messages only; never the offending value, which may be a secret.
  if (!parsed.success)
    throw new AppError(
      'validation',
      `invalid credential: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'credential'} ${i.message}`).join('; ')}`,
      { target: 'credential' },
    );
  return withDerivedFields(parsed.data);
}

export class CredentialService {
  readonly store: SecretStore;
  private readonly logger: CredentialLogger;
  private readonly clock: () => Date;
  private readonly cacheTtlMs: number;
  private readonly policy: ExpiryPolicy;
  private readonly cache = new Map<string, { read: CredentialRead | undefined; until: number }>();

  constructor(options: CredentialServiceOptions) {
    this.store = options.store;
    this.logger = options.logger ?? silentLogger;
    this.clock = options.clock ?? (() => new Date());
    this.cacheTtlMs = options.cacheTtlMs ?? 30_000;
    this.policy = options.policy ?? DEFAULT_EXPIRY_POLICY;
  }

  /** Stores new secret material (a connect or a manual rotation): status active, rotatedAt now. */
  async put(
    ref: CredentialRef,
    input: CredentialInput,
    options: { signal?: AbortSignal } = {},
  ): Promise<CredentialMetadata> {
    const checkedRef = parseRef(ref);
    const credential = parseCredential(input);
    const existing = await this.read(checkedRef, { fresh: true, signal: options.signal });
    const now = this.clock().toISOString();
    const doc: StoredCredential = {
      schemaVersion: 1,
      ref: checkedRef,
      credential,
      status: 'active',
      createdAt: existing?.doc.createdAt ?? now,
      rotatedAt: now,
      updatedAt: now,
    };
    const metadata = await this.write(doc, options);
    this.logger.info('credential stored', {
      credential: refKey(checkedRef),
      type: credential.type,
      version: metadata.version,
    });
    return metadata;
  }

  /** Writes a whole document as a new version (refresh engine, status changes). */
  async write(doc: StoredCredential, options: { signal?: AbortSignal } = {}): Promise<CredentialMetadata> {
    const name = secretNameOf(doc.ref);
    // Known before it is stored: a failed write's error must not carry a value the logger cannot recognise.
    registerCredentialSecrets(doc.credential);
    const written = await this.store.set(name, JSON.stringify(doc), {
      contentType: CONTENT_TYPE,
      tags: tagsOf(doc),
      signal: options.signal,
    });
    const read = { doc, version: written.version };
    if (this.cacheTtlMs > 0) this.cache.set(name, { read, until: Date.now() + this.cacheTtlMs });
    return metadataOf(doc, written.version, this.clock());
  }

  /** The stored document with secret material. For auth providers and the refresh engine only. */
  async read(
    ref: CredentialRef,
    options: { fresh?: boolean; signal?: AbortSignal } = {},
  ): Promise<CredentialRead | undefined> {
    const name = secretNameOf(ref);
    const cached = this.cache.get(name);
    if (!options.fresh && cached && cached.until > Date.now()) return cached.read;
    const secret = await this.store.get(name, { signal: options.signal });
    const read = secret ? { doc: parseStored(secret.value, ref), version: secret.version } : undefined;
    if (read) registerCredentialSecrets(read.doc.credential);
    if (this.cacheTtlMs > 0) this.cache.set(name, { read, until: Date.now() + this.cacheTtlMs });
    return read;
  }

  async require(ref: CredentialRef, options: { fresh?: boolean; signal?: AbortSignal } = {}): Promise<CredentialRead> {
    const read = await this.read(ref, options);
    if (!read) throw new AppError('not_found', `credential ${refKey(ref)} does not exist`, { target: 'credential' });
    return read;
  }

  async metadata(ref: CredentialRef, options: { signal?: AbortSignal } = {}): Promise<CredentialMetadata | undefined> {
    const read = await this.read(parseRef(ref), { fresh: true, signal: options.signal });
    return read ? metadataOf(read.doc, read.version, this.clock()) : undefined;
  }

  /** Metadata of every credential (from tags: no secret is read), optionally for one tenant or integration. */
  async list(
    filter: { tenantId?: string; integrationId?: string; signal?: AbortSignal } = {},
  ): Promise<CredentialMetadata[]> {
    const now = this.clock();
    const items = await this.store.list({ prefix: SECRET_PREFIX, signal: filter.signal });
    return items
      .map((item) => metadataFromListItem(item, now))
      .filter((m): m is CredentialMetadata => m !== undefined)
      .filter(
        (m) =>
          (!filter.tenantId || m.ref.tenantId === filter.tenantId) &&
          (!filter.integrationId || m.ref.integrationId === filter.integrationId),
      );
  }

  async delete(ref: CredentialRef, options: { signal?: AbortSignal } = {}): Promise<boolean> {
    const name = secretNameOf(parseRef(ref));
    this.cache.delete(name);
    const deleted = await this.store.delete(name, options);
    if (deleted) this.logger.info('credential deleted', { credential: refKey(ref) });
    return deleted;
  }

  async markNeedsReauth(
    ref: CredentialRef,
    reason: string,
    options: { signal?: AbortSignal } = {},
  ): Promise<CredentialMetadata | undefined> {
    const read = await this.read(ref, { fresh: true, signal: options.signal });
    if (!read) return undefined;
    const doc: StoredCredential = {
      ...read.doc,
      status: 'needs_reauth',
      statusReason: reason,
      updatedAt: this.clock().toISOString(),
    };
    this.logger.warn('credential needs re-authorisation', {
      credential: refKey(ref),
      type: doc.credential.type,
      reason,
    });
    return this.write(doc, options);
  }

  /**
   * Rotates a webhook signing secret. The secret it replaces stays valid for overlapMs so deliveries
   * signed with it in flight still verify.
   */
  async setWebhookSecret(
    ref: CredentialRef,
    secret: string,
    overlapMs: number,
    options: { signal?: AbortSignal } = {},
  ): Promise<CredentialMetadata> {
    if (!Number.isFinite(overlapMs) || overlapMs < 0)
      throw new AppError('validation', 'overlapMs must be zero or more', { target: 'overlapMs' });
    const checkedRef = parseRef(ref);
    const existing = await this.read(checkedRef, { fresh: true, signal: options.signal });
    if (existing && existing.doc.credential.type !== 'webhook_secret') {
      throw new AppError(
        'conflict',
        `credential ${refKey(checkedRef)} is a ${existing.doc.credential.type}, not a webhook_secret`,
        { target: 'credential' },
      );
    }
    const previous = existing?.doc.credential.type === 'webhook_secret' ? existing.doc.credential.secret : undefined;
    const keepPrevious = previous !== undefined && previous !== secret && overlapMs > 0;
    const input: CredentialInput = {
      type: 'webhook_secret',
      secret,
      ...(keepPrevious
        ? { previousSecret: previous, previousValidUntil: new Date(this.clock().getTime() + overlapMs).toISOString() }
        : {}),
    };
    return this.put(checkedRef, input, options);
  }

  /**
   * The secrets a verifier accepts now: the current one, then the previous one inside its overlap window.
   * `fresh` skips the in-memory copy (a verifier that failed with it checks for a rotation made elsewhere).
   */
  async webhookSecrets(ref: CredentialRef, options: { fresh?: boolean; signal?: AbortSignal } = {}): Promise<string[]> {
    const read = await this.read(ref, options);
    if (!read) return [];
    const credential = read.doc.credential;
    if (credential.type !== 'webhook_secret')
      throw new AppError('conflict', `credential ${refKey(ref)} is not a webhook_secret`, { target: 'credential' });
    const secrets = [credential.secret];
    if (
      credential.previousSecret &&
      credential.previousValidUntil &&
      Date.parse(credential.previousValidUntil) > this.clock().getTime()
    ) {
      secrets.push(credential.previousSecret);
    }
    return secrets;
  }

  /** Credentials near expiry, expired, older than policy or waiting for a person to reconnect. */
  async expiryReport(now: Date = this.clock(), options: { signal?: AbortSignal } = {}): Promise<ExpiryFinding[]> {
    return expiryFindings(await this.list({ signal: options.signal }), now, this.policy);
  }
}
