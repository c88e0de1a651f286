/**
 * The key-value port on Redis, shared by every instance of the app. One command per call (a counter's
 * increment is one small script, so its window opens atomically with the first increment); calls issued
 * together leave in one write through the client's auto-pipelining. Keys are the app's prefix
 * (REDIS_KEY_PREFIX) followed by the caller's key, so operators find each user's keys under the names they
 * always had (`<prefix>wh:…`, `<prefix>notify:…`, `<prefix>login-fail:…`).
 */
import type { ClaimAnswer, ClaimRequest, KeyValueStore, WindowCount } from '../kv-store';
import { DirectScript } from './direct-script';
import type { RedisClient } from './redis-client';

/** The first increment opens the window; later ones keep its expiry. */
const INCREMENT =
  "local n = redis.call('INCR', KEYS[1]); if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end; return n";

/**
 * claimMany: KEYS = the keys, ARGV = value and ttl (ms) per key. SET NX PX each; a key already held answers
 * its value instead of OK, read in the same script so the answer cannot change in between.
 */
const CLAIM_MANY = `
local answers = {}
for i = 1, #KEYS do
  if redis.call('SET', KEYS[i], ARGV[2 * i - 1], 'PX', ARGV[2 * i], 'NX') then
    answers[i] = 1
  else
    answers[i] = redis.call('GET', KEYS[i]) or ''
  end
end
return answers
`;

/** setMany: KEYS = the keys, ARGV = value and ttl (ms) per key. */
const SET_MANY = `
for i = 1, #KEYS do redis.call('SET', KEYS[i], ARGV[2 * i - 1], 'PX', ARGV[2 * i]) end
return #KEYS
`;

/** The arguments of a per-key script: the keys, then value and ttl of each. */
function perKeyArgs(prefix: string, entries: readonly ClaimRequest[]): (string | number)[] {
  const args: (string | number)[] = [entries.length];
  for (const entry of entries) args.push(prefix + entry.key);
  for (const entry of entries) args.push(entry.value, ttlOf(entry.ttlMs));
  return args;
}

/** Redis refuses an expiry of 0. */
function ttlOf(ms: number): number {
  return Math.max(1, Math.ceil(ms));
}

export class RedisKeyValueStore implements KeyValueStore {
  readonly backend = 'redis';
  private readonly claimManyScript = new DirectScript(CLAIM_MANY);
  private readonly setManyScript = new DirectScript(SET_MANY);

  constructor(
    private readonly redis: RedisClient,
    private readonly keyPrefix: string,
  ) {}

  available(): boolean {
    return this.redis.status === 'ready';
  }

  async claim(key: string, ttlMs: number, value = '1'): Promise<boolean> {
    return (await this.redis.set(this.keyPrefix + key, value, 'PX', ttlOf(ttlMs), 'NX')) === 'OK';
  }

  async claimMany(claims: readonly ClaimRequest[]): Promise<ClaimAnswer[]> {
    if (claims.length === 0) return [];
    const answers = await this.claimManyScript.call<Array<number | string>>(
      this.redis,
      perKeyArgs(this.keyPrefix, claims),
    );
    return answers.map((answer) => (answer === 1 ? { claimed: true } : { claimed: false, held: String(answer) }));
  }

  async setMany(entries: readonly ClaimRequest[]): Promise<void> {
    if (entries.length === 0) return;
    await this.setManyScript.call(this.redis, perKeyArgs(this.keyPrefix, entries));
  }

  async get(key: string): Promise<string | undefined> {
    return (await this.redis.get(this.keyPrefix + key)) ?? undefined;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    await this.redis.set(this.keyPrefix + key, value, 'PX', ttlOf(ttlMs));
  }

  async delete(key: string): Promise<void> {
    await this.redis.del(this.keyPrefix + key);
  }

  async increment(key: string, windowMs: number): Promise<number> {
    return Number(await this.redis.eval(INCREMENT, 1, this.keyPrefix + key, String(ttlOf(windowMs))));
  }

  async count(key: string): Promise<WindowCount> {
    const name = this.keyPrefix + key;
    const [count, ttl] = await Promise.all([this.redis.get(name), this.redis.pttl(name)]);
    // A window that ended between the two commands reads as its count with no time left.
    return { count: Number(count ?? 0), remainingMs: Math.max(0, ttl) };
  }

  async ping(): Promise<void> {
    await this.redis.ping();
  }
}
