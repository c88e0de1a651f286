/**
 * What the production token client puts on the wire per provider, against the providers' published references
 * (written out here, not read from TOKEN_ENDPOINT_WIRE, so a wrong table fails): Notion JSON + HTTP Basic; GitHub,
 * Slack, Google and Salesforce a form with the client in the body and Accept: application/json. Then a refresh
 * through the same client against each provider's sandbox succeeds.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { requestToken } from '../../shared/credentials/oauth/token-client';
import { OAUTH_PROVIDERS, SANDBOX_OAUTH_PATHS } from '../../shared/credentials/connect/providers';
import { startSandbox } from '../../dev/sandboxes';
import { PROVIDER_IDS, type ProviderId } from '../../shared/core/providers';

const REFERENCE: Record<ProviderId, { type: string; basic: boolean }> = {
  github: { type: 'application/x-www-form-urlencoded', basic: false },
  slack: { type: 'application/x-www-form-urlencoded', basic: false },
  notion: { type: 'application/json', basic: true },
  google: { type: 'application/x-www-form-urlencoded', basic: false },
  salesforce: { type: 'application/x-www-form-urlencoded', basic: false },
};

describe('token requests as each provider expects them', () => {
  let seen: { headers: IncomingHttpHeaders; body: string } | undefined;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      seen = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ access_token: 'at-wire-test-123', token_type: 'bearer' }));
    });
  });
  let url = '';
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it.each(PROVIDER_IDS)('%s', async (provider) => {
    const reference = REFERENCE[provider];
    await requestToken(
      {
        tokenEndpoint: url,
        provider,
        clientId: 'cid',
        clientSecret: 'csecret',
        clientAuth: OAUTH_PROVIDERS[provider].clientAuth,
        params: { grant_type: 'refresh_token', refresh_token: 'rt-1' },
      },
      { timeoutMs: 5000 },
    );
    expect(seen!.headers['content-type']).toBe(reference.type);
    expect(seen!.headers.accept).toBe('application/json');
    const fields =
      reference.type === 'application/json'
        ? (JSON.parse(seen!.body) as Record<string, string>)
        : Object.fromEntries(new URLSearchParams(seen!.body));
    expect(fields).toMatchObject({ grant_type: 'refresh_token', refresh_token: 'rt-1' });
    if (reference.basic) {
      expect(seen!.headers.authorization).toBe(`Basic ${Buffer.from('cid:csecret').toString('base64')}`);
      expect(fields).not.toHaveProperty('client_secret');
    } else {
      expect(seen!.headers.authorization).toBeUndefined();
      expect(fields).toMatchObject({ client_id: 'cid', client_secret: 'csecret' });
    }
  });
});

describe('refresh through the production token client against each sandbox', () => {
  it.each(PROVIDER_IDS)('%s', async (provider) => {
    const sandbox = await startSandbox(provider, { records: 3 });
    try {
      const issued = sandbox.control.issueToken();
      const tokens = await requestToken(
        {
          tokenEndpoint: `${sandbox.url}${SANDBOX_OAUTH_PATHS[provider].token}`,
          provider,
          clientId: 'sandbox-client',
          clientSecret: 'sandbox-client-secret',
          clientAuth: OAUTH_PROVIDERS[provider].clientAuth,
          params: { grant_type: 'refresh_token', refresh_token: issued.refreshToken },
        },
        { timeoutMs: 5000 },
      );
      expect(tokens.accessToken).not.toBe(issued.accessToken);
      expect(sandbox.control.calls().byStatus).toEqual({ '200': 1 });
    } finally {
      await sandbox.stop();
    }
  });
});
