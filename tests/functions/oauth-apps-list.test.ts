/**
 * GET /api/admin/oauth-apps: which providers have an OAuth client registered, with the client id and endpoint
 * overrides, never the client secret (it stays in the secret store; the console's Provider apps page reads this).
 */
import { adminApi } from '../../functions/AdminApi';
import type { OAuthAppListResponse } from '../../shared/admin/contracts/config';
import { createTestServices, TEST_ADMIN_KEY, type TestServices } from '../support/test-services';
import { bodyOf, httpRequest, invocation } from '../support/invoke';

let t: TestServices;
beforeAll(async () => {
  t = await createTestServices();
});
afterAll(async () => {
  await t.services.close();
});

async function admin(method: string, path: string, body?: unknown, key = TEST_ADMIN_KEY) {
  const response = await adminApi.handler(
    httpRequest(method, `admin/${path}`, { body, headers: { 'x-api-key': key }, params: { path } }),
    invocation('AdminApi'),
    t.services,
  );
  return { status: response.status ?? 200, text: JSON.stringify(bodyOf(response) ?? null), body: bodyOf(response) };
}

it('lists every provider, says which are configured, shows the client id and never the secret', async () => {
  const secret = 'oauth-client-secret-that-must-not-leak-4f1c';
  const before = (await admin('GET', 'oauth-apps')).body as OAuthAppListResponse;
  expect(before.items.map((item) => item.provider).sort()).toEqual([
    'github',
    'google',
    'notion',
    'salesforce',
    'slack',
  ]);
  expect(
    (
      await admin('PUT', 'oauth-apps/notion', {
        clientId: 'notion-client-id',
        clientSecret: secret,
        tokenUrl: 'https://api.notion.com/v1/oauth/token',
        scopes: ['read_content', 'update_content'],
      })
    ).status,
  ).toBe(204);
  const after = await admin('GET', 'oauth-apps');
  expect(after.status).toBe(200);
  expect(after.text).not.toContain(secret);
  expect(after.text).not.toContain('clientSecret');
  const notion = (after.body as OAuthAppListResponse).items.find((item) => item.provider === 'notion');
  expect(notion).toMatchObject({
    provider: 'notion',
    configured: true,
    clientId: 'notion-client-id',
    tokenUrl: 'https://api.notion.com/v1/oauth/token',
    scopes: ['read_content', 'update_content'],
  });
  expect(Date.parse(notion!.updatedAt!)).not.toBeNaN();
  // Replacing the registration replaces what is shown.
  await admin('PUT', 'oauth-apps/notion', { clientId: 'notion-client-2', clientSecret: `${secret}-2` });
  const replaced = await admin('GET', 'oauth-apps');
  expect(replaced.text).not.toContain(secret);
  expect((replaced.body as OAuthAppListResponse).items.find((item) => item.provider === 'notion')).toEqual(
    expect.objectContaining({ clientId: 'notion-client-2', configured: true }),
  );
  expect(
    (replaced.body as OAuthAppListResponse).items.find((item) => item.provider === 'notion')!.tokenUrl,
  ).toBeUndefined();
});

it('needs the admin credential', async () => {
  expect((await admin('GET', 'oauth-apps', undefined, 'not-the-admin-key-at-all')).status).toBe(401);
});
