/**
 * Expiry and rotation policy: per credential type, where its own expiry lives, a maximum age of the secret
 * material, and the warning schedule (30, 7, 1 days before expiry). `expiryReport` turns a list of metadata
 * into plain findings the admin API shows and the app turns into events.
 */
import type { Credential, CredentialMetadata, CredentialRef, CredentialType } from './types';

const DAY_MS = 86_400_000;

export interface TypePolicy {
  /** Older secret material (since rotatedAt) is reported as due for rotation; undefined = no limit. */
  maxAgeMs?: number;
  /** Warn when expiry is this close; most urgent first wins. */
  warnBeforeMs: readonly number[];
}

export type ExpiryPolicy = Record<CredentialType, TypePolicy>;

export const DEFAULT_WARNINGS_MS = [30 * DAY_MS, 7 * DAY_MS, 1 * DAY_MS] as const;

/** Defaults follow common provider limits (GitHub refresh tokens 6 months, Entra client secrets 2 years,
 *  public TLS certificates 398 days); operators can pass their own. */
export const DEFAULT_EXPIRY_POLICY: ExpiryPolicy = {
  oauth2_authorization_code: { warnBeforeMs: DEFAULT_WARNINGS_MS },
  oauth2_client_credentials: { maxAgeMs: 730 * DAY_MS, warnBeforeMs: DEFAULT_WARNINGS_MS },
  jwt_bearer: { maxAgeMs: 365 * DAY_MS, warnBeforeMs: DEFAULT_WARNINGS_MS },
  api_key: { maxAgeMs: 365 * DAY_MS, warnBeforeMs: DEFAULT_WARNINGS_MS },
  bearer_token: { maxAgeMs: 365 * DAY_MS, warnBeforeMs: DEFAULT_WARNINGS_MS },
  basic_auth: { maxAgeMs: 365 * DAY_MS, warnBeforeMs: DEFAULT_WARNINGS_MS },
  webhook_secret: { maxAgeMs: 365 * DAY_MS, warnBeforeMs: DEFAULT_WARNINGS_MS },
  certificate: { maxAgeMs: 398 * DAY_MS, warnBeforeMs: DEFAULT_WARNINGS_MS },
  custom: { warnBeforeMs: DEFAULT_WARNINGS_MS },
};

/** Where each type keeps the expiry of the credential itself (not of a short-lived access token). */
const OWN_EXPIRY: { [T in CredentialType]: (credential: Extract<Credential, { type: T }>) => string | undefined } = {
  oauth2_authorization_code: (c) => c.refreshTokenExpiresAt,
  oauth2_client_credentials: (c) => c.secretExpiresAt,
  jwt_bearer: (c) => c.keyExpiresAt,
  api_key: (c) => c.expiresAt,
  bearer_token: (c) => c.expiresAt,
  basic_auth: () => undefined,
  webhook_secret: () => undefined,
  certificate: (c) => c.expiresAt,
  custom: (c) => c.expiresAt,
};

export function ownExpiryOf(credential: Credential): string | undefined {
  return (OWN_EXPIRY[credential.type] as (c: Credential) => string | undefined)(credential);
}

export type ExpiryFinding =
  | { kind: 'expired'; ref: CredentialRef; type: CredentialType; expiresAt: string }
  | {
      kind: 'expiring';
      ref: CredentialRef;
      type: CredentialType;
      expiresAt: string;
      msLeft: number;
      warningDays: number;
    }
  | { kind: 'too_old'; ref: CredentialRef; type: CredentialType; rotatedAt: string; ageMs: number; maxAgeMs: number }
  | { kind: 'needs_reauth'; ref: CredentialRef; type: CredentialType; reason?: string };

export function expiryFindings(
  items: readonly CredentialMetadata[],
  now: Date,
  policy: ExpiryPolicy = DEFAULT_EXPIRY_POLICY,
): ExpiryFinding[] {
  const findings: ExpiryFinding[] = [];
  for (const item of items) {
    const typePolicy = policy[item.type];
    const base = { ref: item.ref, type: item.type };
    if (item.status === 'needs_reauth') findings.push({ kind: 'needs_reauth', ...base, reason: item.statusReason });
    if (item.expiresAt) {
      const msLeft = Date.parse(item.expiresAt) - now.getTime();
      if (msLeft <= 0) {
        findings.push({ kind: 'expired', ...base, expiresAt: item.expiresAt });
      } else {
        const crossed = [...typePolicy.warnBeforeMs].sort((a, b) => a - b).find((threshold) => msLeft <= threshold);
        if (crossed !== undefined)
          findings.push({
            kind: 'expiring',
            ...base,
            expiresAt: item.expiresAt,
            msLeft,
            warningDays: Math.round(crossed / DAY_MS),
          });
      }
    }
    const ageMs = now.getTime() - Date.parse(item.rotatedAt);
    if (typePolicy.maxAgeMs !== undefined && ageMs > typePolicy.maxAgeMs) {
      findings.push({ kind: 'too_old', ...base, rotatedAt: item.rotatedAt, ageMs, maxAgeMs: typePolicy.maxAgeMs });
    }
  }
  return findings;
}
