/**
 * Single-flight across processes for credential refreshes: a Redis lock (SET NX PX) whose value carries a
 * fencing token from a per-credential counter, released and extended only by its holder (Lua compare).
 * Beside it a small journal: "a refresh of this credential started with fence N" is written before the token
 * endpoint is called and cleared once the new token set is stored. A journal found by the next holder means
 * an earlier refresh died in between, so a refresh token the provider has rotated may be lost (see
 * docs/credentials.md). The journal holds no secret.
 */
import { randomBytes } from 'node:crypto';
import type Redis from 'ioredis';
import { sleep } from './backoff';

export interface LockHandle {
  id: string;
  value: string;
  /** Grows with every acquisition of this credential's lock. */
  fence: number;
}

export interface RefreshJournal {
  fence: number;
  startedAt: string;
  instanceId: string;
}

const ACQUIRE = `
if redis.call('EXISTS', KEYS[1]) == 1 then return false end
local fence = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], fence .. ':' .. ARGV[1], 'PX', ARGV[2])
return fence`;

const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

const EXTEND = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;

const JOURNAL_TTL_MS = 30 * 86_400_000;

export class RefreshLock {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    readonly instanceId: string = randomBytes(6).toString('hex'),
  ) {}

  private key(kind: 'lock' | 'fence' | 'journal', id: string): string {
    return `${this.keyPrefix}cred:${kind}:${id}`;
  }

  async acquire(id: string, ttlMs: number): Promise<LockHandle | undefined> {
    const token = randomBytes(12).toString('hex');
    const fence = (await this.redis.eval(ACQUIRE, 2, this.key('lock', id), this.key('fence', id), token, String(ttlMs))) as number | null;
    return fence === null || fence === undefined ? undefined : { id, value: `${fence}:${token}`, fence: Number(fence) };
  }

  async release(handle: LockHandle): Promise<boolean> {
    return (await this.redis.eval(RELEASE, 1, this.key('lock', handle.id), handle.value)) === 1;
  }

  /** Extends the lock if still held; false means another holder may be at work now. */
  async extend(handle: LockHandle, ttlMs: number): Promise<boolean> {
    return (await this.redis.eval(EXTEND, 1, this.key('lock', handle.id), handle.value, String(ttlMs))) === 1;
  }

  /** Waits until nobody holds the lock; false when maxWaitMs passed first. */
  async waitUntilFree(id: string, maxWaitMs: number, signal?: AbortSignal): Promise<boolean> {
    const deadline = Date.now() + maxWaitMs;
    let pauseMs = 10;
    for (;;) {
      if ((await this.redis.exists(this.key('lock', id))) === 0) return true;
      if (Date.now() >= deadline) return false;
      await sleep(Math.min(pauseMs + Math.floor(Math.random() * pauseMs), Math.max(1, deadline - Date.now())), signal);
      pauseMs = Math.min(pauseMs * 2, 200);
    }
  }

  async beginJournal(id: string, fence: number): Promise<void> {
    const entry: RefreshJournal = { fence, startedAt: new Date().toISOString(), instanceId: this.instanceId };
    await this.redis.set(this.key('journal', id), JSON.stringify(entry), 'PX', JOURNAL_TTL_MS);
  }

  async readJournal(id: string): Promise<RefreshJournal | undefined> {
    const text = await this.redis.get(this.key('journal', id));
    return text ? (JSON.parse(text) as RefreshJournal) : undefined;
  }

  async endJournal(id: string): Promise<void> {
    await this.redis.del(this.key('journal', id));
  }
}
