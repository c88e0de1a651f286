/**
 * Per credential type, the request headers an adapter needs, as one small function each. Types whose
 * material is not a static header (OAuth flows) are resolved by auth-provider.ts before they get here.
 */
import { AppError } from '../core/app-error';
import type { Credential, CredentialOf, CredentialType } from './types';

type StaticType = Exclude<CredentialType, 'oauth2_authorization_code' | 'oauth2_client_credentials' | 'jwt_bearer'>;

/** "bearer" from a token endpoint is still sent as "Bearer" (RFC 6750 scheme, case-insensitive). */
export function authorizationHeader(tokenType: string, token: string): Record<string, string> {
  return { authorization: `${tokenType.toLowerCase() === 'bearer' ? 'Bearer' : tokenType} ${token}` };
}

const STATIC_HEADERS: { [T in StaticType]: (c: CredentialOf<T>) => Record<string, string> } = {
  api_key: (c) => ({ [c.headerName.toLowerCase()]: `${c.prefix}${c.key}` }),
  bearer_token: (c) => authorizationHeader('Bearer', c.token),
  basic_auth: (c) => ({
    authorization: `Basic ${Buffer.from(`${c.username}:${c.password}`, 'utf8').toString('base64')}`,
  }),
  webhook_secret: () => {
    throw new AppError('validation', 'a webhook_secret signs and verifies webhooks; it gives no request headers', {
      target: 'credential',
    });
  },
  // Mutual TLS: the material goes into the TLS options (tlsMaterial), not into headers.
  certificate: () => ({}),
  custom: (c) => {
    const headers: Record<string, string> = {};
    for (const [header, key] of Object.entries(c.headers)) {
      const value = c.values[key];
      if (value === undefined)
        throw new AppError('validation', `custom credential maps header ${header} to a missing value key`, {
          target: 'headers',
        });
      headers[header.toLowerCase()] = value;
    }
    return headers;
  },
};

export function staticHeaders(credential: Credential): Record<string, string> {
  const build = STATIC_HEADERS[credential.type as StaticType] as
    ((c: Credential) => Record<string, string>) | undefined;
  if (!build) throw new AppError('internal', `${credential.type} needs a token flow, not static headers`);
  return build(credential);
}

export type TlsMaterial =
  { cert: string; key: string; ca?: string; passphrase?: string } | { pfx: Buffer; passphrase?: string };

export function tlsMaterialOf(credential: CredentialOf<'certificate'>): TlsMaterial {
  const m = credential.material;
  return m.format === 'pem'
    ? {
        cert: m.certificatePem,
        key: m.privateKeyPem,
        ...(m.caPem ? { ca: m.caPem } : {}),
        passphrase: credential.passphrase,
      }
    : { pfx: Buffer.from(m.pfxBase64, 'base64'), passphrase: credential.passphrase };
}
