/**
 * Compact JWS (JWT) reading and RS256 signature checking with node:crypto. Only RS256 is accepted, so `none`
 * and HMAC-with-the-public-key confusions cannot verify. Encodings must be canonical base64url.
 */
import { sign as signBytes, verify as verifySignature, type KeyObject } from 'node:crypto';
import { isRecord, type JsonRecord } from '../json';

export interface DecodedJwt {
  header: JsonRecord;
  payload: JsonRecord;
  signingInput: Buffer;
  signature: Buffer;
}

function decodePart(part: string): Buffer | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(part)) return undefined;
  const bytes = Buffer.from(part, 'base64url');
  // Reject non-canonical encodings (unused trailing bits) so one token has one spelling.
  return bytes.toString('base64url') === part ? bytes : undefined;
}

function decodeJson(part: string): JsonRecord | undefined {
  const bytes = decodePart(part);
  if (!bytes) return undefined;
  try {
    const value: unknown = JSON.parse(bytes.toString('utf8'));
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Splits and decodes a compact JWT; undefined when it is not one. Nothing is verified yet. */
export function decodeJwt(token: string): DecodedJwt | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  const header = decodeJson(headerPart);
  const payload = decodeJson(payloadPart);
  const signature = signaturePart.length > 0 ? decodePart(signaturePart) : Buffer.alloc(0);
  if (!header || !payload || !signature) return undefined;
  return { header, payload, signingInput: Buffer.from(`${headerPart}.${payloadPart}`, 'ascii'), signature };
}

export function verifyRs256(jwt: DecodedJwt, key: KeyObject): boolean {
  if (jwt.header.alg !== 'RS256' || jwt.signature.length === 0) return false;
  try {
    return verifySignature('RSA-SHA256', jwt.signingInput, key, jwt.signature);
  } catch {
    return false;
  }
}

/** A compact RS256 JWT (what Google's push tokens are); for sandboxes and tests that play Google. */
export function encodeRs256Jwt(payload: Record<string, unknown>, privateKey: KeyObject, kid: string): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${encode({ alg: 'RS256', kid, typ: 'JWT' })}.${encode(payload)}`;
  return `${input}.${signBytes('RSA-SHA256', Buffer.from(input, 'ascii'), privateKey).toString('base64url')}`;
}
