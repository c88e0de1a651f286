/** DirectScript against a private redis-server (it flushes the script cache, which other tests must not see). */
import Redis from 'ioredis';
import { startRedisServer } from '../../../../tests/support/redis-server';
import { DirectScript } from './direct-script';

let server: Awaited<ReturnType<typeof startRedisServer>>;
let redis: Redis;
beforeAll(async () => {
  server = await startRedisServer();
  redis = new Redis(server.settings.REDIS_URL!, { enableAutoPipelining: true });
  await redis.ping();
});
afterAll(async () => {
  redis.disconnect();
  await server.stop();
});

const echo = new DirectScript(`return {KEYS[1], ARGV[1], redis.call('INCR', KEYS[1])}`);

it('runs the script and answers each call, also for a burst sent in one tick', async () => {
  expect(await echo.call(redis, [1, 'ds:one', 'a'])).toEqual(['ds:one', 'a', 1]);
  const answers = await Promise.all(
    Array.from({ length: 200 }, (_, i) => echo.call<[string, string, number]>(redis, [1, 'ds:burst', String(i)])),
  );
  expect(answers.map(([, arg]) => arg)).toEqual(Array.from({ length: 200 }, (_, i) => String(i)));
  // Sent in order, so executed in order: the counter went up by one per call.
  expect(answers.map(([, , count]) => count)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
});

it('holds the writes of one loop iteration in the socket and sends them together after its I/O', async () => {
  const pending = [
    echo.call<[string, string, number]>(redis, [1, 'ds:cork', 'x']),
    echo.call<[string, string, number]>(redis, [1, 'ds:cork', 'y']),
  ];
  expect(redis.stream.writableCorked).toBe(1);
  // Still held after this tick (calls made by other requests' callbacks in the same iteration join them)…
  await new Promise((resolve) => process.nextTick(resolve));
  expect(redis.stream.writableCorked).toBe(1);
  // …and sent once the iteration's ready I/O has been handled.
  await new Promise((resolve) => setImmediate(resolve));
  expect(redis.stream.writableCorked).toBe(0);
  expect((await Promise.all(pending)).map(([, arg]) => arg)).toEqual(['x', 'y']);
});

it('reloads the script with EVAL when the server no longer knows it (restart, SCRIPT FLUSH)', async () => {
  await echo.call(redis, [1, 'ds:flush', 'before']);
  await redis.script('FLUSH');
  expect(await redis.script('EXISTS', echo.sha)).toEqual([0]);
  expect(await echo.call(redis, [1, 'ds:flush', 'after'])).toEqual(['ds:flush', 'after', 2]);
  expect(await redis.script('EXISTS', echo.sha)).toEqual([1]);
});

it('passes script errors through without retrying them', async () => {
  const failing = new DirectScript(`return redis.error_reply('LIMITER broken argument ' .. ARGV[1])`);
  await expect(failing.call(redis, [0, 'x'])).rejects.toMatchObject({
    name: 'ReplyError',
    message: 'LIMITER broken argument x',
  });
  await expect(failing.call(redis, [0, 'y'])).rejects.toMatchObject({ message: 'LIMITER broken argument y' });
});
