/**
 * An ioredis client that signs in to Azure Managed Redis with Entra ID (entra-token.ts) on every connection and
 * keeps the live connection signed in across token renewals.
 *
 * Why `connect()` is overridden: ioredis reads `options.username`/`options.password` once, synchronously, when a
 * connection starts (the first one, a command on a lazy client, and every reconnect after a drop) and sends
 * them as AUTH before anything else. Getting a token is asynchronous, so each of those paths first awaits a
 * valid token, writes it into the options and only then lets ioredis connect: no connection ever starts with
 * an expired or missing token. A renewed token is sent with AUTH on the open connection (retried on failure),
 * and a connection that finished its handshake with an older token is brought up to date when it is ready.
 * When no token can be had, queued commands fail at once with an error naming Redis Entra ID authentication,
 * and the connection is tried again with backoff.
 */
import Redis, { type RedisOptions } from 'ioredis';
import type { AppError } from '../../../core/app-error';
import type { EntraTokenKeeper, RedisSignIn } from './entra-token';

export interface EntraRedisOptions {
  /** AUTH attempts on the live connection after a renewal before giving up until the next renewal. */
  reauthAttempts?: number;
  reauthRetryMs?: number;
}

type Callback = (error?: Error | null) => void;

export class EntraRedis extends Redis {
  private pendingConnect: Promise<void> | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private signInFailures = 0;
  /** The password the current connection signed in with (AUTH at connect, or the last successful re-AUTH). */
  private signedInWith: string | undefined;
  private readonly keeper: EntraTokenKeeper;
  private readonly entraOptions: EntraRedisOptions;

  constructor(
    url: string,
    options: Omit<RedisOptions, 'replyMapping'>,
    keeper: EntraTokenKeeper,
    entraOptions: EntraRedisOptions = {},
  ) {
    // The base class would connect from its constructor, before this class can supply a token.
    super(url, { ...options, lazyConnect: true });
    this.keeper = keeper;
    this.entraOptions = entraOptions;
    keeper.onRenewed((signIn) => this.renewed(signIn));
    keeper.onError((error) => this.silentEmit('error', error));
    // No more connections (quit, or the retry strategy gave up): no more renewals; connect() starts them again.
    this.on('end', () => keeper.stop());
    this.on('ready', () => {
      const password = this.options.password;
      if (password && password !== this.signedInWith)
        void this.reauthenticate({ user: this.options.username!, password });
    });
    if (!options.lazyConnect) this.connect().catch(() => undefined);
  }

  override connect(callback?: Callback): Promise<void> {
    const valid = this.pendingConnect ? undefined : this.keeper.valid();
    // The usual case (a reconnect with a token that is still good) stays synchronous, exactly as in ioredis.
    const promise = valid ? this.connectAs(valid) : this.connectAfterSignIn();
    if (callback) promise.then(() => callback(null), callback);
    return promise;
  }

  private connectAs(signIn: RedisSignIn): Promise<void> {
    this.signInFailures = 0;
    this.options.username = signIn.user;
    this.options.password = signIn.password;
    this.signedInWith = signIn.password;
    return super.connect();
  }

  private connectAfterSignIn(): Promise<void> {
    const statusAtCall = this.status;
    // Commands sent while the token is on its way wait in the offline queue, which records the database of
    // the connection's condition; before the first connection there is none yet (ioredis sets it in connect()).
    this.condition ??= {
      select: this.options.db ?? 0,
      subscriber: false,
      protocol: this.options.protocol ?? 2,
      replyMapping: 'legacy',
      handshake: false,
    };
    this.pendingConnect ??= this.keeper.obtain().then(
      (signIn) => {
        this.pendingConnect = undefined;
        // Closed (disconnect()) while the token was on its way: stay closed.
        if (this.status === 'end' && statusAtCall !== 'end') throw new Error('Connection is closed.');
        return this.connectAs(signIn);
      },
      (error: AppError) => {
        this.pendingConnect = undefined;
        this.signInFailed(error);
        throw error;
      },
    );
    return this.pendingConnect;
  }

  override disconnect(reconnect = false): void {
    if (!reconnect) {
      clearTimeout(this.retryTimer);
      this.keeper.stop();
    }
    super.disconnect(reconnect);
  }

  /** No token: fail what waits for this connection with the sign-in error, and try again with backoff. */
  private signInFailed(error: AppError): void {
    (this as unknown as { flushQueue(error: Error): void }).flushQueue(error);
    this.silentEmit('error', error);
    if (this.status !== 'wait' && this.status !== 'reconnecting') return;
    this.signInFailures += 1;
    const delayMs = this.options.retryStrategy?.(this.signInFailures);
    if (typeof delayMs !== 'number') return;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.connect().catch(() => undefined), delayMs);
    this.retryTimer.unref();
  }

  private renewed(signIn: RedisSignIn): void {
    // The next connection (a reconnect after a drop) signs in with the new token.
    this.options.username = signIn.user;
    this.options.password = signIn.password;
    // A connection still in its handshake is updated by the 'ready' listener.
    if (this.status === 'ready') void this.reauthenticate(signIn);
  }

  private async reauthenticate(signIn: Pick<RedisSignIn, 'user' | 'password'>): Promise<void> {
    const attempts = this.entraOptions.reauthAttempts ?? 3;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      // A newer token superseded this one, or the connection is gone (the next one signs in at connect).
      if (this.options.password !== signIn.password || this.status !== 'ready') return;
      try {
        await this.auth(signIn.user, signIn.password);
        this.signedInWith = signIn.password;
        return;
      } catch (error) {
        if (attempt === attempts) {
          const reason = error instanceof Error ? error.message : 'unknown error';
          this.silentEmit(
            'error',
            new Error(`Redis Entra ID authentication failed: AUTH with a renewed token was refused (${reason})`),
          );
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, (this.entraOptions.reauthRetryMs ?? 500) * attempt).unref());
      }
    }
  }
}
