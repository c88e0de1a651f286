/**
 * The official Notion client (@notionhq/client, oauth.token) judges the Notion sandbox's token endpoint: the
 * code exchange and a refresh in Notion's own request format succeed, a revoked refresh token is refused with
 * invalid_grant, and tokens the official client obtained refresh through our production token client too.
 */
import { Client } from '@notionhq/client';
import { requestToken } from '../../shared/credentials/oauth/token-client';
import { startNotionSandbox } from '../../dev/sandboxes/notion';
import type { RunningSandbox } from '../../dev/sandboxes';

const CLIENT = { client_id: 'sandbox-client', client_secret: 'sandbox-client-secret' };
const REDIRECT = 'http://localhost:7071/api/oauth/callback';

let sandbox: RunningSandbox;
let notion: Client;
beforeAll(async () => {
  sandbox = await startNotionSandbox({ records: 3 });
  notion = new Client({ baseUrl: sandbox.url, logLevel: undefined, logger: () => undefined });
});
afterAll(async () => sandbox.stop());

describe('Notion sandbox OAuth judged by @notionhq/client', () => {
  it('exchanges a code and refreshes through oauth.token, and our token client refreshes what it got', async () => {
    const authorize = new URL(`${sandbox.url}/v1/oauth/authorize`);
    for (const [name, value] of Object.entries({
      client_id: CLIENT.client_id,
      redirect_uri: REDIRECT,
      response_type: 'code',
      owner: 'user',
      state: 's1',
    }))
      authorize.searchParams.set(name, value);
    const consent = await fetch(authorize, { redirect: 'manual' });
    expect(consent.status).toBe(302);
    const code = new URL(consent.headers.get('location')!).searchParams.get('code')!;
    const granted = await notion.oauth.token({
      ...CLIENT,
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
    });
    expect(granted).toMatchObject({
      token_type: 'bearer',
      access_token: expect.stringMatching(/^ntn_/),
      refresh_token: expect.stringMatching(/^nrt_/),
    });

    const refreshed = await notion.oauth.token({
      ...CLIENT,
      grant_type: 'refresh_token',
      refresh_token: granted.refresh_token!,
    });
    expect(refreshed.access_token).not.toBe(granted.access_token);
    const ours = await requestToken(
      {
        tokenEndpoint: `${sandbox.url}/v1/oauth/token`,
        provider: 'notion',
        clientId: CLIENT.client_id,
        clientSecret: CLIENT.client_secret,
        clientAuth: 'basic',
        params: { grant_type: 'refresh_token', refresh_token: refreshed.refresh_token! },
      },
      { timeoutMs: 5000 },
    );
    expect(ours.accessToken).not.toBe(refreshed.access_token);
  });

  it('refuses a revoked refresh token with 400 invalid_grant, to the official client and to ours (auth_revoked)', async () => {
    const issued = sandbox.control.issueToken();
    sandbox.control.revokeRefreshTokens();
    await expect(
      notion.oauth.token({ ...CLIENT, grant_type: 'refresh_token', refresh_token: issued.refreshToken }),
    ).rejects.toMatchObject({ status: 400, body: expect.stringContaining('"error":"invalid_grant"') });
    await expect(
      requestToken(
        {
          tokenEndpoint: `${sandbox.url}/v1/oauth/token`,
          provider: 'notion',
          clientId: CLIENT.client_id,
          clientSecret: CLIENT.client_secret,
          clientAuth: 'basic',
          params: { grant_type: 'refresh_token', refresh_token: issued.refreshToken },
        },
        { timeoutMs: 5000 },
      ),
    ).rejects.toMatchObject({ code: 'auth_revoked' });
  });
});
