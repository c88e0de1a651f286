/**
 * When EntraTokenKeeper renews (75% of the lifetime, or the credential's refresh hint if earlier), how it
 * retries a failed renewal, and that concurrent callers share one token request. Fake timers and clock;
 * the token source is a plain TokenCredential (Entra ID itself cannot run here).
 */
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';
import { EntraTokenKeeper, objectIdOf, REDIS_ENTRA_SCOPE, type RedisSignIn } from './entra-token';

class ScriptedTokens implements TokenCredential {
  calls = 0;
  failing = false;
  refreshAfterMs: number | undefined;
  constructor(private readonly lifetimeMs: number) {}

  async getToken(scopes: string | string[], _options?: GetTokenOptions): Promise<AccessToken> {
    this.calls += 1;
    expect(scopes).toBe(REDIS_ENTRA_SCOPE);
    if (this.failing) throw new Error('identity endpoint unavailable');
    const now = Date.now();
    return {
      token: `token-${this.calls}`,
      expiresOnTimestamp: now + this.lifetimeMs,
      refreshAfterTimestamp: this.refreshAfterMs === undefined ? undefined : now + this.refreshAfterMs,
    };
  }
}

beforeEach(() => jest.useFakeTimers({ now: new Date('2026-12-07T12:00:00Z') }));
afterEach(() => jest.useRealTimers());

it('renews at 75% of the token lifetime and tells its listeners', async () => {
  const tokens = new ScriptedTokens(60 * 60_000);
  const keeper = new EntraTokenKeeper({ credential: tokens, user: 'oid-1' });
  const renewed: RedisSignIn[] = [];
  keeper.onRenewed((signIn) => renewed.push(signIn));

  expect(await keeper.obtain()).toMatchObject({ user: 'oid-1', password: 'token-1' });
  await jest.advanceTimersByTimeAsync(45 * 60_000 - 1);
  expect(tokens.calls).toBe(1);
  await jest.advanceTimersByTimeAsync(1);
  expect(tokens.calls).toBe(2);
  expect(renewed.map((signIn) => signIn.password)).toEqual(['token-2']);
  expect(keeper.valid()?.password).toBe('token-2');
  keeper.stop();
});

it('renews earlier when the credential asks for it (refreshAfterTimestamp)', async () => {
  const tokens = new ScriptedTokens(60 * 60_000);
  tokens.refreshAfterMs = 30 * 60_000;
  const keeper = new EntraTokenKeeper({ credential: tokens, user: 'oid-1' });
  await keeper.obtain();
  await jest.advanceTimersByTimeAsync(30 * 60_000);
  expect(tokens.calls).toBe(2);
  keeper.stop();
});

it('retries a failed renewal with growing waits, reports each failure, and keeps the old token while it is valid', async () => {
  const tokens = new ScriptedTokens(60 * 60_000);
  const keeper = new EntraTokenKeeper({ credential: tokens, user: 'oid-1', retryMinMs: 1000, retryMaxMs: 8000 });
  const errors: string[] = [];
  keeper.onError((error) => errors.push(error.message));
  await keeper.obtain();
  tokens.failing = true;
  await jest.advanceTimersByTimeAsync(45 * 60_000);
  expect(tokens.calls).toBe(2);
  // Waits are jittered within [cap/2, cap]: 1 s, 2 s, 4 s, 8 s, 8 s ... so 30 s hold at least 5 more attempts.
  await jest.advanceTimersByTimeAsync(30_000);
  expect(tokens.calls).toBeGreaterThanOrEqual(7);
  expect(errors[0]).toBe(
    `Redis Entra ID authentication failed: could not get an access token for ${REDIS_ENTRA_SCOPE} (identity endpoint unavailable)`,
  );
  expect(keeper.valid()?.password).toBe('token-1');
  tokens.failing = false;
  await jest.advanceTimersByTimeAsync(8000);
  expect(keeper.valid()?.password).toMatch(/^token-\d+$/);
  expect(keeper.valid()?.password).not.toBe('token-1');
  keeper.stop();
});

it('shares one token request between concurrent callers and treats an almost expired token as invalid', async () => {
  const tokens = new ScriptedTokens(10_000);
  const keeper = new EntraTokenKeeper({ credential: tokens, user: 'oid-1' });
  const [a, b] = await Promise.all([keeper.obtain(), keeper.obtain()]);
  expect(tokens.calls).toBe(1);
  expect(a).toBe(b);
  keeper.stop();
  // Within the last 10% of its lifetime a token is no longer handed to a new connection.
  jest.setSystemTime(Date.now() + 9_100);
  expect(keeper.valid()).toBeUndefined();
  expect((await keeper.obtain()).password).toBe('token-2');
  keeper.stop();
});

it('renews a kept token again after a restart (stop, then obtain)', async () => {
  const tokens = new ScriptedTokens(60 * 60_000);
  const keeper = new EntraTokenKeeper({ credential: tokens, user: 'oid-1' });
  await keeper.obtain();
  keeper.stop();
  await jest.advanceTimersByTimeAsync(10 * 60_000);
  expect((await keeper.obtain()).password).toBe('token-1');
  await jest.advanceTimersByTimeAsync(35 * 60_000);
  expect(tokens.calls).toBe(2);
  keeper.stop();
});

it('reads the oid claim of a JWT and nothing from other strings', () => {
  const payload = Buffer.from(JSON.stringify({ oid: 'abc-123' })).toString('base64url');
  expect(objectIdOf(`h.${payload}.s`)).toBe('abc-123');
  expect(objectIdOf('not-a-jwt')).toBeUndefined();
  expect(objectIdOf('h.!!!.s')).toBeUndefined();
});
