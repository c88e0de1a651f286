/**
 * The outbound rule where it matters: when the socket opens. Real local servers count the connections and
 * requests they get; the resolver seam maps an allowed-looking name to the address a rebinding attacker
 * would choose. Redirects are answers, never followed, and a token endpoint's 307 does not get the secret.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { requestToken } from '../../credentials/oauth/token-client';
import { postWithRetries } from '../../notifications/channels/http-send';
import { providerRequest } from '../../adapters/http/provider-request';
import { configureOutbound, outboundFetch, type OutboundResolver } from './outbound-fetch';

interface Recorder {
  url: string;
  port: number;
  connections: number;
  requests: Array<{ method: string; path: string; headers: Record<string, unknown>; body: string }>;
  server: Server;
}

async function recorder(
  answer: (path: string) => { status: number; headers?: Record<string, string>; body?: string },
): Promise<Recorder> {
  const state = { connections: 0, requests: [] as Recorder['requests'] };
  const server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += String(chunk);
    state.requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
    const reply = answer(req.url ?? '');
    res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
    res.end(reply.body ?? '{}');
  });
  server.on('connection', () => state.connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, { url: `http://127.0.0.1:${port}`, port, server }) as Recorder;
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
  configureOutbound({ allowLoopback: true, extraHosts: [] });
});

const mapTo =
  (addresses: string[]): OutboundResolver =>
  (_host, callback) =>
    callback(
      null,
      addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })),
    );

describe('connect-time address check', () => {
  it('refuses an allowed name that resolves to a loopback address: nothing connects', async () => {
    const target = await recorder(() => ({ status: 200 }));
    servers.push(target.server);
    configureOutbound({ allowLoopback: false, extraHosts: ['ghe.example.test'], resolver: mapTo(['127.0.0.1']) });
    const sent = outboundFetch(
      `https://ghe.example.test:${target.port}/api/v3`,
      { headers: { authorization: 'Bearer secret-token' } },
      { allowedHosts: [], field: 'baseUrl' },
    );
    await expect(sent).rejects.toMatchObject({
      code: 'validation',
      target: 'baseUrl',
      details: { outbound: 'refused' },
    });
    expect(target.connections).toBe(0);
  });

  it('the same name with the local exception does connect (so the refusal above is the check, not TLS)', async () => {
    const target = await recorder(() => ({ status: 200 }));
    servers.push(target.server);
    configureOutbound({ allowLoopback: true, extraHosts: ['ghe.example.test'], resolver: mapTo(['127.0.0.1']) });
    // The server speaks plain http, so the TLS handshake fails after the socket opened.
    await expect(
      outboundFetch(`https://ghe.example.test:${target.port}/`, {}, { allowedHosts: [], field: 'baseUrl' }),
    ).rejects.toThrow();
    expect(target.connections).toBe(1);
  });

  it.each([['10.0.0.5'], ['169.254.169.254'], ['::ffff:127.0.0.1'], ['fd00::1']])(
    'refuses an answer with %s, even beside a public address',
    async (bad) => {
      configureOutbound({
        allowLoopback: false,
        extraHosts: ['ghe.example.test'],
        resolver: mapTo(['140.82.112.6', bad]),
      });
      await expect(
        outboundFetch('https://ghe.example.test/', {}, { allowedHosts: [], field: 'baseUrl' }),
      ).rejects.toMatchObject({ target: 'baseUrl', details: { outbound: 'refused' } });
    },
  );
});

describe('redirects', () => {
  it('a 302 to another host is returned, not followed', async () => {
    const other = await recorder(() => ({ status: 200 }));
    const first = await recorder(() => ({ status: 302, headers: { location: `${other.url}/stolen` } }));
    servers.push(other.server, first.server);
    const response = await outboundFetch(
      `${first.url}/start`,
      { headers: { authorization: 'Bearer t' } },
      { allowedHosts: [], field: 'baseUrl' },
    );
    expect(response.status).toBe(302);
    expect(other.requests).toHaveLength(0);
  });

  it('a provider answering 302 to another host fails the request; the bearer token never reaches that host', async () => {
    const other = await recorder(() => ({ status: 200 }));
    const provider = await recorder(() => ({ status: 302, headers: { location: `${other.url}/repos` } }));
    servers.push(other.server, provider.server);
    const context = {
      baseUrl: provider.url,
      options: {},
      requestTimeoutMs: 5000,
      auth: { headers: async () => ({ authorization: 'Bearer ghp_secret' }) },
    };
    await expect(
      providerRequest(context, { provider: 'github' }, { operation: 'repos.list', path: '/repos' }),
    ).rejects.toMatchObject({ name: 'AppError' });
    expect(provider.requests[0]!.headers.authorization).toBe('Bearer ghp_secret');
    expect(other.connections).toBe(0);
  });

  it("a token endpoint's 307 does not re-send the client secret", async () => {
    const other = await recorder(() => ({ status: 200, body: JSON.stringify({ access_token: 'x' }) }));
    const token = await recorder(() => ({ status: 307, headers: { location: `${other.url}/token` } }));
    servers.push(other.server, token.server);
    const request = {
      tokenEndpoint: `${token.url}/token`,
      clientId: 'client-id',
      clientSecret: 'client-secret-value',
      clientAuth: 'body' as const,
      params: { grant_type: 'refresh_token', refresh_token: 'rt-1' },
    };
    await expect(requestToken(request, { timeoutMs: 5000 })).rejects.toMatchObject({
      code: 'validation',
      details: { httpStatus: 307 },
    });
    expect(token.requests).toHaveLength(1);
    expect(token.requests[0]!.body).toContain('client_secret=client-secret-value');
    expect(other.requests).toHaveLength(0);
    // Basic client authentication too: the Authorization header is not replayed to the other host.
    await expect(requestToken({ ...request, clientAuth: 'basic' }, { timeoutMs: 5000 })).rejects.toMatchObject({
      code: 'validation',
    });
    expect(other.requests).toHaveLength(0);
  });
});

describe('callers', () => {
  it('a token endpoint outside the rule is refused before anything is sent, naming tokenEndpoint', async () => {
    configureOutbound({ allowLoopback: false, extraHosts: [] });
    for (const endpoint of ['file:///etc/passwd', 'http://169.254.169.254/token', 'https://evil.example.com/token']) {
      await expect(
        requestToken(
          {
            tokenEndpoint: endpoint,
            clientId: 'id',
            clientSecret: 's',
            clientAuth: 'body',
            params: { grant_type: 'client_credentials' },
          },
          { timeoutMs: 2000 },
        ),
      ).rejects.toMatchObject({
        code: 'validation',
        target: 'tokenEndpoint',
      });
    }
  });

  it('a notification to a refused target fails at once, without retries', async () => {
    const target = await recorder(() => ({ status: 200 }));
    servers.push(target.server);
    configureOutbound({ allowLoopback: false, extraHosts: [] });
    const outcome = await postWithRetries(
      { url: `${target.url}/hook`, body: { text: 'hi' }, allowedHosts: ['hooks.slack.com'], field: 'url' },
      { timeoutMs: 2000, maxAttempts: 4, maxRetryWaitMs: 1000 },
    );
    expect(outcome).toMatchObject({ ok: false, attempts: 1, retryable: false });
    expect(target.connections).toBe(0);
  });
});
