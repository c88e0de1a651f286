/**
 * A cached JSON Web Key Set fetched over HTTPS: RSA signing keys by `kid`, refreshed after `maxAgeMs`, refetched
 * early (at most once per `cooldownMs`) when a token names an unknown kid, single-flight across callers.
 * Built on node:crypto rather than jose because jose 6 is ESM-only and the test runner loads CommonJS.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { AppError } from '../../../core/app-error';
import { isRecord } from '../json';

export interface JwksOptions {
  timeoutMs: number;
  maxAgeMs: number;
  cooldownMs: number;
  /** A key set is a few KB; anything far larger is not one. */
  maxBytes?: number;
}

const DEFAULT_MAX_BYTES = 256 * 1024;
const MIN_RSA_MODULUS_BITS = 2048;

interface Snapshot {
  keys: Map<string, KeyObject>;
  fetchedAt: number;
}

function importKeys(document: unknown): Map<string, KeyObject> {
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

export class JwksCache {
  private snapshot: Snapshot | undefined;
  private inFlight: Promise<Snapshot> | undefined;

  constructor(
    readonly url: string,
    private readonly options: JwksOptions,
  ) {}

  /** The key for `kid` (or the only key when the token names none); undefined when the set has no such key. */
  async keyFor(kid: string | undefined, signal?: AbortSignal): Promise<KeyObject | undefined> {
    let snapshot = this.snapshot;
    const stale = !snapshot || Date.now() - snapshot.fetchedAt > this.options.maxAgeMs;
    if (!snapshot || stale) snapshot = await this.refresh(signal);
    let key = pick(snapshot.keys, kid);
    if (!key && !stale && Date.now() - snapshot.fetchedAt >= this.options.cooldownMs) {
      // Google may have rotated in a new key since our last fetch.
      key = pick((await this.refresh(signal)).keys, kid);
    }
    return key;
  }

  private refresh(signal?: AbortSignal): Promise<Snapshot> {
    this.inFlight ??= this.fetchKeys(signal)
      .then((snapshot) => (this.snapshot = snapshot))
      .catch((error: unknown) => {
        // A failed refresh keeps serving the last good set rather than locking every sender out.
        if (this.snapshot) return this.snapshot;
        throw error;
      })
      .finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  private async fetchKeys(signal?: AbortSignal): Promise<Snapshot> {
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    let text: string;
    try {
      const response = await fetch(this.url, { signal: combined, headers: { accept: 'application/json' } });
      text = await response.text();
      if (!response.ok)
        throw new AppError('dependency_unavailable', `JWKS answered HTTP ${response.status}`, { target: this.url });
    } catch (error) {
      throw new AppError('dependency_unavailable', 'JWKS could not be fetched', { target: this.url, cause: error });
    }
    if (text.length > (this.options.maxBytes ?? DEFAULT_MAX_BYTES))
      throw new AppError('dependency_unavailable', 'JWKS response too large', { target: this.url });
    let document: unknown;
    try {
      document = JSON.parse(text);
    } catch (error) {
      throw new AppError('dependency_unavailable', 'JWKS response is not JSON', { target: this.url, cause: error });
    }
    return { keys: importKeys(document), fetchedAt: Date.now() };
  }
}

function pick(keys: Map<string, KeyObject>, kid: string | undefined): KeyObject | undefined {
  if (kid !== undefined) return keys.get(kid);
  return keys.size === 1 ? keys.values().next().value : undefined;
}
