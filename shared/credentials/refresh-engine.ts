/**
 * OAuth2 refresh (RFC 6749 §6) for oauth2_authorization_code credentials, single-flight across processes.
 * Order of a refresh: take the Redis lock (fencing token) → RE-READ the credential (another worker may have
 * refreshed it) → journal "started" → call the token endpoint (retrying transient failures with capped
 * exponential backoff + jitter) → STORE the new token set → clear the journal → release → only then use it.
 * A refresh that dies between the token response and the store leaves the journal behind; the next holder
 * retries with the stored refresh token, and if the provider rejects it (it rotated it) the credential is
 * flagged needs_reauth with reason refresh_interrupted instead of failing forever.
 */
import { AppError, isAppError, toAppError, type ErrorCode } from '../core/app-error';
import { DEFAULT_REFRESH_RETRY, withRetry, type RetryPolicy } from './backoff';
import { secretNameOf } from './credential-doc';
import type { CredentialService } from './credential-service';
import { silentLogger, type CredentialLogger } from './logger';
import { nextInstanceUrl } from './oauth/instance-url';
import { requestToken, type TokenSet } from './oauth/token-client';
import type { LockHandle, RefreshCoordinator } from '../stores/kv/refresh-coordination';
import { refKey, type CredentialOf, type CredentialRef, type StoredCredential } from './types';

export type RefreshOutcome =
  | {
      ref: CredentialRef;
      outcome: 'refreshed';
      by: 'self' | 'other';
      version: string;
      accessExpiresAt?: string;
      /** The token answer named an instance host the outbound rule refused: kept the stored instance. */
      refusedInstanceHost?: string;
    }
  | { ref: CredentialRef; outcome: 'not_due'; reason: 'not_expiring' | 'locked_elsewhere' }
  | { ref: CredentialRef; outcome: 'needs_reauth'; reason: string }
  | {
      ref: CredentialRef;
      outcome: 'failed';
      error: { code: ErrorCode; message: string; retryable: boolean; retryAfterMs?: number };
    };

export interface RefreshEngineOptions {
  service: CredentialService;
  /**
   * The single-flight lock: on Redis across processes (Azure, several hosts), in-process only for one local
   * process without Redis (stores/kv builds either).
   */
  coordination: RefreshCoordinator;
  logger?: CredentialLogger;
  clock?: () => Date;
  /** Longer than one token call plus one store write; extended before each attempt and before the store. */
  lockTtlMs?: number;
  /** How long an on-demand refresh waits for another worker's refresh of the same credential. */
  lockWaitMs?: number;
  requestTimeoutMs?: number;
  retry?: RetryPolicy;
  /** Refreshes run at once by refreshDue. */
  concurrency?: number;
  /** Fault injection for crash tests: runs after the token response arrived and before it is stored. */
  faults?: { afterTokenResponse?(ref: CredentialRef): Promise<void> | void };
}

export interface RefreshOneOptions {
  marginMs?: number;
  now?: Date;
  /** Refresh even when not near expiry (a 401 says the token is bad). */
  force?: boolean;
  /** The version whose token the caller used: a newer stored version means someone already refreshed. */
  usedVersion?: string;
  waitForLock?: boolean;
  /** updatedAt from the listing that chose this credential (lets a fresher refresh elsewhere skip it). */
  listedUpdatedAt?: string;
  signal?: AbortSignal;
}

export interface RefreshDueResult {
  listed: number;
  due: number;
  outcomes: RefreshOutcome[];
}

type OAuthCode = CredentialOf<'oauth2_authorization_code'>;
/** What the lock's finish step records: clear the journal? how long is the stored token fresh? */
type Settle = { clearJournal: boolean; fresh?: { untilMs: number; storedAt: string } };

function failed(ref: CredentialRef, error: unknown): RefreshOutcome {
  const e = toAppError(error);
  return {
    ref,
    outcome: 'failed',
    error: { code: e.code, message: e.message, retryable: e.retryable, retryAfterMs: e.retryAfterMs },
  };
}

function isDue(accessExpiresAt: string | undefined, now: Date, marginMs: number): boolean {
  return accessExpiresAt !== undefined && Date.parse(accessExpiresAt) - now.getTime() <= marginMs;
}

export class RefreshEngine {
  private readonly lock: RefreshCoordinator;
  private readonly logger: CredentialLogger;
  private readonly clock: () => Date;
  private readonly lockTtlMs: number;
  private readonly lockWaitMs: number;
  private readonly requestTimeoutMs: number;
  private readonly retry: RetryPolicy;

  constructor(private readonly options: RefreshEngineOptions) {
    this.lock = options.coordination;
    this.logger = options.logger ?? silentLogger;
    this.clock = options.clock ?? (() => new Date());
    this.lockTtlMs = options.lockTtlMs ?? 30_000;
    this.lockWaitMs = options.lockWaitMs ?? 20_000;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
    this.retry = options.retry ?? DEFAULT_REFRESH_RETRY;
  }

  /** For the TokenRefresher timer: refresh active OAuth credentials whose access token expires within marginMs. */
  async refreshDue(options: {
    marginMs: number;
    now?: Date;
    limit?: number;
    signal?: AbortSignal;
  }): Promise<RefreshDueResult> {
    const now = options.now ?? this.clock();
    const listed = await this.options.service.list({ signal: options.signal });
    const due = listed
      .filter(
        (m) =>
          m.type === 'oauth2_authorization_code' &&
          m.status === 'active' &&
          isDue(m.accessExpiresAt, now, options.marginMs),
      )
      .sort((a, b) => Date.parse(a.accessExpiresAt!) - Date.parse(b.accessExpiresAt!))
      .slice(0, options.limit ?? Number.POSITIVE_INFINITY);
    const outcomes: RefreshOutcome[] = new Array(due.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < due.length && !options.signal?.aborted) {
        const index = next++;
        const item = due[index]!;
        outcomes[index] = await this.refreshOne(item.ref, {
          marginMs: options.marginMs,
          now,
          waitForLock: false,
          listedUpdatedAt: item.updatedAt,
          signal: options.signal,
        });
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.options.concurrency ?? 8, due.length) }, worker));
    return { listed: listed.length, due: due.length, outcomes: outcomes.filter(Boolean) };
  }

  /** For an adapter that met a 401: refresh now unless someone already replaced the token it used. */
  async refreshOnDemand(
    ref: CredentialRef,
    options: { usedVersion?: string; signal?: AbortSignal } = {},
  ): Promise<RefreshOutcome> {
    let usedVersion = options.usedVersion;
    if (usedVersion === undefined) {
      const current = await this.options.service
        .read(ref, { fresh: true, signal: options.signal })
        .catch((error: unknown) => error);
      if (!current || current instanceof Error)
        return failed(ref, current ?? new AppError('not_found', `credential ${refKey(ref)} does not exist`));
      usedVersion = (current as { version: string }).version;
    }
    return this.refreshOne(ref, { force: true, usedVersion, waitForLock: true, signal: options.signal });
  }

  async refreshOne(ref: CredentialRef, options: RefreshOneOptions = {}): Promise<RefreshOutcome> {
    const id = secretNameOf(ref);
    const deadline = Date.now() + this.lockWaitMs;
    const fresh = {
      beyondMs: options.force ? 0 : (options.now ?? this.clock()).getTime() + (options.marginMs ?? 0),
      listedUpdatedAt: options.listedUpdatedAt,
    };
    try {
      for (;;) {
        const acquired = await this.lock.acquire(id, this.lockTtlMs, fresh);
        if (acquired === 'fresh') return { ref, outcome: 'not_due', reason: 'not_expiring' };
        if (acquired) {
          // Settled unless the token request may have spent the refresh token without a stored result.
          const settle: Settle = { clearJournal: true };
          try {
            return await this.refreshLocked(ref, acquired.handle, acquired.previous !== undefined, options, settle);
          } finally {
            await this.lock.finish(acquired.handle, settle).catch(() => undefined);
          }
        }
        if (!options.waitForLock) return { ref, outcome: 'not_due', reason: 'locked_elsewhere' };
        if (!(await this.lock.waitUntilFree(id, Math.max(0, deadline - Date.now()), options.signal))) {
          return failed(ref, new AppError('transient', `timed out waiting for another refresh of ${refKey(ref)}`));
        }
        // The other holder is done: its result may be all we need.
        const current = await this.options.service.read(ref, { fresh: true, signal: options.signal });
        if (current && options.usedVersion !== undefined && current.version !== options.usedVersion)
          return this.byOther(ref, current);
      }
    } catch (error) {
      this.logger.error('credential refresh failed', { credential: refKey(ref), code: toAppError(error).code });
      return failed(ref, error);
    }
  }

  private byOther(ref: CredentialRef, current: { doc: StoredCredential; version: string }): RefreshOutcome {
    if (current.doc.status === 'needs_reauth')
      return { ref, outcome: 'needs_reauth', reason: current.doc.statusReason ?? 'needs_reauth' };
    const credential = current.doc.credential;
    return {
      ref,
      outcome: 'refreshed',
      by: 'other',
      version: current.version,
      accessExpiresAt: credential.type === 'oauth2_authorization_code' ? credential.expiresAt : undefined,
    };
  }

  private async refreshLocked(
    ref: CredentialRef,
    handle: LockHandle,
    interrupted: boolean,
    options: RefreshOneOptions,
    settle: Settle,
  ): Promise<RefreshOutcome> {
    const { service } = this.options;
    const read = await service.read(ref, { fresh: true, signal: options.signal });
    if (!read) return failed(ref, new AppError('not_found', `credential ${refKey(ref)} does not exist`));
    const { doc } = read;
    const credential = doc.credential;
    if (credential.type !== 'oauth2_authorization_code')
      return failed(
        ref,
        new AppError(
          'validation',
          `credential ${refKey(ref)} is a ${credential.type}; only oauth2_authorization_code is refreshed`,
        ),
      );
    if (doc.status === 'needs_reauth')
      return { ref, outcome: 'needs_reauth', reason: doc.statusReason ?? 'needs_reauth' };
    if (options.usedVersion !== undefined && read.version !== options.usedVersion) return this.byOther(ref, read);
    if (!options.force && !isDue(credential.expiresAt, options.now ?? this.clock(), options.marginMs ?? 0)) {
      if (credential.expiresAt) settle.fresh = { untilMs: Date.parse(credential.expiresAt), storedAt: doc.updatedAt };
      return { ref, outcome: 'not_due', reason: 'not_expiring' };
    }
    if (!credential.refreshToken) {
      await service.markNeedsReauth(ref, 'no_refresh_token', { signal: options.signal });
      return { ref, outcome: 'needs_reauth', reason: 'no_refresh_token' };
    }

    if (interrupted)
      this.logger.warn('an earlier refresh of this credential did not finish', { credential: refKey(ref) });

    settle.clearJournal = false;
    // A timed-out or cut-off attempt may have reached the provider and spent the refresh token.
    let unanswered = false;
    let tokens: TokenSet;
    try {
      tokens = await withRetry(
        async (attempt) => {
          if (attempt > 1 && !(await this.lock.extend(handle, this.lockTtlMs)))
            throw new AppError('conflict', 'refresh lock lost before the token request');
          return requestToken(
            {
              tokenEndpoint: credential.tokenEndpoint,
              clientId: credential.clientId,
              clientSecret: credential.clientSecret,
              clientAuth: credential.clientAuth,
              provider: credential.provider,
              params: { grant_type: 'refresh_token', refresh_token: credential.refreshToken! },
            },
            { timeoutMs: this.requestTimeoutMs, signal: options.signal },
          );
        },
        this.retry,
        {
          signal: options.signal,
          onRetry: (attempt, delayMs, error) => {
            if (toAppError(error).details?.httpStatus === undefined) unanswered = true;
            this.logger.warn('token refresh will be retried', {
              credential: refKey(ref),
              attempt,
              delayMs,
              code: toAppError(error).code,
            });
          },
        },
      );
    } catch (error) {
      return this.onTokenError(ref, read.version, interrupted || unanswered, error, settle, options.signal);
    }

    await this.options.faults?.afterTokenResponse?.(ref);
    let refusedInstanceHost: string | undefined;
    const instanceUrl = nextInstanceUrl(
      credential.provider,
      credential.instanceUrl,
      tokens.instanceUrl,
      (host, why) => {
        refusedInstanceHost = host;
        this.logger.error('token answer named an instance URL that is not allowed; kept the stored one', {
          credential: refKey(ref),
          provider: credential.provider,
          host,
          reason: why,
        });
      },
    );
    const stored = await this.store(ref, doc, { ...credential, instanceUrl }, tokens, handle, options.signal);
    settle.clearJournal = true;
    if (stored.accessExpiresAt)
      settle.fresh = { untilMs: Date.parse(stored.accessExpiresAt), storedAt: stored.updatedAt };
    this.logger.info('credential refreshed', {
      credential: refKey(ref),
      provider: credential.provider,
      fence: handle.fence,
      recoveredInterrupted: interrupted || undefined,
    });
    return {
      ref,
      outcome: 'refreshed',
      by: 'self',
      version: stored.version,
      accessExpiresAt: stored.accessExpiresAt,
      ...(refusedInstanceHost ? { refusedInstanceHost } : {}),
    };
  }

  /** The new token set is written before anyone uses it; store failures are retried while we hold it. */
  private async store(
    ref: CredentialRef,
    doc: StoredCredential,
    credential: OAuthCode,
    tokens: TokenSet,
    handle: LockHandle,
    signal?: AbortSignal,
  ) {
    const now = this.clock();
    const at = (ms: number | undefined): string | undefined =>
      ms === undefined ? undefined : new Date(now.getTime() + ms).toISOString();
    const next: OAuthCode = {
      ...credential,
      accessToken: tokens.accessToken,
      tokenType: tokens.tokenType,
      refreshToken: tokens.refreshToken ?? credential.refreshToken,
      expiresAt: at(tokens.expiresInMs),
      refreshTokenExpiresAt: tokens.refreshToken
        ? at(tokens.refreshTokenExpiresInMs)
        : credential.refreshTokenExpiresAt,
      scopes: tokens.scopes ?? credential.scopes,
    };
    const nextDoc: StoredCredential = {
      ...doc,
      credential: next,
      status: 'active',
      statusReason: undefined,
      updatedAt: now.toISOString(),
      refreshedAt: now.toISOString(),
      refreshFence: handle.fence,
    };
    // Store even when the lock was lost meanwhile: these tokens are the newest truth, the old refresh token may be spent.
    if (!(await this.lock.extend(handle, this.lockTtlMs).catch(() => false)))
      this.logger.warn('refresh lock expired before the store; storing anyway', {
        credential: refKey(ref),
        fence: handle.fence,
      });
    return withRetry(() => this.options.service.write(nextDoc, { signal }), this.retry, { signal });
  }

  private async onTokenError(
    ref: CredentialRef,
    readVersion: string,
    interrupted: boolean,
    error: unknown,
    settle: Settle,
    signal?: AbortSignal,
  ): Promise<RefreshOutcome> {
    const appError = isAppError(error) ? error : toAppError(error);
    if (appError.code === 'auth_revoked') {
      // A worker whose lock had expired may have stored new tokens meanwhile: then nothing is wrong.
      const again = await this.options.service.read(ref, { fresh: true, signal });
      if (again && again.version !== readVersion) return this.byOther(ref, again);
      const oauthError = typeof appError.details?.oauthError === 'string' ? appError.details.oauthError : 'rejected';
      const reason = interrupted ? 'refresh_interrupted' : oauthError;
      await this.options.service.markNeedsReauth(ref, reason, { signal });
      settle.clearJournal = true;
      return { ref, outcome: 'needs_reauth', reason };
    }
    // An answered request did not spend the refresh token; a timeout or network error may have.
    if (appError.details?.httpStatus !== undefined) settle.clearJournal = true;
    this.logger.error('token refresh failed', {
      credential: refKey(ref),
      code: appError.code,
      retryable: appError.retryable,
    });
    return failed(ref, appError);
  }
}
