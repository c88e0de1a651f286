/**
 * The OAuth connect flow through the local host's real routes against a provider sandbox: start (admin),
 * the provider's authorize endpoint (redirect with a code), the callback (state check, PKCE exchange,
 * credential stored, integration connected); denied consent, a replayed state and a forged state store nothing.
 */
import { startLocalHost, type LocalHost } from '../../hosts/local/local-host';
import { testEnv, TEST_ADMIN_KEY } from '../support/test-services';
import { createMemoryLogger } from '../../shared/platform/observability/logger';
import { credentialRef } from '../../shared/app/integration-credentials';

jest.setTimeout(60_000);

let host: LocalHost;
beforeAll(async () => {
  host = await startLocalHost({
    env: testEnv({ DEMO_MODE: 'true', DEMO_RECORDS: '5' }),
    useProcessEnv: false,
    timers: false,
    overrides: { logger: createMemoryLogger('warn').logger },
  });
});
afterAll(async () => host?.stop());

type JsonResponse = Omit<Response, 'json'> & { json(): Promise<any> };
const admin = (path: string, init: RequestInit = {}): Promise<JsonResponse> =>
  fetch(`${host.url}/api/admin/${path}`, {
    ...init,
    headers: { 'x-api-key': TEST_ADMIN_KEY, 'content-type': 'application/json' },
  });

/** What each provider's adapter needs to sync: creating an integration without it is refused. */
const PROVIDER_OPTIONS: Record<string, Record<string, unknown>> = {
  github: { repositories: ['acme/widgets'] },
  notion: { dataSourceId: '0f3c2f3e-5a1b-4c2d-9e8f-123456789abc' },
};

async function createIntegration(name: string, provider = 'github'): Promise<string> {
  const answer = await admin('tenants/acme/integrations', {
    method: 'POST',
    body: JSON.stringify({ provider, name, providerOptions: PROVIDER_OPTIONS[provider] ?? {} }),
  });
  expect(answer.status).toBe(201);
  return (await answer.json()).id;
}

async function start(id: string): Promise<URL> {
  const started = await admin(`tenants/acme/integrations/${id}/oauth/start`, { method: 'POST' });
  expect(started.status).toBe(200);
  return new URL((await started.json()).authorizeUrl);
}

/** What the person's browser does: open the authorize URL and follow the redirect back to us. */
async function consent(authorizeUrl: URL): Promise<URL> {
  const answer = await fetch(authorizeUrl, { redirect: 'manual' });
  expect(answer.status).toBe(302);
  return new URL(answer.headers.get('location')!);
}

/** The callback as the browser sends it (the host listens on 127.0.0.1; the redirect names localhost). */
const callback = (redirect: URL) => fetch(`${host.url}${redirect.pathname}${redirect.search}`);

describe('OAuth connect', () => {
  it('connects an integration: PKCE, signed state, credential stored, never shown', async () => {
    const id = await createIntegration('oauth ok');
    const authorizeUrl = await start(id);
    expect(authorizeUrl.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorizeUrl.searchParams.get('redirect_uri')).toMatch(/\/api\/oauth\/callback$/);
    const redirect = await consent(authorizeUrl);
    const page = await callback(redirect);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Connected');
    const read = await host.services.credentials.service.read(credentialRef({ tenantId: 'acme', id }, 'api'));
    expect(read!.doc.credential).toMatchObject({ type: 'oauth2_authorization_code', provider: 'github' });
    expect((await host.services.integrations.get('acme', id))!.connectedAt).toEqual(expect.any(String));
    const shown = await (await admin(`tenants/acme/integrations/${id}/credentials`)).text();
    expect(shown).toContain('oauth2_authorization_code');
    if (read!.doc.credential.type === 'oauth2_authorization_code')
      expect(shown).not.toContain(read!.doc.credential.accessToken);

    // The same callback again: the state was spent.
    const replay = await callback(redirect);
    expect(replay.status).toBe(400);
    expect(await replay.text()).toContain('already used');
  });

  it('stores nothing when consent is denied, the state is forged, or the code is bad', async () => {
    const id = await createIntegration('oauth refused');
    const denied = new URL(`${host.url}/api/oauth/callback`);
    denied.searchParams.set('error', 'access_denied');
    denied.searchParams.set('state', (await start(id)).searchParams.get('state')!);
    expect((await fetch(denied)).status).toBe(400);

    const forged = await consent(await start(id));
    const [payload] = forged.searchParams.get('state')!.split('.');
    forged.searchParams.set('state', `${payload}.AAAA${'A'.repeat(39)}`);
    expect((await callback(forged)).status).toBe(400);

    const badCode = await consent(await start(id));
    badCode.searchParams.set('code', 'not-a-code');
    const page = await callback(badCode);
    expect(page.status).toBe(502);
    expect(
      await host.services.credentials.service.read(credentialRef({ tenantId: 'acme', id }, 'api')),
    ).toBeUndefined();
  });

  it('answers 404 when another tenant starts the flow', async () => {
    const id = await createIntegration('oauth isolation');
    expect((await admin(`tenants/globex/integrations/${id}/oauth/start`, { method: 'POST' })).status).toBe(404);
  });

  // Notion's token endpoint takes HTTP Basic client authentication and a JSON body, for the code and for refresh.
  it('connects and refreshes a Notion integration through the production token client (JSON + Basic)', async () => {
    const id = await createIntegration('oauth notion', 'notion');
    const page = await callback(await consent(await start(id)));
    expect(page.status).toBe(200);
    const ref = credentialRef({ tenantId: 'acme', id }, 'api');
    const stored = await host.services.credentials.service.read(ref);
    expect(stored!.doc.credential).toMatchObject({
      type: 'oauth2_authorization_code',
      provider: 'notion',
      clientAuth: 'basic',
      refreshToken: expect.stringMatching(/^nrt_/),
    });
    const refreshed = await host.services.credentials.refresher.refreshOne(ref, { force: true });
    expect(refreshed).toMatchObject({ outcome: 'refreshed', by: 'self' });
    const after = await host.services.credentials.service.read(ref, { fresh: true });
    const before =
      stored!.doc.credential.type === 'oauth2_authorization_code' ? stored!.doc.credential.accessToken : '';
    expect(after!.doc.credential.type === 'oauth2_authorization_code' && after!.doc.credential.accessToken).not.toBe(
      before,
    );

    // The sandbox still refuses what the real Notion refuses: the same grant as a form body.
    const notion = host.demo!.sandboxes.find((sandbox) => sandbox.control.provider === 'notion')!;
    const refreshToken =
      after!.doc.credential.type === 'oauth2_authorization_code' ? after!.doc.credential.refreshToken! : '';
    const form = await fetch(`${notion.url}/v1/oauth/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from('sandbox-client:sandbox-client-secret').toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }).toString(),
    });
    expect(form.status).toBe(400);
  });
});
