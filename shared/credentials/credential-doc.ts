/**
 * How a credential maps onto the secret store: the secret name (a hash of the reference, so any id alphabet
 * fits Key Vault's name rule), the non-secret tags that make up the metadata index, and parsing of the stored
 * JSON. The tags are what `list` returns: the refresher and the expiry report work from them alone.
 */
import { X509Certificate } from 'node:crypto';
import { sha256Hex } from '../core/sha256';
import { AppError } from '../core/app-error';
import { ownExpiryOf } from './expiry-policy';
import type { SecretListItem } from './secret-store';
import {
  CREDENTIAL_STATUSES,
  CREDENTIAL_TYPES,
  refKey,
  storedCredentialSchema,
  type Credential,
  type CredentialMetadata,
  type CredentialRef,
  type CredentialStatus,
  type CredentialType,
  type StoredCredential,
} from './types';

export const SECRET_PREFIX = 'cred-';
export const CONTENT_TYPE = 'application/vnd.ise.credential+json;v=1';

export function secretNameOf(ref: CredentialRef): string {
  return SECRET_PREFIX + sha256Hex(refKey(ref)).slice(0, 48);
}

/** Fills facts that can be read from the material itself (a PEM certificate's notAfter). */
export function withDerivedFields(credential: Credential): Credential {
  if (credential.type === 'certificate' && credential.material.format === 'pem' && !credential.expiresAt) {
    try {
      const notAfter = new Date(new X509Certificate(credential.material.certificatePem).validTo).toISOString();
      return { ...credential, expiresAt: notAfter };
    } catch (error) {
      throw new AppError('validation', 'certificatePem is not a readable X.509 certificate', {
        target: 'material.certificatePem',
        cause: error,
      });
    }
  }
  return credential;
}

export function accessExpiryOf(credential: Credential): string | undefined {
  return credential.type === 'oauth2_authorization_code' ? credential.expiresAt : undefined;
}

export function tagsOf(doc: StoredCredential): Record<string, string> {
  const tags: Record<string, string> = {
    kind: 'credential',
    tenant: doc.ref.tenantId,
    integration: doc.ref.integrationId,
    credential: doc.ref.name,
    type: doc.credential.type,
    status: doc.status,
    createdAt: doc.createdAt,
    rotatedAt: doc.rotatedAt,
    updatedAt: doc.updatedAt,
  };
  const expiresAt = ownExpiryOf(doc.credential);
  const accessExpiresAt = accessExpiryOf(doc.credential);
  if (expiresAt) tags.expiresAt = expiresAt;
  if (accessExpiresAt) tags.accessExpiresAt = accessExpiresAt;
  if (doc.refreshedAt) tags.refreshedAt = doc.refreshedAt;
  if (doc.statusReason) tags.statusReason = doc.statusReason.slice(0, 200);
  return tags;
}

function effectiveStatus(status: CredentialStatus, expiresAt: string | undefined, now: Date): CredentialStatus {
  return status === 'active' && expiresAt && Date.parse(expiresAt) <= now.getTime() ? 'expired' : status;
}

/** Metadata from a listing's tags; undefined for secrets that are not credentials of this library. */
export function metadataFromListItem(item: SecretListItem, now: Date): CredentialMetadata | undefined {
  const t = item.tags;
  if (t.kind !== 'credential' || !t.tenant || !t.integration || !t.credential || !t.createdAt || !t.rotatedAt)
    return undefined;
  if (!(CREDENTIAL_TYPES as string[]).includes(t.type ?? '')) return undefined;
  const status = (CREDENTIAL_STATUSES as readonly string[]).includes(t.status ?? '')
    ? (t.status as CredentialStatus)
    : 'active';
  return {
    ref: { tenantId: t.tenant, integrationId: t.integration, name: t.credential },
    type: t.type as CredentialType,
    status: effectiveStatus(status, t.expiresAt, now),
    statusReason: t.statusReason,
    expiresAt: t.expiresAt,
    accessExpiresAt: t.accessExpiresAt,
    createdAt: t.createdAt,
    rotatedAt: t.rotatedAt,
    updatedAt: t.updatedAt ?? item.updatedAt,
    refreshedAt: t.refreshedAt,
    version: item.version ?? '',
  };
}

export function metadataOf(doc: StoredCredential, version: string, now: Date): CredentialMetadata {
  const expiresAt = ownExpiryOf(doc.credential);
  return {
    ref: doc.ref,
    type: doc.credential.type,
    status: effectiveStatus(doc.status, expiresAt, now),
    statusReason: doc.statusReason,
    expiresAt,
    accessExpiresAt: accessExpiryOf(doc.credential),
    createdAt: doc.createdAt,
    rotatedAt: doc.rotatedAt,
    updatedAt: doc.updatedAt,
    refreshedAt: doc.refreshedAt,
    version,
  };
}

export function parseStored(value: string, ref: CredentialRef): StoredCredential {
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch (error) {
    throw new AppError('internal', `stored credential ${refKey(ref)} is not JSON`, { cause: error });
  }
  const parsed = storedCredentialSchema.safeParse(json);
  // Issue paths only: zod messages could quote the offending (secret) value.
  if (!parsed.success)
    throw new AppError(
      'internal',
      `stored credential ${refKey(ref)} does not match the schema at ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`,
    );
  return parsed.data;
}
