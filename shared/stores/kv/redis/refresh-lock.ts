/**
 * The Redis adapter of the refresh coordination port (../refresh-coordination.ts).
 * Single-flight across processes for credential refreshes: a Redis lock (SET NX PX) whose value carries a
 * fencing token from a per-credential counter, released and extended only by its holder (Lua compare).
 * Beside it a small journal: "a refresh of this credential started with fence N" is written when the lock is
 * taken (before the token endpoint is called) and cleared once the outcome is settled (new tokens stored,
 * or a definite answer). A journal found by the next holder means
 * an earlier refresh died in between, so a refresh token the provider has rotated may be lost (see
 * docs/credentials.md). And a "fresh" marker (expiry | stored-at) written after a successful store lets other
 * refresher instances skip a credential without reading the secret store. None of these hold a secret.
 */
import { randomBytes } from 'node:crypto';
import type Redis from 'ioredis';
import {
  FRESH_MARKER_MAX_MS,
  type AcquireResult,
  type FreshMarker,
  type LockHandle,
  type RefreshCoordinator,
  type RefreshJournal,
} from '../refresh-coordination';
import { sleep } from '../../../platform/sleep';

/**
 * KEYS: lock, fence, journal, fresh. ARGV: token, ttlMs, freshBeyondMs (epoch; 0 = ignore the fresh marker),
 * instance, nowIso, journalTtlMs, listedUpdatedAt ('' = unknown).
 * Returns 'fresh' when a refresh stored after the caller's listing already pushed the expiry past
 * freshBeyondMs, false when someone else holds the lock, else {fence, previous journal or false} after
 * writing our own journal entry.
 */
const ACQUIRE = `
if tonumber(ARGV[3]) > 0 then
  local fresh = redis.call('GET', KEYS[4])
  if fresh then
    local sep = string.find(fresh, '|', 1, true)
    local untilMs = tonumber(string.sub(fresh, 1, sep - 1))
    local storedAt = string.sub(fresh, sep + 1)
    if untilMs > tonumber(ARGV[3]) and storedAt >= ARGV[7] then return 'fresh' end
  end
end
if redis.call('EXISTS', KEYS[1]) == 1 then return false end
local fence = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], fence .. ':' .. ARGV[1], 'PX', ARGV[2])
local previous = redis.call('GET', KEYS[3])
redis.call('SET', KEYS[3], cjson.encode({fence = fence, startedAt = ARGV[5], instanceId = ARGV[4]}), 'PX', ARGV[6])
return {fence, previous or false}`;

/** KEYS: lock, journal, fresh. ARGV: lock value, clearJournal (1/0), fresh marker ('' = none), freshTtlMs. */
const FINISH = `
if ARGV[2] == '1' then redis.call('DEL', KEYS[2]) end
if ARGV[3] ~= '' then redis.call('SET', KEYS[3], ARGV[3], 'PX', ARGV[4]) end
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

const EXTEND = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;

const JOURNAL_TTL_MS = 30 * 86_400_000;

export class RedisRefreshLock implements RefreshCoordinator {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    readonly instanceId: string = randomBytes(6).toString('hex'),
  ) {}

  private key(kind: 'lock' | 'fence' | 'journal' | 'fresh', id: string): string {
    return `${this.keyPrefix}cred:${kind}:${id}`;
  }

  async acquire(
    id: string,
    ttlMs: number,
    fresh: { beyondMs: number; listedUpdatedAt?: string } = { beyondMs: 0 },
  ): Promise<AcquireResult> {
    const token = randomBytes(12).toString('hex');
    const result = (await this.redis.eval(
      ACQUIRE,
      4,
      this.key('lock', id),
      this.key('fence', id),
      this.key('journal', id),
      this.key('fresh', id),
      token,
      String(ttlMs),
      String(fresh.beyondMs),
      this.instanceId,
      new Date().toISOString(),
      String(JOURNAL_TTL_MS),
      fresh.listedUpdatedAt ?? '',
    )) as 'fresh' | null | [number, string | null];
    if (result === 'fresh') return 'fresh';
    if (!result) return undefined;
    const [fence, previous] = result;
    return {
      handle: { id, value: `${fence}:${token}`, fence: Number(fence) },
      previous: previous ? (JSON.parse(previous) as RefreshJournal) : undefined,
    };
  }

  async finish(handle: LockHandle, options: { clearJournal: boolean; fresh?: FreshMarker }): Promise<void> {
    const fresh = options.fresh && options.fresh.untilMs > Date.now() ? options.fresh : undefined;
    const marker = fresh ? `${fresh.untilMs}|${fresh.storedAt}` : '';
    const freshTtlMs = fresh ? Math.max(1, Math.min(FRESH_MARKER_MAX_MS, fresh.untilMs - Date.now())) : 1;
    await this.redis.eval(
      FINISH,
      3,
      this.key('lock', handle.id),
      this.key('journal', handle.id),
      this.key('fresh', handle.id),
      handle.value,
      options.clearJournal ? '1' : '0',
      marker,
      String(freshTtlMs),
    );
  }

  async extend(handle: LockHandle, ttlMs: number): Promise<boolean> {
    return (await this.redis.eval(EXTEND, 1, this.key('lock', handle.id), handle.value, String(ttlMs))) === 1;
  }

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

  async readJournal(id: string): Promise<RefreshJournal | undefined> {
    const text = await this.redis.get(this.key('journal', id));
    return text ? (JSON.parse(text) as RefreshJournal) : undefined;
  }
}
