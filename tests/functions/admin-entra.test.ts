/**
 * Entra admin mode through the real AdminApi handler: tokens signed with a local JWKS, the real settings
 * parser, the real services on the local Cosmos. Authentication (401) and authorization by app role (403):
 * Sync.Admin reaches every tenant and the tenant-less routes, Sync.Tenant.<id> only its own tenant's routes.
 */
import { randomBytes } from 'node:crypto';
import { adminApi } from '../../functions/AdminApi';
import { createTestServices, type TestServices } from '../support/test-services';
import { bodyOf, httpRequest, invocation } from '../support/invoke';
import {
  APP_ID,
  APP_ID_URI,
  OTHER_DIRECTORY,
  startEntraStandIn,
  V1_ISSUER,
  V2_ISSUER,
  type EntraStandIn,
  type TokenClaims,
} from '../support/entra-standin';

let entra: EntraStandIn;
let t: TestServices;
beforeAll(async () => {
  entra = await startEntraStandIn();
  // Own key prefix: the failed sign-ins of this file count against no other file's budget.
  t = await createTestServices({ ...entra.settings(), REDIS_KEY_PREFIX: `entra-${randomBytes(4).toString('hex')}:` });
});
afterAll(async () => {
  await t.services.close();
  await entra.stop();
});

async function call(method: string, path: string, claims: TokenClaims | string, body?: unknown) {
  const jwt = typeof claims === 'string' ? claims : await entra.token(claims);
  const headers = { authorization: `Bearer ${jwt}` };
  const response = await adminApi.handler(
    httpRequest(method, `admin/${path}`, { body, headers, params: { path } }),
    invocation('AdminApi'),
    t.services,
  );
  return { status: response.status ?? 200, body: bodyOf(response) as Record<string, any> };
}

const admin: TokenClaims = { roles: ['Sync.Admin'] };
const acmeOperator: TokenClaims = { oid: 'acme-operator', roles: ['Sync.Tenant.acme'] };

describe('AdminApi in entra mode: app roles', () => {
  let globexIntegration: string;
  beforeAll(async () => {
    const created = await call('POST', 'tenants/globex/integrations', admin, {
      provider: 'github',
      name: 'Globex engineering',
      providerOptions: { repositories: ['acme/widgets'] },
    });
    expect(created.status).toBe(201);
    globexIntegration = created.body.id;
  });

  it('lets Sync.Admin reach every tenant and the routes without a tenant', async () => {
    expect(
      (
        await call('POST', 'tenants/acme/integrations', admin, {
          provider: 'notion',
          name: 'Acme wiki',
          providerOptions: { dataSourceId: '0f3c2f3e-5a1b-4c2d-9e8f-123456789abc' },
        })
      ).status,
    ).toBe(201);
    expect(
      (await call('GET', 'tenants/globex/integrations', admin)).body.items.map((item: { name: string }) => item.name),
    ).toEqual(['Globex engineering']);
    expect((await call('GET', 'rate-limits/defaults', admin)).status).toBe(200);
  });

  it('lets Sync.Tenant.acme work on acme', async () => {
    const created = await call('POST', 'tenants/acme/integrations', acmeOperator, {
      provider: 'slack',
      name: 'Acme chat',
      providerOptions: { channels: ['C0123456'] },
    });
    expect(created.status).toBe(201);
    expect((await call('GET', `tenants/acme/integrations/${created.body.id}`, acmeOperator)).body.name).toBe(
      'Acme chat',
    );
    expect(
      (await call('GET', 'tenants/acme/integrations', acmeOperator)).body.items.map(
        (item: { name: string }) => item.name,
      ),
    ).toContain('Acme chat');
  });

  it('answers 403 with no data when Sync.Tenant.acme asks for another tenant, and changes nothing', async () => {
    const cases: [string, string, unknown?][] = [
      ['GET', 'tenants/globex/integrations'],
      ['GET', `tenants/globex/integrations/${globexIntegration}`],
      ['PATCH', `tenants/globex/integrations/${globexIntegration}`, { name: 'stolen' }],
      ['DELETE', `tenants/globex/integrations/${globexIntegration}`],
      [
        'POST',
        'tenants/globex/integrations',
        { provider: 'github', name: 'planted', providerOptions: { repositories: ['acme/widgets'] } },
      ],
      ['GET', 'tenants//globex/integrations'],
    ];
    for (const [method, path, body] of cases) {
      const answer = await call(method, path, acmeOperator, body);
      expect({ method, path, status: answer.status }).toEqual({ method, path, status: 403 });
      expect(Object.keys(answer.body)).toEqual(['error']);
      expect(JSON.stringify(answer.body)).not.toContain('Globex engineering');
    }
    const names = (await call('GET', 'tenants/globex/integrations', admin)).body.items.map(
      (item: { name: string }) => item.name,
    );
    expect(names).toEqual(['Globex engineering']);
  });

  it('needs Sync.Admin for the routes without a tenant', async () => {
    expect((await call('GET', 'rate-limits/defaults', acmeOperator)).status).toBe(403);
    expect((await call('GET', 'oauth-apps', acmeOperator)).status).toBe(403);
    expect((await call('GET', 'oauth-apps', admin)).status).toBe(200);
    expect((await call('PUT', 'oauth-apps/github', acmeOperator, { clientId: 'x', clientSecret: 'y' })).status).toBe(
      403,
    );
  });

  it('answers 403 to a valid token without any Sync role', async () => {
    for (const roles of [[], ['Reader'], ['Sync.Tenant.']]) {
      const answer = await call('GET', 'tenants/acme/integrations', { roles });
      expect(answer.status).toBe(403);
      expect(answer.body.items).toBeUndefined();
    }
  });

  it.each([
    ['v2 issuer, client id audience', V2_ISSUER, APP_ID],
    ['v1 issuer, api:// audience', V1_ISSUER, APP_ID_URI],
  ])('accepts the token forms Entra issues: %s', async (_name, iss, aud) => {
    expect((await call('GET', 'tenants/acme/integrations', { ...acmeOperator, iss, aud })).status).toBe(200);
  });
});

describe('AdminApi in entra mode: tokens refused with 401', () => {
  const nowS = () => Math.floor(Date.now() / 1000);
  it.each([
    ['a tid of another directory', { ...admin, tid: OTHER_DIRECTORY }],
    [
      'the issuer of another directory',
      { ...admin, tid: OTHER_DIRECTORY, iss: `https://login.microsoftonline.com/${OTHER_DIRECTORY}/v2.0` },
    ],
    ['an expired token', { ...admin, exp: nowS() - 3600 }],
    ['another audience', { ...admin, aud: 'api://another-app' }],
  ])('%s', async (_name, claims) => {
    const answer = await call('GET', 'tenants/acme/integrations', claims);
    expect(answer.status).toBe(401);
    expect(answer.body.items).toBeUndefined();
  });

  it('an unsigned token (alg: none)', async () => {
    expect((await call('GET', 'tenants/acme/integrations', entra.unsignedToken(admin))).status).toBe(401);
  });

  it('a token signed by a key outside the JWKS', async () => {
    expect(
      (await call('GET', 'tenants/acme/integrations', await entra.token(admin, { foreignKey: true }))).status,
    ).toBe(401);
  });

  it('the API key, which entra mode does not take', async () => {
    const response = await adminApi.handler(
      httpRequest('GET', 'admin/tenants/acme/integrations', {
        headers: { 'x-api-key': 'test-admin-key-0123456789abcdef' },
        params: { path: 'tenants/acme/integrations' },
      }),
      invocation('AdminApi'),
      t.services,
    );
    expect(response.status).toBe(401);
  });
});
