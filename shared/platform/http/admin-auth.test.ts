import { parseSettings } from '../../config/settings';
import {
  APP_ID,
  APP_ID_URI,
  ENTRA_TENANT,
  OTHER_DIRECTORY,
  startEntraStandIn,
  V1_ISSUER,
  V2_ISSUER,
  type EntraStandIn,
} from '../../../tests/support/entra-standin';
import { createAdminAuthenticator } from './admin-auth';

const headerFrom = (headers: Record<string, string>) => (name: string) => headers[name] ?? null;

describe('admin API key', () => {
  const auth = createAdminAuthenticator({ mode: 'api_key', apiKey: 'correct-horse-battery-staple' });
  it('accepts the configured key only, with access to everything', async () => {
    await expect(auth.authenticate(headerFrom({ 'x-api-key': 'correct-horse-battery-staple' }))).resolves.toMatchObject(
      { kind: 'api_key', access: { scope: 'all' } },
    );
    await expect(auth.authenticate(headerFrom({ 'x-api-key': 'correct-horse-battery-stapl' }))).rejects.toMatchObject({
      code: 'unauthorized',
    });
    await expect(auth.authenticate(headerFrom({}))).rejects.toMatchObject({ code: 'unauthorized' });
  });
  it('refuses everything when no key is configured', async () => {
    await expect(
      createAdminAuthenticator({ mode: 'api_key' }).authenticate(headerFrom({ 'x-api-key': '' })),
    ).rejects.toMatchObject({ code: 'unauthorized' });
  });
});

describe('Entra ID bearer tokens (settings as parsed from ENTRA_*)', () => {
  let entra: EntraStandIn;
  beforeAll(async () => {
    entra = await startEntraStandIn();
  });
  afterAll(async () => entra.stop());

  const authenticator = (extra: Record<string, string> = {}) =>
    createAdminAuthenticator(parseSettings(entra.settings(extra)).adminAuth);
  const bearer = (jwt: string) => headerFrom({ authorization: `Bearer ${jwt}` });
  const nowS = () => Math.floor(Date.now() / 1000);

  it.each([
    ['v2 issuer, client id audience', V2_ISSUER, APP_ID],
    ['v1 issuer, api:// audience', V1_ISSUER, APP_ID_URI],
    ['v1 issuer, client id audience', V1_ISSUER, APP_ID],
    ['v2 issuer, api:// audience', V2_ISSUER, APP_ID_URI],
  ])('accepts a Sync.Admin token: %s', async (_name, iss, aud) => {
    await expect(authenticator().authenticate(bearer(await entra.token({ iss, aud })))).resolves.toEqual({
      id: 'operator-1',
      kind: 'entra',
      access: { scope: 'all' },
    });
  });

  it('gives a Sync.Tenant.<id> token access to those tenants only, and a token without app roles access to none', async () => {
    const principal = await authenticator().authenticate(
      bearer(await entra.token({ roles: ['Sync.Tenant.acme', 'Sync.Tenant.initech', 'Other.Role'] })),
    );
    expect(principal.access).toEqual({ scope: 'tenants', tenantIds: new Set(['acme', 'initech']) });
    expect((await authenticator().authenticate(bearer(await entra.token({ roles: [] })))).access).toEqual({
      scope: 'tenants',
      tenantIds: new Set(),
    });
  });

  it.each([
    ['a tid of another directory', { tid: OTHER_DIRECTORY }],
    ['no tid', { tid: null }],
    [
      'the issuer of another directory',
      { iss: `https://login.microsoftonline.com/${OTHER_DIRECTORY}/v2.0`, tid: OTHER_DIRECTORY },
    ],
    ['an issuer outside Entra', { iss: 'https://evil.example/v2.0' }],
    ['another audience', { aud: 'api://something-else' }],
    ['an expired token', { exp: nowS() - 3600 }],
    ['a token that never expires (no exp)', { exp: null }],
  ])('rejects %s with 401', async (_name, claims) => {
    await expect(authenticator().authenticate(bearer(await entra.token(claims)))).rejects.toMatchObject({
      code: 'unauthorized',
    });
  });

  it('rejects a token signed by a key that is not in the JWKS', async () => {
    await expect(
      authenticator().authenticate(bearer(await entra.token({}, { foreignKey: true }))),
    ).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('rejects an unsigned token (alg: none)', async () => {
    const unsigned = entra.unsignedToken({});
    expect(JSON.parse(Buffer.from(unsigned.split('.')[0]!, 'base64url').toString())).toMatchObject({ alg: 'none' });
    await expect(authenticator().authenticate(bearer(unsigned))).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('rejects a missing bearer token', async () => {
    await expect(authenticator().authenticate(headerFrom({ 'x-api-key': 'whatever' }))).rejects.toMatchObject({
      code: 'unauthorized',
    });
  });

  it('honours ENTRA_ISSUER as one more issuer, still only for tokens of ENTRA_TENANT_ID', async () => {
    const extraIssuer = `https://login.microsoftonline.com/${ENTRA_TENANT}/`;
    await expect(authenticator().authenticate(bearer(await entra.token({ iss: extraIssuer })))).rejects.toMatchObject({
      code: 'unauthorized',
    });
    await expect(
      authenticator({ ENTRA_ISSUER: extraIssuer }).authenticate(bearer(await entra.token({ iss: extraIssuer }))),
    ).resolves.toMatchObject({ access: { scope: 'all' } });
    await expect(
      authenticator({ ENTRA_ISSUER: extraIssuer }).authenticate(
        bearer(await entra.token({ iss: extraIssuer, tid: OTHER_DIRECTORY })),
      ),
    ).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('compares the directory id without regard to case', async () => {
    const auth = authenticator({ ENTRA_TENANT_ID: ENTRA_TENANT.toUpperCase() });
    await expect(
      auth.authenticate(bearer(await entra.token({ tid: ENTRA_TENANT.toUpperCase() }))),
    ).resolves.toMatchObject({ kind: 'entra' });
  });
});
