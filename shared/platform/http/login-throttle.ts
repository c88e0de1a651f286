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
 * - Fixed windows counted in Redis (SET NX PX + INCR) so every instance shares the budget; in memory when
 *   Redis is not configured or does not answer (then each instance counts for itself).
 * - The address is the last X-Forwarded-For entry, the one Azure's front end (and the local host) appends;
 *   IPv6 addresses count per /64, since one client usually holds a whole /64.
 */
import { isIP } from 'node:net';
import { AppError } from '../../core/app-error';
import type { RedisClient } from '../../stores/kv/redis/redis-client';
import type { AdminAuthenticator, AdminPrincipal } from './admin-auth';

export interface LoginThrottleRules {
  /** Failures one address may have in a window. */
  perAddress: number;
  /** Failures all addresses together may have in a window. */
  global: number;
  windowMs: number;
}

interface WindowCount {
  count: number;
  /** Until the window ends. */
  remainingMs: number;
}

/** Fixed-window failure counters: Redis (shared by instances) or memory (one process). */
interface FailureCounter {
  read(keys: string[]): Promise<WindowCount[]>;
  add(keys: string[], windowMs: number): Promise<void>;
}

/** In-process counters; expired windows are swept as new ones open, so memory stays bounded by the budgets. */
export class MemoryFailureCounter implements FailureCounter {
  private readonly windows = new Map<string, { count: number; endsAt: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  async read(keys: string[]): Promise<WindowCount[]> {
    const now = this.now();
    return keys.map((key) => {
      const window = this.windows.get(key);
      return window && window.endsAt > now
        ? { count: window.count, remainingMs: window.endsAt - now }
        : { count: 0, remainingMs: 0 };
    });
  }

  async add(keys: string[], windowMs: number): Promise<void> {
    const now = this.now();
    if (this.windows.size > 10_000)
      for (const [key, window] of this.windows) if (window.endsAt <= now) this.windows.delete(key);
    for (const key of keys) {
      const window = this.windows.get(key);
      if (window && window.endsAt > now) window.count++;
      else this.windows.set(key, { count: 1, endsAt: now + windowMs });
    }
  }
}

class RedisFailureCounter implements FailureCounter {
  constructor(private readonly redis: RedisClient) {}

  async read(keys: string[]): Promise<WindowCount[]> {
    const pipeline = this.redis.pipeline();
    for (const key of keys) pipeline.get(key).pttl(key);
    const replies = (await pipeline.exec()) ?? [];
    return keys.map((_, index) => {
      const [countError, count] = replies[index * 2] ?? [];
      const [ttlError, ttl] = replies[index * 2 + 1] ?? [];
      if (countError || ttlError) throw countError ?? ttlError;
      return { count: Number(count ?? 0), remainingMs: Math.max(0, Number(ttl)) };
    });
  }

  async add(keys: string[], windowMs: number): Promise<void> {
    const transaction = this.redis.multi();
    // The first failure opens the window (NX keeps an open one); INCR keeps its expiry.
    for (const key of keys) transaction.set(key, '0', 'PX', windowMs, 'NX').incr(key);
    const replies = await transaction.exec();
    const failed = replies?.find(([error]) => error);
    if (!replies || failed) throw failed?.[0] ?? new Error('redis transaction aborted');
  }
}

/** Longest wait for Redis on a sign-in; past it the in-memory counters decide (a down Redis queues commands). */
export const REDIS_COUNTER_TIMEOUT_MS = 250;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>(
    (_, reject) => (timer = setTimeout(() => reject(new Error('redis did not answer in time')), ms)),
  );
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Redis when given, with memory while Redis does not answer: a Redis outage must not open the door. */
class FallbackFailureCounter implements FailureCounter {
  constructor(
    private readonly primary: FailureCounter,
    private readonly fallback: FailureCounter,
  ) {}

  async read(keys: string[]): Promise<WindowCount[]> {
    const shared = withTimeout(this.primary.read(keys), REDIS_COUNTER_TIMEOUT_MS).catch(() => undefined);
    const [primary, local] = await Promise.all([shared, this.fallback.read(keys)]);
    // Failures counted locally during an outage still count after it, until their window ends.
    return local.map((mine, index) => {
      const shared = primary?.[index];
      return !shared || mine.count > shared.count ? mine : shared;
    });
  }

  async add(keys: string[], windowMs: number): Promise<void> {
    await withTimeout(this.primary.add(keys, windowMs), REDIS_COUNTER_TIMEOUT_MS).catch(() =>
      this.fallback.add(keys, windowMs),
    );
  }
}

export class LoginThrottle {
  constructor(
    private readonly counter: FailureCounter,
    private readonly rules: LoginThrottleRules,
    private readonly keyPrefix: string,
  ) {}

  /** Throws rate_limited (429, retryAfterMs) when the address or the app has used its failure budget. */
  async assertOpen(address: string): Promise<void> {
    const [mine, all] = await this.counter.read(this.keys(address));
    const blocked = [
      mine!.count >= this.rules.perAddress ? mine! : undefined,
      all!.count >= this.rules.global ? all! : undefined,
    ].filter((w) => w !== undefined);
    if (blocked.length === 0) return;
    const retryAfterMs = Math.max(1000, ...blocked.map((window) => window.remainingMs));
    throw new AppError('rate_limited', 'too many failed sign-in attempts; try again later', { retryAfterMs });
  }

  async recordFailure(address: string): Promise<void> {
    await this.counter.add(this.keys(address), this.rules.windowMs);
  }

  private keys(address: string): string[] {
    return [`${this.keyPrefix}login-fail:addr:${addressKey(address)}`, `${this.keyPrefix}login-fail:all`];
  }
}

export function createLoginThrottle(options: {
  redis?: RedisClient;
  keyPrefix: string;
  rules: LoginThrottleRules;
}): LoginThrottle {
  const memory = new MemoryFailureCounter();
  const counter = options.redis ? new FallbackFailureCounter(new RedisFailureCounter(options.redis), memory) : memory;
  return new LoginThrottle(counter, options.rules, options.keyPrefix);
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
