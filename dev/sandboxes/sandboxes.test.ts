/**
 * Sandboxes over real HTTP: start by provider id, the /__sandbox/ admin endpoints, GitHub's OAuth web flow
 * with PKCE and rotating refresh tokens, GitHub webhook signing (documented vector) and the 100,000 default.
 */
import { createHash, createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { isAppError } from '../../shared/core/app-error';
import { SANDBOX_CLIENT } from './common/oauth';
import type { RunningSandbox } from './common/types';
import { githubSignature256 } from './github/webhook';
import { availableSandboxes, startSandbox } from './index';

let sandbox: RunningSandbox | undefined;
afterEach(async () => {
  await sandbox?.stop();
  sandbox = undefined;
});

const json = async (response: Response) => ({
  status: response.status,
  body: (await response.json()) as Record<string, unknown>,
});

describe('startSandbox', () => {
  it('starts GitHub and Notion by id and refuses unknown providers with not_found', async () => {
    expect(availableSandboxes()).toEqual(expect.arrayContaining(['github', 'notion']));
    sandbox = await startSandbox('notion', { records: 5 });
    expect(sandbox.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(() => startSandbox('myspace')).toThrow(expect.objectContaining({ code: 'not_found' }));
    try {
      startSandbox('myspace');
    } catch (error) {
      expect(isAppError(error)).toBe(true);
    }
  });

  it('holds 100,000 issues by default and pages deep into them quickly', async () => {
    sandbox = await startSandbox('github');
    expect(sandbox.control.records.count('issues')).toBe(100_000);
    const token = sandbox.control.issueToken().accessToken;
    const started = Date.now();
    const response = await fetch(
      `${sandbox.url}/repos/acme/widgets/issues?state=all&sort=updated&direction=asc&per_page=100&page=900`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    const items = (await response.json()) as { number: number }[];
    expect(items[0]!.number).toBe(89_901);
    expect(response.headers.get('link')).toContain('rel="next"');
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe('admin endpoints', () => {
  it('injects faults, changes records and counts calls over HTTP', async () => {
    sandbox = await startSandbox('github', { records: 10 });
    const token = sandbox.control.issueToken().accessToken;
    const auth = { authorization: `Bearer ${token}` };
    const post = (path: string, body: unknown) =>
      fetch(`${sandbox!.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });

    expect((await post('/__sandbox/faults', { kind: 'server_error', status: 502, count: 2 })).status).toBe(201);
    expect((await post('/__sandbox/faults', { kind: 'bogus' })).status).toBe(400);
    expect((await fetch(`${sandbox.url}/user`, { headers: auth })).status).toBe(502);
    expect((await fetch(`${sandbox.url}/user`, { headers: auth })).status).toBe(502);
    expect((await fetch(`${sandbox.url}/user`, { headers: auth })).status).toBe(200);

    const created = await json(
      await post('/__sandbox/records', { entity: 'issues', op: 'create', fields: { title: 'from admin' } }),
    );
    expect(created).toMatchObject({
      status: 201,
      body: { title: 'from admin', number: 11, recordId: 'acme/widgets#11' },
    });
    expect(
      (
        await post('/__sandbox/records', {
          entity: 'issues',
          op: 'update',
          id: 'acme/widgets#11',
          fields: { title: 'renamed' },
        })
      ).status,
    ).toBe(200);
    const read = await json(
      await fetch(`${sandbox.url}/__sandbox/records?entity=issues&id=${encodeURIComponent('acme/widgets#11')}`),
    );
    expect(read.body.title).toBe('renamed');
    expect((await post('/__sandbox/records', { entity: 'issues', op: 'delete', id: 'acme/widgets#11' })).status).toBe(
      204,
    );
    expect((await fetch(`${sandbox.url}/repos/acme/widgets/issues/11`, { headers: auth })).status).toBe(410);

    const calls = await json(await fetch(`${sandbox.url}/__sandbox/calls`));
    expect(calls.body).toMatchObject({
      total: 4,
      byRoute: { 'GET /user': 3, 'GET /repos/:owner/:repo/issues/:number': 1 },
      byStatus: { '502': 2, '410': 1 },
    });

    const minted = await json(await post('/__sandbox/tokens', { expiresInMs: 60_000 }));
    expect(String(minted.body.accessToken)).toMatch(/^ghu_/);
    expect((await post('/__sandbox/tokens/expire', {})).status).toBe(204);
    expect(
      (await fetch(`${sandbox.url}/user`, { headers: { authorization: `Bearer ${String(minted.body.accessToken)}` } }))
        .status,
    ).toBe(401);
  });

  it('holds a request without answering for a timeout fault', async () => {
    sandbox = await startSandbox('notion', { records: 3 });
    sandbox.control.injectFault({ kind: 'timeout' });
    const token = sandbox.control.issueToken().accessToken;
    const outcome = await fetch(`${sandbox.url}/v1/users/me`, {
      headers: { authorization: `Bearer ${token}`, 'notion-version': '2025-09-03' },
      signal: AbortSignal.timeout(300),
    }).then(
      () => 'answered',
      () => 'no answer',
    );
    expect(outcome).toBe('no answer');
  });
});

describe('GitHub OAuth web flow', () => {
  const form = (values: Record<string, string>) => ({
    method: 'POST',
    headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(values).toString(),
  });

  it('exchanges a PKCE code, rotates refresh tokens, and answers failures with HTTP 200 + error', async () => {
    sandbox = await startSandbox('github', { records: 3 });
    const verifier = 'a-long-random-verifier-string-0123456789abcdef';
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const authorize = new URL(`${sandbox.url}/login/oauth/authorize`);
    Object.entries({
      client_id: SANDBOX_CLIENT.clientId,
      redirect_uri: 'http://127.0.0.1:9/cb',
      state: 'xyz',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    }).forEach(([k, v]) => authorize.searchParams.set(k, v));
    const redirect = await fetch(authorize, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    const location = new URL(redirect.headers.get('location')!);
    expect(location.searchParams.get('state')).toBe('xyz');
    const code = location.searchParams.get('code')!;
    const client = { client_id: SANDBOX_CLIENT.clientId, client_secret: SANDBOX_CLIENT.clientSecret };

    const wrongVerifier = await json(
      await fetch(
        `${sandbox.url}/login/oauth/access_token`,
        form({ ...client, code, code_verifier: 'nope', redirect_uri: 'http://127.0.0.1:9/cb' }),
      ),
    );
    expect(wrongVerifier).toMatchObject({ status: 200, body: { error: 'bad_verification_code' } });

    // The failed attempt used the code up: start again.
    const again = new URL((await fetch(authorize, { redirect: 'manual' })).headers.get('location')!).searchParams.get(
      'code',
    )!;
    const tokens = await json(
      await fetch(
        `${sandbox.url}/login/oauth/access_token`,
        form({ ...client, code: again, code_verifier: verifier, redirect_uri: 'http://127.0.0.1:9/cb' }),
      ),
    );
    expect(tokens).toMatchObject({
      status: 200,
      body: { token_type: 'bearer', expires_in: 28800, refresh_token_expires_in: 15897600 },
    });
    const { access_token: access, refresh_token: refresh } = tokens.body as {
      access_token: string;
      refresh_token: string;
    };

    const refreshed = await json(
      await fetch(
        `${sandbox.url}/login/oauth/access_token`,
        form({ ...client, grant_type: 'refresh_token', refresh_token: refresh }),
      ),
    );
    expect(refreshed.body.refresh_token).not.toBe(refresh);
    // Using a refresh token invalidates it and the access token it came with.
    expect((await fetch(`${sandbox.url}/user`, { headers: { authorization: `Bearer ${access}` } })).status).toBe(401);
    expect(
      (
        await fetch(`${sandbox.url}/user`, {
          headers: { authorization: `Bearer ${String(refreshed.body.access_token)}` },
        })
      ).status,
    ).toBe(200);
    const reused = await json(
      await fetch(
        `${sandbox.url}/login/oauth/access_token`,
        form({ ...client, grant_type: 'refresh_token', refresh_token: refresh }),
      ),
    );
    expect(reused).toMatchObject({ status: 200, body: { error: 'bad_refresh_token' } });

    const formEncoded = await fetch(`${sandbox.url}/login/oauth/access_token`, {
      ...form({ ...client, client_secret: 'wrong', grant_type: 'refresh_token', refresh_token: 'x' }),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(new URLSearchParams(await formEncoded.text()).get('error')).toBe('incorrect_client_credentials');
  });
});

describe('GitHub webhooks', () => {
  it('signs like GitHub (documented vector)', () => {
    expect(githubSignature256("It's a Secret to Everybody", 'Hello, World!')).toBe(
      'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17',
    );
  });

  it('delivers signed issues events with a delivery GUID when records change', async () => {
    const received: { headers: Record<string, string | string[] | undefined>; body: string }[] = [];
    const receiver: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;
      sandbox = await startSandbox('github', { records: 3, webhookUrl: url, webhookSecret: 'shh' });
      sandbox.control.records.update('issues', 'acme/widgets#2', { state: 'closed', state_reason: 'not_planned' });
      await sandbox.control.flushWebhooks();
      const [delivery] = received;
      expect(delivery!.headers['x-github-event']).toBe('issues');
      expect(delivery!.headers['x-github-delivery']).toMatch(/^[0-9a-f-]{36}$/);
      expect(delivery!.headers['x-hub-signature-256']).toBe(
        `sha256=${createHmac('sha256', 'shh').update(delivery!.body).digest('hex')}`,
      );
      expect(JSON.parse(delivery!.body)).toMatchObject({
        action: 'closed',
        issue: { number: 2, state_reason: 'not_planned' },
        repository: { full_name: 'acme/widgets' },
      });
      expect(sandbox.control.webhookDeliveries()).toMatchObject([{ event: 'issues', status: 204 }]);
    } finally {
      await new Promise((resolve) => receiver.close(resolve));
    }
  });
});
