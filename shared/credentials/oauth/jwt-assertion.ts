/**
 * RS256 JWT assertions for the JWT bearer grant (RFC 7523): Salesforce's server-to-server flow and Google
 * service-account keys. Signed with node:crypto; the assertion lives for at most 3 minutes (Salesforce's cap).
 */
import { createPrivateKey, sign } from 'node:crypto';
import { AppError } from '../../core/app-error';
import type { CredentialOf } from '../types';

const b64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url');

export function jwtBearerClaims(credential: CredentialOf<'jwt_bearer'>, now: Date): Record<string, unknown> {
  const iat = Math.floor(now.getTime() / 1000);
  const a = credential.assertion;
  if (a.flow === 'salesforce') return { iss: a.clientId, sub: a.username, aud: a.audience, exp: iat + 180 };
  return {
    iss: a.clientEmail,
    scope: a.scopes.join(' '),
    aud: credential.tokenEndpoint,
    iat,
    exp: iat + 180,
    ...(a.subject ? { sub: a.subject } : {}),
  };
}

export function signJwtAssertion(credential: CredentialOf<'jwt_bearer'>, now: Date): string {
  const kid = credential.assertion.flow === 'google_service_account' ? credential.assertion.privateKeyId : undefined;
  const header = { alg: 'RS256', typ: 'JWT', ...(kid ? { kid } : {}) };
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(jwtBearerClaims(credential, now)))}`;
  let key;
  try {
    key = createPrivateKey(credential.privateKeyPem);
  } catch {
    // No cause: key-parsing errors from OpenSSL can quote parts of the PEM.
    throw new AppError('validation', 'jwt_bearer privateKeyPem is not a readable private key', {
      target: 'privateKeyPem',
    });
  }
  return `${input}.${b64url(sign('sha256', Buffer.from(input), key))}`;
}
