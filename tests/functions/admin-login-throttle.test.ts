/**
 * Failed admin sign-ins through the real AdminApi handler: per client address and global budgets, 429 with
 * Retry-After, tenant paths sharing one budget, successes free, and the budget shared by two instances
 * through Redis (or kept in memory without it).
 */
import { adminApi } from '../../functions/AdminApi';
import { httpRequest, invocation } from '../support/invoke';
import { createTestServices, TEST_ADMIN_KEY, type TestServices } from '../support/test-services';
import { addressKey, clientAddress } from '../../shared/platform/http/login-throttle';
import { startRedisServer } from '../support/redis-server';

const opened: TestServices[] = [];
afterAll(async () => Promise.all(opened.map((t) => t.services.close())));

async function services(extra: Record<string, string | undefined> = {}): Promise<TestServices> {
  const t = await createTestServices({
    ADMIN_LOGIN_FAILURES_PER_ADDRESS: '3',
    ADMIN_LOGIN_FAILURES_GLOBAL: '1000',
    REDIS_KEY_PREFIX: `alt${Date.now()}${Math.random().toString(36).slice(2, 6)}:`,
    ...extra,
  });
  opened.push(t);
  return t;
}

async function call(t: TestServices, options: { key?: string; from: string; path?: string }) {
  const path = options.path ?? 'tenants/acme/integrations';
  const headers: Record<string, string> = { 'x-forwarded-for': options.from };
  if (options.key !== undefined) headers['x-api-key'] = options.key;
  const response = await adminApi.handler(
    httpRequest('GET', `admin/${path}`, { headers, params: { path } }),
    invocation('AdminApi'),
    t.services,
  );
  return {
    status: response.status ?? 200,
    retryAfter: (response.headers as Record<string, string> | undefined)?.['retry-after'],
  };
}

const WRONG = 'wrong-key-wrong-key-0000';

describe('admin sign-in throttle', () => {
  it('answers 429 with Retry-After after N wrong keys from one address; the right key works from another address', async () => {
    const t = await services();
    const from = '203.0.113.9, 198.51.100.7';
    expect(
      [
        await call(t, { key: WRONG, from }),
        await call(t, { key: WRONG, from }),
        await call(t, { key: WRONG, from }),
      ].map((r) => r.status),
    ).toEqual([401, 401, 401]);
    const throttled = await call(t, { key: WRONG, from });
    expect(throttled.status).toBe(429);
    expect(Number(throttled.retryAfter)).toBeGreaterThan(0);
    expect(Number(throttled.retryAfter)).toBeLessThanOrEqual(600);
    // The choice: the throttled address is refused even with the right key until its window ends.
    expect((await call(t, { key: TEST_ADMIN_KEY, from })).status).toBe(429);
    expect((await call(t, { key: TEST_ADMIN_KEY, from: '198.51.100.8' })).status).toBe(200);
    // The address is the last X-Forwarded-For entry (the front end's): what the client puts first changes nothing.
    expect((await call(t, { key: WRONG, from: '203.0.113.1, 198.51.100.7' })).status).toBe(429);
  });

  it('gives no fresh budget for another tenant id in the path', async () => {
    const t = await services();
    const from = '198.51.100.20';
    const statuses = [];
    for (const tenant of ['t1', 't2', 't3', 't4', 'demo'])
      statuses.push((await call(t, { key: WRONG, from, path: `tenants/${tenant}/integrations` })).status);
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    expect((await call(t, { key: WRONG, from, path: 'rate-limits/defaults' })).status).toBe(429);
  });

  it('does not count successes or requests without a key, and does not slow the right key', async () => {
    const t = await services();
    const from = '198.51.100.30';
    for (let i = 0; i < 20; i++) expect((await call(t, { key: TEST_ADMIN_KEY, from })).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await call(t, { from })).status).toBe(401);
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await call(t, { key: WRONG, from })).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
  });

  it('throttles everyone once the global budget is spent, whatever the address', async () => {
    const t = await services({ ADMIN_LOGIN_FAILURES_PER_ADDRESS: '100', ADMIN_LOGIN_FAILURES_GLOBAL: '5' });
    for (let i = 0; i < 5; i++) expect((await call(t, { key: WRONG, from: `192.0.2.${i}` })).status).toBe(401);
    expect((await call(t, { key: WRONG, from: '192.0.2.99' })).status).toBe(429);
    expect((await call(t, { key: TEST_ADMIN_KEY, from: '192.0.2.100' })).status).toBe(429);
  });

  it('shares the budget between instances through Redis', async () => {
    const prefix = `alts${Date.now()}:`;
    const [one, two] = [await services({ REDIS_KEY_PREFIX: prefix }), await services({ REDIS_KEY_PREFIX: prefix })];
    const from = '198.51.100.40';
    expect((await call(one, { key: WRONG, from })).status).toBe(401);
    expect((await call(two, { key: WRONG, from })).status).toBe(401);
    expect((await call(one, { key: WRONG, from })).status).toBe(401);
    expect((await call(two, { key: WRONG, from })).status).toBe(429);
  });

  it('keeps throttling, in memory and without waiting, while Redis is down', async () => {
    const redis = await startRedisServer();
    try {
      const t = await services({ REDIS_URL: redis.settings.REDIS_URL });
      const from = '198.51.100.60';
      expect((await call(t, { key: WRONG, from })).status).toBe(401);
      await redis.stop();
      const statuses = [];
      const started = Date.now();
      for (let i = 0; i < 4; i++) statuses.push((await call(t, { key: WRONG, from })).status);
      expect(statuses).toEqual([401, 401, 401, 429]);
      // Each sign-in waits at most the Redis timeout twice (read, then count), not Redis' reconnect cycle.
      expect(Date.now() - started).toBeLessThan(4 * 1000);
      expect((await call(t, { key: TEST_ADMIN_KEY, from: '198.51.100.61' })).status).toBe(200);
    } finally {
      await redis.stop();
    }
  });

  it('counts in memory without Redis', async () => {
    const t = await services({ REDIS_URL: undefined });
    expect(t.services.kv.backend).toBe('memory');
    const from = '198.51.100.50';
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await call(t, { key: WRONG, from })).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
  });
});

describe('client address', () => {
  it('takes the last X-Forwarded-For entry without its port, IPv6 per /64', () => {
    const of = (value: string | null) => clientAddress((name) => (name === 'x-forwarded-for' ? value : null));
    expect(of('1.2.3.4')).toBe('1.2.3.4');
    expect(of('9.9.9.9, 1.2.3.4:5678')).toBe('1.2.3.4');
    expect(of('[2001:db8::1]:443')).toBe('2001:db8::1');
    expect(of('not an address')).toBe('unknown');
    expect(of(null)).toBe('unknown');
    expect(addressKey('2001:db8:aa:bb:1:2:3:4')).toBe(addressKey('2001:db8:aa:bb::9'));
    expect(addressKey('2001:db8:aa:bb::9')).toBe('2001:db8:aa:bb::/64');
    expect(addressKey('2001:db8:aa:bc::9')).not.toBe(addressKey('2001:db8:aa:bb::9'));
    expect(addressKey('::ffff:1.2.3.4')).toBe('1.2.3.4');
  });
});
