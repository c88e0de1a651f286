/**
 * One conformance suite for the key-value port (shared/stores/kv): bounded memory on a fake clock, Redis on the
 * private redis-server of the test run (real time), and Redis behind the fallback wrapper, which must all
 * behave alike. Then what only one of them promises: Redis keys keep the names operators know (prefix + key),
 * memory stays within its bound, and the fallback policies (skip a disconnected Redis, time out, fail over,
 * read counters from both) answer as their users' headers say.
 */
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { openKeyValueStores, type KeyValueStore } from '../../shared/stores/kv';
import { FallbackKeyValueStore, withFallback } from '../../shared/stores/kv/fallback';
import { MemoryKeyValueStore } from '../../shared/stores/kv/memory/memory-kv-store';
import { createRedisClient } from '../../shared/stores/kv/redis/redis-client';
import { RedisKeyValueStore } from '../../shared/stores/kv/redis/redis-kv-store';
import { freePort } from '../../hosts/local/free-port';

const redis = createRedisClient(process.env.REDIS_URL!);
// Connected before the suites start: a fallback store skips a Redis that is still connecting.
beforeAll(() => redis.ping());
afterAll(() => redis.disconnect());
const prefix = () => `test-kv-${randomUUID().slice(0, 8)}:`;
const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface Subject {
  store: KeyValueStore;
  /** Lets `ms` pass for the store (a fake clock moves; real time is waited for). */
  advance(ms: number): Promise<void>;
}

function memorySubject(): Subject {
  let nowMs = 1_000_000;
  return { store: new MemoryKeyValueStore({ now: () => nowMs }), advance: async (ms) => void (nowMs += ms) };
}

const subjects: Array<[string, () => Subject]> = [
  ['memory', memorySubject],
  ['redis', () => ({ store: new RedisKeyValueStore(redis, prefix()), advance: pause })],
  [
    'redis with memory fallback',
    () => ({
      store: openKeyValueStores({ redis, keyPrefix: prefix() }).withFallback({ whileDown: 'local' }),
      advance: pause,
    }),
  ],
];

describe.each(subjects)('key-value store: %s', (_label, make) => {
  it('claims a key once per window, and again after it', async () => {
    const { store, advance } = make();
    expect([await store.claim('c', 200), await store.claim('c', 200), await store.claim('other', 200)]).toEqual([
      true,
      false,
      true,
    ]);
    await advance(260);
    expect(await store.claim('c', 200)).toBe(true);
  });

  it('keeps the value a claim set until it expires', async () => {
    const { store, advance } = make();
    expect(await store.claim('state', 200, 'pending')).toBe(true);
    expect(await store.get('state')).toBe('pending');
    expect(await store.claim('state', 200, 'other')).toBe(false);
    expect(await store.get('state')).toBe('pending');
    await advance(260);
    expect(await store.get('state')).toBeUndefined();
  });

  it('claims many keys in one call, each answered with what it found; sets many', async () => {
    const { store, advance } = make();
    await store.claim('held', 200, 'pending');
    expect(
      await store.claimMany([
        { key: 'fresh', value: 'pending', ttlMs: 200 },
        { key: 'held', value: 'pending', ttlMs: 200 },
        { key: 'fresh', value: 'other', ttlMs: 200 },
      ]),
    ).toEqual([{ claimed: true }, { claimed: false, held: 'pending' }, { claimed: false, held: 'pending' }]);
    expect(await store.claimMany([])).toEqual([]);
    await store.setMany([
      { key: 'held', value: 'accepted', ttlMs: 600 },
      { key: 'new', value: 'accepted', ttlMs: 200 },
    ]);
    await advance(260);
    expect([await store.get('held'), await store.get('new'), await store.get('fresh')]).toEqual([
      'accepted',
      undefined,
      undefined,
    ]);
    expect(await store.claimMany([{ key: 'fresh', value: 'again', ttlMs: 200 }])).toEqual([{ claimed: true }]);
  });

  it('sets over any value, with a fresh time to live; deletes', async () => {
    const { store, advance } = make();
    expect(await store.get('missing')).toBeUndefined();
    await store.claim('k', 200, 'pending');
    await store.set('k', 'accepted', 600);
    await advance(260);
    expect(await store.get('k')).toBe('accepted');
    await store.delete('k');
    expect(await store.get('k')).toBeUndefined();
    expect(await store.claim('k', 200)).toBe(true);
    await store.delete('never-set');
  });

  it('counts within a window that opens with the first increment, then starts again', async () => {
    const { store, advance } = make();
    expect(await store.count('n')).toEqual({ count: 0, remainingMs: 0 });
    expect([await store.increment('n', 300), await store.increment('n', 300), await store.increment('n', 300)]).toEqual(
      [1, 2, 3],
    );
    const open = await store.count('n');
    expect(open.count).toBe(3);
    expect(open.remainingMs).toBeGreaterThan(0);
    expect(open.remainingMs).toBeLessThanOrEqual(300);
    await advance(150);
    // Later increments do not move the window's end.
    await store.increment('n', 300);
    await advance(210);
    expect(await store.count('n')).toEqual({ count: 0, remainingMs: 0 });
    expect(await store.increment('n', 300)).toBe(1);
  });

  it('answers a ping and says it is available', async () => {
    const { store } = make();
    await expect(store.ping()).resolves.toBeUndefined();
    expect(store.available()).toBe(true);
  });
});

describe('Redis key-value store', () => {
  it('keeps the key names operators know: REDIS_KEY_PREFIX followed by the caller key', async () => {
    const keyPrefix = prefix();
    const store = new RedisKeyValueStore(redis, keyPrefix);
    await store.claim('wh:int-1:abc', 60_000, 'pending');
    await store.increment('login-fail:all', 60_000);
    expect(await redis.get(`${keyPrefix}wh:int-1:abc`)).toBe('pending');
    expect(await redis.get(`${keyPrefix}login-fail:all`)).toBe('1');
    expect(await redis.pttl(`${keyPrefix}wh:int-1:abc`)).toBeGreaterThan(59_000);
  });

  it('is shared: two stores on two connections see the same claims and counters', async () => {
    const other = createRedisClient(process.env.REDIS_URL!);
    try {
      const keyPrefix = prefix();
      const [a, b] = [new RedisKeyValueStore(redis, keyPrefix), new RedisKeyValueStore(other, keyPrefix)];
      const claims = await Promise.all([a.claim('once', 60_000), b.claim('once', 60_000)]);
      expect(claims.sort()).toEqual([false, true]);
      await a.increment('n', 60_000);
      expect(await b.increment('n', 60_000)).toBe(2);
    } finally {
      other.disconnect();
    }
  });
});

describe('memory key-value store', () => {
  it('stays within its bound: expired entries go first, then the oldest', async () => {
    let nowMs = 0;
    const store = new MemoryKeyValueStore({ now: () => nowMs, maxEntries: 3 });
    await store.claim('short', 10);
    await store.claim('a', 1000);
    await store.claim('b', 1000);
    nowMs = 20;
    await store.claim('c', 1000);
    expect(store.size).toBe(3);
    expect([await store.get('a'), await store.get('b'), await store.get('c')]).toEqual(['1', '1', '1']);
    for (let i = 0; i < 10; i++) await store.increment(`flood-${i}`, 1000);
    expect(store.size).toBe(3);
    expect(await store.get('a')).toBeUndefined();
    expect(await store.count('flood-9')).toEqual({ count: 1, remainingMs: 1000 });
  });
});

describe('fallback policies', () => {
  /** A client of a port nobody listens on: never ready; with no offline queue its commands fail at once. */
  async function deadRedis(options: { offlineQueue: boolean }): Promise<Redis> {
    const client = new Redis(`redis://127.0.0.1:${await freePort()}`, {
      enableOfflineQueue: options.offlineQueue,
      maxRetriesPerRequest: 1,
      retryStrategy: () => 200,
    });
    client.on('error', () => undefined);
    return client;
  }

  it('without Redis, the memory store alone answers', () => {
    const local = new MemoryKeyValueStore();
    expect(withFallback(undefined, local, { whileDown: 'local' })).toBe(local);
  });

  it("'local' skips a disconnected Redis: memory answers at once and nothing is reported", async () => {
    const client = await deadRedis({ offlineQueue: true });
    try {
      const failures: unknown[] = [];
      const store = new FallbackKeyValueStore(new RedisKeyValueStore(client, prefix()), new MemoryKeyValueStore(), {
        whileDown: 'local',
        onFallback: (error) => failures.push(error),
      });
      const started = Date.now();
      expect([await store.claim('m', 60_000), await store.claim('m', 60_000)]).toEqual([true, false]);
      expect(Date.now() - started).toBeLessThan(100);
      expect(failures).toEqual([]);
      expect(store.available()).toBe(false);
      expect(store.backend).toBe('redis');
      await expect(store.ping()).rejects.toThrow();
    } finally {
      client.disconnect();
    }
  });

  it("'try_shared' asks Redis first; a failed call is answered by memory and reported", async () => {
    const client = await deadRedis({ offlineQueue: false });
    try {
      const failures: unknown[] = [];
      const store = new FallbackKeyValueStore(new RedisKeyValueStore(client, prefix()), new MemoryKeyValueStore(), {
        whileDown: 'try_shared',
        onFallback: (error) => failures.push(error),
      });
      expect([await store.increment('n', 60_000), await store.increment('n', 60_000)]).toEqual([1, 2]);
      expect(failures).toHaveLength(2);
    } finally {
      client.disconnect();
    }
  });

  it('a timeout bounds the wait for a Redis that queues commands while it reconnects', async () => {
    const client = await deadRedis({ offlineQueue: true });
    try {
      const store = new FallbackKeyValueStore(new RedisKeyValueStore(client, prefix()), new MemoryKeyValueStore(), {
        whileDown: 'try_shared',
        timeoutMs: 100,
      });
      const started = Date.now();
      expect(await store.increment('n', 60_000)).toBe(1);
      expect(await store.count('n')).toMatchObject({ count: 1 });
      expect(Date.now() - started).toBeLessThan(1000);
    } finally {
      client.disconnect();
    }
  });

  it('countsFromBoth: a counter read answers the larger of the shared and the local count', async () => {
    const keyPrefix = prefix();
    const shared = new RedisKeyValueStore(redis, keyPrefix);
    const local = new MemoryKeyValueStore();
    const store = new FallbackKeyValueStore(shared, local, { whileDown: 'try_shared', countsFromBoth: true });
    for (let i = 0; i < 3; i++) await local.increment('n', 60_000);
    await store.increment('n', 60_000);
    expect((await store.count('n')).count).toBe(3);
    for (let i = 0; i < 4; i++) await store.increment('n', 60_000);
    expect((await store.count('n')).count).toBe(5);
  });
});
