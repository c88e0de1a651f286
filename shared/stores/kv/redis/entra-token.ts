/**
 * Entra ID sign-in for Azure Managed Redis: keeps a current access token for https://redis.azure.com/.default
 * (the password) and the Redis user name it belongs to (the identity's object id). A token is renewed at 75% of
 * its lifetime, well before the cache drops connections whose token expired; a failed renewal is retried with
 * capped exponential backoff and jitter until one succeeds. The client (entra-redis.ts) sends the result with
 * AUTH on every new connection and again on the live one after each renewal.
 * Tokens are never logged and never put in an error message.
 */
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { AppError } from '../../../core/app-error';

export const REDIS_ENTRA_SCOPE = 'https://redis.azure.com/.default';

export interface RedisSignIn {
  user: string;
  password: string;
  expiresOnTimestamp: number;
}

export interface EntraTokenOptions {
  /** The managed identity in Azure (shared/platform/azure/managed-identity.ts); any TokenCredential in tests. */
  credential: TokenCredential;
  /** Redis user name (REDIS_ENTRA_USER); unset: the `oid` claim of the token. */
  user?: string;
  /** Share of a token's lifetime after which it is renewed. */
  renewAtShare?: number;
  retryMinMs?: number;
  retryMaxMs?: number;
  getTokenTimeoutMs?: number;
  now?: () => number;
}

type RenewalListener = (signIn: RedisSignIn) => void;
type ErrorListener = (error: AppError) => void;

export class EntraTokenKeeper {
  private current: (RedisSignIn & { issuedAt: number }) | undefined;
  private inflight: Promise<RedisSignIn> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private renewAt = 0;
  private failures = 0;
  private stopped = false;
  private readonly renewalListeners: RenewalListener[] = [];
  private readonly errorListeners: ErrorListener[] = [];
  private readonly now: () => number;

  constructor(private readonly options: EntraTokenOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Called with every renewed token (not the first one, which obtain() returns). */
  onRenewed(listener: RenewalListener): void {
    this.renewalListeners.push(listener);
  }

  /** Called when a background renewal fails (it is retried). */
  onError(listener: ErrorListener): void {
    this.errorListeners.push(listener);
  }

  /** The current sign-in when its token is still valid (with a small margin), else undefined. */
  valid(): RedisSignIn | undefined {
    const current = this.current;
    if (!current) return undefined;
    const marginMs = Math.min(30_000, (current.expiresOnTimestamp - current.issuedAt) * 0.1);
    return this.now() < current.expiresOnTimestamp - marginMs ? current : undefined;
  }

  /** A valid sign-in: the current one, or a new token (concurrent callers share one request). */
  obtain(): Promise<RedisSignIn> {
    const valid = this.valid();
    if (this.stopped) {
      this.stopped = false;
      // Restarted (a client connects again after it ended): the kept token still needs its renewal.
      if (valid) this.schedule(Math.max(0, this.renewAt - this.now()));
    }
    if (valid) return Promise.resolve(valid);
    return this.fetch();
  }

  /** Stops the renewal timer (the client was closed); obtain() starts it again. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private fetch(): Promise<RedisSignIn> {
    this.inflight ??= this.request().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private async request(): Promise<RedisSignIn> {
    const timeoutMs = this.options.getTokenTimeoutMs ?? 30_000;
    let token: AccessToken | null;
    try {
      token = await this.options.credential.getToken(REDIS_ENTRA_SCOPE, {
        abortSignal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw signInError(
        `could not get an access token for ${REDIS_ENTRA_SCOPE} (${error instanceof Error ? error.message : 'unknown error'})`,
        error,
      );
    }
    if (!token?.token) throw signInError(`the credential returned no access token for ${REDIS_ENTRA_SCOPE}`);
    const user = this.options.user ?? objectIdOf(token.token);
    if (!user)
      throw signInError(
        'no Redis user name: set REDIS_ENTRA_USER to the object id of the identity (the token has no oid claim)',
        undefined,
        'REDIS_ENTRA_USER',
      );
    const issuedAt = this.now();
    const renewed = this.current !== undefined;
    this.current = { user, password: token.token, expiresOnTimestamp: token.expiresOnTimestamp, issuedAt };
    this.failures = 0;
    this.schedule(this.renewDelayMs(token, issuedAt));
    if (renewed) for (const listener of this.renewalListeners) listener(this.current);
    return this.current;
  }

  private renewDelayMs(token: AccessToken, issuedAt: number): number {
    const lifetimeMs = Math.max(0, token.expiresOnTimestamp - issuedAt);
    const byShare = lifetimeMs * (this.options.renewAtShare ?? 0.75);
    // Managed identity tokens say when the service wants them refreshed; never later than the share.
    const byHint = token.refreshAfterTimestamp !== undefined ? token.refreshAfterTimestamp - issuedAt : Infinity;
    return Math.max(0, Math.min(byShare, byHint));
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    if (this.stopped) return;
    this.renewAt = this.now() + delayMs;
    this.timer = setTimeout(() => void this.renew(), delayMs);
    this.timer.unref();
  }

  private async renew(): Promise<void> {
    try {
      await this.fetch();
    } catch (error) {
      this.failures += 1;
      const minMs = this.options.retryMinMs ?? 1000;
      const capped = Math.min(this.options.retryMaxMs ?? 60_000, minMs * 2 ** (this.failures - 1));
      this.schedule(capped / 2 + Math.random() * (capped / 2));
      for (const listener of this.errorListeners) listener(error as AppError);
    }
  }
}

function signInError(reason: string, cause?: unknown, target = 'REDIS_AUTH_MODE'): AppError {
  return new AppError('dependency_unavailable', `Redis Entra ID authentication failed: ${reason}`, { target, cause });
}

/** The `oid` claim of a JWT access token, read without verification: the token is ours and Redis verifies it. */
export function objectIdOf(token: string): string | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { oid?: unknown };
    return typeof claims.oid === 'string' && claims.oid ? claims.oid : undefined;
  } catch {
    return undefined;
  }
}
