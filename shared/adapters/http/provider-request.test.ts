/** The shared provider client against a scripted node:http server: status mapping, 401 retry, hooks, URLs. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AdapterContext } from '../contract';
import { providerRequest } from './provider-request';
import { parseRetryAfterMs } from './retry-after';
import type { ProviderHttpProfile } from './types';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

let server: Server;
let baseUrl: string;
let handler: Handler;
const seen: { url: string; authorization?: string }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({ url: req.url ?? '', authorization: req.headers.authorization });
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}/api`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));
beforeEach(() => (seen.length = 0));

const profile: ProviderHttpProfile = { provider: 'github' };
const reply =
  (status: number, body: unknown, headers: Record<string, string> = {}): Handler =>
  (_req, res) => {
    res
      .writeHead(status, { 'content-type': 'application/json', ...headers })
      .end(body === undefined ? '' : JSON.stringify(body));
  };

function context(overrides: Partial<AdapterContext> = {}): AdapterContext {
  let token = 'one';
  return {
    baseUrl,
    options: {},
    requestTimeoutMs: 2000,
    auth: {
      headers: async () => ({ authorization: `Bearer ${token}` }),
      onUnauthorized: async () => {
        token = 'two';
        return true;
      },
    },
    ...overrides,
  };
}

const call = (ctx: AdapterContext, extra: Record<string, unknown> = {}) =>
  providerRequest(ctx, profile, {
    operation: 'things.list',
    path: '/things',
    query: { a: 1, skip: undefined },
    ...extra,
  });

describe('providerRequest', () => {
  it('joins base URL and path, drops undefined query values and parses JSON', async () => {
    handler = reply(200, { ok: 1 });
    const response = await call(context());
    expect(response.body).toEqual({ ok: 1 });
    expect(seen[0]!.url).toBe('/api/things?a=1');
  });

  it.each([
    [404, 'not_found', false],
    [410, 'not_found', false],
    [409, 'conflict', false],
    [412, 'conflict', false],
    [422, 'validation', false],
    [500, 'transient', true],
    [503, 'transient', true],
  ])('maps HTTP %i to %s (retryable %s) with the provider message', async (status, code, retryable) => {
    handler = reply(status, { message: `provider says ${status}` });
    await expect(call(context())).rejects.toMatchObject({
      code,
      retryable,
      message: expect.stringContaining(`provider says ${status}`),
      details: { providerStatus: status },
    });
  });

  it('maps 429 with an HTTP-date Retry-After to rate_limited and reports the signal', async () => {
    const signals: unknown[] = [];
    handler = reply(429, { message: 'slow down' }, { 'retry-after': new Date(Date.now() + 5000).toUTCString() });
    const error = await call(context({ onRateLimitSignal: (signal) => signals.push(signal) })).catch(
      (e: { code: string; retryAfterMs: number }) => e,
    );
    expect(error).toMatchObject({ code: 'rate_limited' });
    expect((error as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(3000);
    expect(signals).toHaveLength(1);
  });

  it('maps invalid_grant in any status to auth_revoked (not retryable)', async () => {
    handler = reply(400, { error: 'invalid_grant', error_description: 'revoked' });
    await expect(call(context())).rejects.toMatchObject({ code: 'auth_revoked', retryable: false });
  });

  it('retries a 401 once with refreshed headers, then gives auth_expired', async () => {
    handler = (req, res) => reply(req.headers.authorization === 'Bearer two' ? 200 : 401, { n: 1 })(req, res);
    await expect(call(context())).resolves.toMatchObject({ status: 200 });
    expect(seen.map((entry) => entry.authorization)).toEqual(['Bearer one', 'Bearer two']);
    seen.length = 0;
    handler = reply(401, { message: 'Bad credentials' });
    await expect(call(context())).rejects.toMatchObject({ code: 'auth_expired' });
    expect(seen).toHaveLength(2);
  });

  it('treats a cut JSON body as transient, and declared statuses as answers', async () => {
    handler = (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"items":[1,2');
    await expect(call(context())).rejects.toMatchObject({
      code: 'transient',
      message: expect.stringContaining('truncated'),
    });
    handler = reply(304, undefined);
    await expect(call(context(), { acceptStatuses: [304] })).resolves.toMatchObject({ status: 304 });
  });

  it('refuses a response body above the limit', async () => {
    handler = reply(200, { blob: 'x'.repeat(5000) });
    await expect(call(context(), { maxResponseBytes: 1000 })).rejects.toMatchObject({
      code: 'validation',
      details: { maxResponseBytes: 1000 },
    });
  });

  it('refuses absolute URLs on another origin (a Link header must not receive our token)', async () => {
    handler = reply(200, {});
    await expect(call(context(), { path: 'http://127.0.0.2:1/steal' })).rejects.toMatchObject({ code: 'validation' });
    expect(seen).toHaveLength(0);
  });

  it('times out a request that gets no answer', async () => {
    handler = () => undefined; // never answers
    const started = Date.now();
    await expect(call(context({ requestTimeoutMs: 150 }))).rejects.toMatchObject({
      code: 'transient',
      details: { timeoutMs: 150 },
    });
    expect(Date.now() - started).toBeLessThan(1500);
  });
});

describe('parseRetryAfterMs', () => {
  it('reads delta seconds and dates, and ignores junk', () => {
    expect(parseRetryAfterMs('7')).toBe(7000);
    expect(parseRetryAfterMs('Wed, 21 Oct 2015 07:28:00 GMT', Date.parse('Wed, 21 Oct 2015 07:27:00 GMT'))).toBe(
      60_000,
    );
    expect(parseRetryAfterMs('soon')).toBeUndefined();
    expect(parseRetryAfterMs(null)).toBeUndefined();
  });
});
