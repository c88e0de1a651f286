/**
 * Google's JSON Web Key Set as data: the RSA signing keys a set holds, by `kid`, and the key a token names. Pure:
 * fetching and caching the set is I/O and lives with the receiver (webhooks/intake/google-jwks.ts), which hands
 * the verifier a `SigningKeyLookup`. Built on node:crypto rather than jose because jose 6 is ESM-only and the
 * test runner loads CommonJS.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { isRecord } from '../json';

/**
 * The signing key for a token's `kid` (or the only key when the token names none); undefined when the set has no
 * such key. Rejects when the key set cannot be had (an outage on our side, not a verdict on the sender).
 */
export type SigningKeyLookup = (kid: string | undefined, signal?: AbortSignal) => Promise<KeyObject | undefined>;

const MIN_RSA_MODULUS_BITS = 2048;

/** The usable keys of a JWKS document: RS256 signing keys of at least 2048 bits; anything else is skipped. */
export function importJwks(document: unknown): Map<string, KeyObject> {
  const keys = new Map<string, KeyObject>();
  const list = isRecord(document) && Array.isArray(document.keys) ? document.keys : [];
  list.forEach((jwk: unknown, index) => {
    if (!isRecord(jwk) || jwk.kty !== 'RSA' || (jwk.use !== undefined && jwk.use !== 'sig')) return;
    if ((jwk.alg !== undefined && jwk.alg !== 'RS256') || typeof jwk.n !== 'string' || typeof jwk.e !== 'string')
      return;
    try {
      const key = createPublicKey({ key: { kty: 'RSA', n: jwk.n, e: jwk.e }, format: 'jwk' });
      if ((key.asymmetricKeyDetails?.modulusLength ?? 0) < MIN_RSA_MODULUS_BITS) return;
      keys.set(typeof jwk.kid === 'string' ? jwk.kid : `#${index}`, key);
    } catch {
      // A key we cannot import is skipped; the others stay usable.
    }
  });
  return keys;
}

/** The key a token names, or the only key of the set when it names none. */
export function pickKey(keys: ReadonlyMap<string, KeyObject>, kid: string | undefined): KeyObject | undefined {
  if (kid !== undefined) return keys.get(kid);
  return keys.size === 1 ? keys.values().next().value : undefined;
}
