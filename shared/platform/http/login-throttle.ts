/**
 * Throttling of failed admin sign-ins (wrong API key, bad bearer token), per client address and for the whole
 * app, checked before the credential is even looked at and before any tenant routing, so a tenant id in the
 * path buys no fresh budget. Over budget: 429 with Retry-After until the window that holds the failures ends.
 *
 * Choices:
 * - Only failures with a credential count (a request without one guesses nothing). A right credential from an
 *   address under budget costs nothing and is not slowed beyond one counter read (one Redis round trip, at
 *   most REDIS_COUNTER_TIMEOUT_MS).
 * - An address over budget gets 429 even with the right credential until its window ends: evaluating
 *   credentials there would let a guesser keep guessing and learn the answer from the status.
 * - The global budget is the backstop against guessing from many addresses; while it is exhausted every
 *   address gets 429. It is set well above what operators mistype, and Entra sign-in is the way out of it.
 * - Fixed windows counted in the key-value store's counters (Redis, so every instance shares the budget; the
 *   window opens with the first failure); in memory when Redis is not configured or does not answer within
 *   REDIS_COUNTER_TIMEOUT_MS (then each instance counts for itself), see LOGIN_COUNTER_FALLBACK.
 * - The address is the last X-Forwarded-For entry, the one Azure's front end (and the local host) appends;
 *   IPv6 addresses count per /64, since one client usually holds a whole /64.
 */
import { isIP } from 'node:net';
import { AppError } from '../../core/app-error';
import type { FallbackPolicy, KeyValueStore, KeyValueStores } from '../../stores/kv';
import type { AdminAuthenticator, AdminPrincipal } from './admin-auth';

export interface LoginThrottleRules {
  /** Failures one address may have in a window. */
  perAddress: number;
  /** Failures all addresses together may have in a window. */
  global: number;
  windowMs: number;
}

/** Longest wait for Redis on a sign-in; past it the in-memory counters decide (a down Redis queues commands). */
export const REDIS_COUNTER_TIMEOUT_MS = 250;

/**
 * A Redis outage must not open the door: each call waits for Redis at most REDIS_COUNTER_TIMEOUT_MS, then
 * memory counts; and a read answers the larger of both counts, so failures counted locally during an outage
 * still count after it, until their window ends.
 */
export const LOGIN_COUNTER_FALLBACK: FallbackPolicy = {
  whileDown: 'try_shared',
  timeoutMs: REDIS_COUNTER_TIMEOUT_MS,
  countsFromBoth: true,
};

export class LoginThrottle {
  /** `counters`: fixed-window counters (the key-value store under LOGIN_COUNTER_FALLBACK). */
  constructor(
    private readonly counters: KeyValueStore,
    private readonly rules: LoginThrottleRules,
  ) {}

  /** Throws rate_limited (429, retryAfterMs) when the address or the app has used its failure budget. */
  async assertOpen(address: string): Promise<void> {
    const [mine, all] = await Promise.all(this.keys(address).map((key) => this.counters.count(key)));
    const blocked = [
      mine!.count >= this.rules.perAddress ? mine! : undefined,
      all!.count >= this.rules.global ? all! : undefined,
    ].filter((w) => w !== undefined);
    if (blocked.length === 0) return;
    const retryAfterMs = Math.max(1000, ...blocked.map((window) => window.remainingMs));
    throw new AppError('rate_limited', 'too many failed sign-in attempts; try again later', { retryAfterMs });
  }

  async recordFailure(address: string): Promise<void> {
    await Promise.all(this.keys(address).map((key) => this.counters.increment(key, this.rules.windowMs)));
  }

  private keys(address: string): string[] {
    return [`login-fail:addr:${addressKey(address)}`, 'login-fail:all'];
  }
}

export function createLoginThrottle(options: {
  kv: Pick<KeyValueStores, 'withFallback'>;
  rules: LoginThrottleRules;
}): LoginThrottle {
  return new LoginThrottle(options.kv.withFallback(LOGIN_COUNTER_FALLBACK), options.rules);
}

/** Authenticates through the throttle: refused at once when over budget, a failure counted when it fails. */
export async function authenticateThrottled(
  throttle: LoginThrottle,
  authenticator: AdminAuthenticator,
  header: (name: string) => string | null,
): Promise<AdminPrincipal> {
  const address = clientAddress(header);
  await throttle.assertOpen(address);
  try {
    return await authenticator.authenticate(header);
  } catch (error) {
    // A request without any credential guesses nothing (the UI's first load); a wrong one counts.
    const presented = Boolean(header('x-api-key') || header('authorization'));
    if (presented && error instanceof AppError && error.code === 'unauthorized') await throttle.recordFailure(address);
    throw error;
  }
}

/** The client's address: the last X-Forwarded-For entry, without its port; "unknown" when there is none. */
export function clientAddress(header: (name: string) => string | null): string {
  const last = (header('x-forwarded-for') ?? '').split(',').pop()!.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(last);
  const candidate = bracketed ? bracketed[1]! : /^[\d.]+:\d+$/.test(last) ? last.slice(0, last.lastIndexOf(':')) : last;
  return isIP(candidate) ? candidate.toLowerCase() : 'unknown';
}

/** IPv4 as is; IPv6 by its /64 (IPv4-mapped IPv6 as the IPv4 address). */
export function addressKey(address: string): string {
  if (isIP(address) !== 6) return address;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  const [head = '', tail = ''] = address.split('::');
  const groups = (part: string) => (part ? part.split(':') : []);
  const left = groups(head);
  const right = groups(tail);
  const full = address.includes('::')
    ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right]
    : left;
  return `${full
    .slice(0, 4)
    .map((group) => parseInt(group, 16).toString(16))
    .join(':')}::/64`;
}
