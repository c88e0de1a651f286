/** Unit checks: backoff bounds (property), retry policy, token-endpoint answer classification. */
import fc from 'fast-check';
import { createServer } from 'node:http';
import { backoffDelayMs, withRetry } from '../../shared/credentials/backoff';
import { requestToken } from '../../shared/credentials/oauth/token-client';
import { AppError, isAppError } from '../../shared/core/app-error';

describe('backoff', () => {
  it('full jitter stays within [0, min(cap, base·2^(n-1))) for every attempt', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 1, max: 60_000 }),
        fc.integer({ min: 1, max: 40 }),
        fc.double({ min: 0, max: 0.999999, noNaN: true }),
        (base, cap, attempt, r) => {
          const delay = backoffDelayMs(
            { kind: 'exponential', baseDelayMs: base, maxDelayMs: cap, jitter: 'full' },
            attempt,
            () => r,
          );
          return delay >= 0 && delay < Math.max(1, Math.min(cap, base * 2 ** (attempt - 1)));
        },
      ),
    );
  });

  it('without jitter it doubles and then stays at the cap', () => {
    const s = { kind: 'exponential', baseDelayMs: 100, maxDelayMs: 1000, jitter: 'none' } as const;
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelayMs(s, n))).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it('retries retryable errors only, up to maxAttempts', async () => {
    let calls = 0;
    const policy = { maxAttempts: 3, backoff: { kind: 'fixed', delayMs: 1 } } as const;
    await expect(
      withRetry(async () => {
        calls++;
        throw new AppError('transient', 'x');
      }, policy),
    ).rejects.toMatchObject({ code: 'transient' });
    expect(calls).toBe(3);
    calls = 0;
    await expect(
      withRetry(async () => {
        calls++;
        throw new AppError('auth_revoked', 'x');
      }, policy),
    ).rejects.toMatchObject({ code: 'auth_revoked' });
    expect(calls).toBe(1);
  });
});

describe('token endpoint answers', () => {
  const answers: Array<[number, string, string]> = [];
  let url = '';
  const server = createServer((req, res) => {
    const [status, type, body] = answers.shift()!;
    res.writeHead(status, { 'content-type': type, 'retry-after': '2' });
    res.end(body);
  });
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}/token`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const call = async (status: number, type: string, body: string): Promise<unknown> => {
    answers.push([status, type, body]);
    return requestToken(
      {
        tokenEndpoint: url,
        clientId: 'c',
        clientSecret: 's',
        clientAuth: 'body',
        params: { grant_type: 'refresh_token', refresh_token: 'r' },
      },
      { timeoutMs: 2000 },
    ).catch((e: unknown) => e);
  };

  it.each([
    [400, '{"error":"invalid_grant"}', 'auth_revoked'],
    [
      200,
      '{"error":"bad_refresh_token","error_description":"The refresh token passed is incorrect or expired."}',
      'auth_revoked',
    ],
    [401, '{"error":"invalid_client"}', 'auth_revoked'],
    [429, '{}', 'rate_limited'],
    [503, '<html>down</html>', 'transient'],
    [400, '{"error":"invalid_scope"}', 'validation'],
    [200, '{"token_type":"bearer"}', 'validation'],
  ])('HTTP %i %s → %s', async (status, body, code) => {
    const error = await call(status, 'application/json', body);
    expect(isAppError(error) && error.code).toBe(code);
    expect((error as Error).message).not.toContain('incorrect or expired');
  });

  it('reads a rate-limit Retry-After and GitHub form-encoded success bodies', async () => {
    expect(await call(429, 'application/json', '{}')).toMatchObject({ retryAfterMs: 2000 });
    expect(
      await call(
        200,
        'application/x-www-form-urlencoded',
        'access_token=gho_x&token_type=bearer&expires_in=28800&refresh_token=ghr_y&scope=repo%2Cuser',
      ),
    ).toEqual({
      accessToken: 'gho_x',
      tokenType: 'bearer',
      refreshToken: 'ghr_y',
      expiresInMs: 28_800_000,
      refreshTokenExpiresInMs: undefined,
      scopes: ['repo', 'user'],
    });
  });

  it('an unreachable endpoint is transient', async () => {
    const error = await requestToken(
      { tokenEndpoint: 'http://127.0.0.1:9/token', clientAuth: 'none', params: {} },
      { timeoutMs: 1000 },
    ).catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe('transient');
  });
});
