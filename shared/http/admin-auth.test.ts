import { createServer, type Server } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT, type KeyLike } from 'jose';
import { createAdminAuthenticator } from './admin-auth';

const headerFrom = (headers: Record<string, string>) => (name: string) => headers[name] ?? null;

describe('admin API key', () => {
  const auth = createAdminAuthenticator({ mode: 'api_key', apiKey: 'correct-horse-battery-staple' });
  it('accepts the configured key only', async () => {
    await expect(auth.authenticate(headerFrom({ 'x-api-key': 'correct-horse-battery-staple' }))).resolves.toMatchObject({ kind: 'api_key' });
    await expect(auth.authenticate(headerFrom({ 'x-api-key': 'correct-horse-battery-stapl' }))).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(auth.authenticate(headerFrom({}))).rejects.toMatchObject({ code: 'unauthorized' });
  });
  it('refuses everything when no key is configured', async () => {
    await expect(createAdminAuthenticator({ mode: 'api_key' }).authenticate(headerFrom({ 'x-api-key': '' }))).rejects.toMatchObject({ code: 'unauthorized' });
  });
});

describe('Entra ID bearer tokens', () => {
  let server: Server;
  let jwksUrl: string;
  let key: KeyLike;
  let otherKey: KeyLike;
  const issuer = 'https://login.microsoftonline.com/tenant-1/v2.0';
  const audience = 'api://integration-sync';

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    key = pair.privateKey;
    otherKey = (await generateKeyPair('RS256')).privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    server = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}/keys`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const token = (claims: { iss?: string; aud?: string; exp?: number }, signingKey = key) =>
    new SignJWT({ oid: 'operator-1' })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(claims.iss ?? issuer)
      .setAudience(claims.aud ?? audience)
      .setIssuedAt()
      .setExpirationTime(claims.exp ?? Math.floor(Date.now() / 1000) + 600)
      .sign(signingKey);

  it('accepts a token with the right signature, issuer and audience', async () => {
    const auth = createAdminAuthenticator({ mode: 'entra', issuer, audience, jwksUrl });
    await expect(auth.authenticate(headerFrom({ authorization: `Bearer ${await token({})}` }))).resolves.toEqual({ id: 'operator-1', kind: 'entra' });
  });

  it.each([
    ['wrong issuer', { iss: 'https://evil.example/v2.0' }, false],
    ['wrong audience', { aud: 'api://something-else' }, false],
    ['expired', { exp: Math.floor(Date.now() / 1000) - 3600 }, false],
    ['signed by another key', {}, true],
  ])('rejects a token with %s', async (_name, claims, foreignKey) => {
    const auth = createAdminAuthenticator({ mode: 'entra', issuer, audience, jwksUrl });
    const jwt = await token(claims, foreignKey ? otherKey : key);
    await expect(auth.authenticate(headerFrom({ authorization: `Bearer ${jwt}` }))).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('rejects a missing bearer token', async () => {
    const auth = createAdminAuthenticator({ mode: 'entra', issuer, audience, jwksUrl });
    await expect(auth.authenticate(headerFrom({ 'x-api-key': 'whatever' }))).rejects.toMatchObject({ code: 'unauthorized' });
  });
});
