/**
 * Google's signing keys for Pub/Sub push tokens, fetched over HTTPS and cached: refreshed after `maxAgeMs`,
 * refetched early (at most once per `cooldownMs`) when a token names an unknown kid, single-flight across callers.
 * The verifier (webhooks/verify/google/pubsub-jwt.ts) does no I/O: the receiver hands it a lookup from here.
 */
import type { KeyObject } from 'node:crypto';
import { AppError } from '../../core/app-error';
import { importJwks, pickKey, type SigningKeyLookup } from '../verify/google/jwks';
import { GOOGLE_JWKS_URL } from '../verify/google/pubsub-jwt';
import type { VerifierIo } from '../verify/config';

export const DEFAULT_JWKS_TIMEOUT_MS = 5_000;
// Google rotates its signing keys over days; an hour keeps fetches rare while picking up new keys promptly.
export const DEFAULT_JWKS_CACHE_MAX_AGE_MS = 60 * 60 * 1000;
// An unknown kid triggers a refetch at most this often, so forged kids cannot hammer the JWKS endpoint.
export const DEFAULT_JWKS_COOLDOWN_MS = 30_000;

export interface JwksOptions {
  timeoutMs: number;
  maxAgeMs: number;
  cooldownMs: number;
  /** A key set is a few KB; anything far larger is not one. */
  maxBytes?: number;
}

const DEFAULT_MAX_BYTES = 256 * 1024;

interface Snapshot {
  keys: Map<string, KeyObject>;
  fetchedAt: number;
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
    let key = pickKey(snapshot.keys, kid);
    if (!key && !stale && Date.now() - snapshot.fetchedAt >= this.options.cooldownMs) {
      // Google may have rotated in a new key since our last fetch.
      key = pickKey((await this.refresh(signal)).keys, kid);
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
    return { keys: importJwks(document), fetchedAt: Date.now() };
  }
}

export interface GoogleKeySettings {
  /** Absent: Google's own JWKS. */
  jwksUrl?: string;
  timeoutMs?: number;
  maxAgeMs?: number;
  cooldownMs?: number;
}

/** One cache per URL and settings, for the life of the process: every delivery of every integration shares it. */
const keySets = new Map<string, JwksCache>();

/** The cached key lookup for a JWKS URL; undefined when the URL is not an http(s) URL (the verifier says misconfigured). */
export function googleSigningKeys(settings: GoogleKeySettings = {}): SigningKeyLookup | undefined {
  const url = settings.jwksUrl ?? GOOGLE_JWKS_URL;
  const options = {
    timeoutMs: settings.timeoutMs ?? DEFAULT_JWKS_TIMEOUT_MS,
    maxAgeMs: settings.maxAgeMs ?? DEFAULT_JWKS_CACHE_MAX_AGE_MS,
    cooldownMs: settings.cooldownMs ?? DEFAULT_JWKS_COOLDOWN_MS,
  };
  const cacheKey = `${url} ${options.timeoutMs} ${options.maxAgeMs} ${options.cooldownMs}`;
  let keySet = keySets.get(cacheKey);
  if (!keySet) {
    if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) return undefined;
    keySet = new JwksCache(url, options);
    keySets.set(cacheKey, keySet);
  }
  const cache = keySet;
  return (kid, signal) => cache.keyFor(kid, signal);
}

/** Forget cached key sets (tests, or after an operator changes the JWKS URL). */
export function clearJwksCache(): void {
  keySets.clear();
}

/** The I/O the receiver lends the verifiers. */
export const verifierIo: VerifierIo = { googleSigningKeys: (jwksUrl) => googleSigningKeys({ jwksUrl }) };
