/**
 * AuthProvider per credential type: static headers, client-credentials and JWT-bearer grants against the
 * local token endpoint (the server verifies the RS256 signature), OAuth refresh near expiry and after a 401,
 * and certificate material used for a real mutual-TLS handshake.
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer, request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { createAuthProvider } from '../../shared/credentials/auth-provider';
import { CredentialService } from '../../shared/credentials/credential-service';
import { LocalSecretStore } from '../../shared/credentials/local-store';
import { RefreshEngine } from '../../shared/credentials/refresh-engine';
import { RedisRefreshLock } from '../../shared/stores/kv/redis/refresh-lock';
import type { CredentialRef } from '../../shared/credentials/types';
import { isAppError } from '../../shared/core/app-error';
import { oauthCredential, selfSignedPem } from './support/fixtures';
import { startTokenServer, type TokenServer } from './support/token-server';

const keyPrefix = `test:credauth:${randomUUID().slice(0, 8)}:`;
let redis: Redis;
let server: TokenServer;
let service: CredentialService;

beforeAll(async () => {
  redis = new Redis(process.env.REDIS_URL!);
  server = await startTokenServer({ rotate: true, clientId: 'client-1', clientSecret: 'client-secret-1' });
  service = new CredentialService({
    store: new LocalSecretStore({
      filePath: join(mkdtempSync(join(tmpdir(), 'auth-')), 's.enc'),
      keyBase64: Buffer.alloc(32, 3).toString('base64'),
    }),
    cacheTtlMs: 0,
  });
});
afterAll(async () => {
  redis.disconnect();
  await server.stop();
});

const ref = (name: string): CredentialRef => ({ tenantId: 't', integrationId: 'i', name });

describe('static credential types', () => {
  it('gives the right headers for api_key, bearer_token, basic_auth and custom', async () => {
    await service.put(ref('api'), { type: 'api_key', key: 'k-123', headerName: 'X-Api-Key', prefix: 'Token ' });
    await service.put(ref('bearer'), { type: 'bearer_token', token: 'b-456' });
    await service.put(ref('basic'), { type: 'basic_auth', username: 'ann', password: 'pä:ss' });
    await service.put(ref('custom'), {
      type: 'custom',
      values: { id: 'acct-1', secret: 's-789' },
      headers: { 'X-Account': 'id', 'X-Signature-Key': 'secret' },
    });
    expect(await createAuthProvider(ref('api'), { service }).headers()).toEqual({ 'x-api-key': 'Token k-123' });
    expect(await createAuthProvider(ref('bearer'), { service }).headers()).toEqual({ authorization: 'Bearer b-456' });
    const basic = await createAuthProvider(ref('basic'), { service }).headers();
    expect(Buffer.from(basic.authorization!.replace('Basic ', ''), 'base64').toString('utf8')).toBe('ann:pä:ss');
    expect(await createAuthProvider(ref('custom'), { service }).headers()).toEqual({
      'x-account': 'acct-1',
      'x-signature-key': 's-789',
    });
    expect(await createAuthProvider(ref('bearer'), { service }).accessToken()).toBe('b-456');
  });

  it('a webhook secret gives no headers', async () => {
    await service.put(ref('hook'), { type: 'webhook_secret', secret: 'whsec' });
    const error = await createAuthProvider(ref('hook'), { service })
      .headers()
      .catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe('validation');
  });

  it('a missing credential is not_found', async () => {
    const error = await createAuthProvider(ref('nope'), { service })
      .headers()
      .catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe('not_found');
  });

  it('certificate material completes a real mutual-TLS handshake', async () => {
    const serverCert = selfSignedPem(2);
    const clientCert = selfSignedPem(2);
    await service.put(ref('mtls'), {
      type: 'certificate',
      material: { format: 'pem', certificatePem: clientCert.cert, privateKeyPem: clientCert.key },
    });
    const tls = createServer(
      { cert: serverCert.cert, key: serverCert.key, requestCert: true, rejectUnauthorized: true, ca: clientCert.cert },
      (req, res) => {
        res.end(String((req.socket as import('node:tls').TLSSocket).getPeerCertificate().subject?.CN));
      },
    );
    await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
    const port = (tls.address() as { port: number }).port;
    const call = (material: object): Promise<string> =>
      new Promise((resolve, reject) => {
        const req = request(
          {
            host: '127.0.0.1',
            port,
            path: '/',
            ...material,
            ca: serverCert.cert,
            checkServerIdentity: () => undefined,
          },
          (res) => {
            let body = '';
            res.on('data', (c: Buffer) => (body += c.toString()));
            res.on('end', () => resolve(body));
          },
        );
        req.on('error', reject);
        req.end();
      });
    try {
      const provider = createAuthProvider(ref('mtls'), { service });
      expect(await provider.headers()).toEqual({});
      expect(await call(await provider.tlsMaterial())).toBe('client');
      await expect(call({})).rejects.toThrow();
    } finally {
      tls.close();
    }
  });
});

describe('token grants', () => {
  it('client credentials: fetches once, caches, fetches again after a 401', async () => {
    await service.put(ref('cc'), {
      type: 'oauth2_client_credentials',
      tokenEndpoint: server.url,
      clientId: 'client-1',
      clientSecret: 'client-secret-1',
      clientAuth: 'basic',
      scopes: ['read'],
    });
    const provider = createAuthProvider(ref('cc'), { service });
    const first = await provider.headers();
    expect(first).toEqual({ authorization: `Bearer ${server.issued.get('cc:read')![0]}` });
    expect(await provider.headers()).toEqual(first);
    expect(server.issued.get('cc:read')).toHaveLength(1);
    expect(await provider.onUnauthorized!()).toBe(true);
    expect(await provider.headers()).toEqual({ authorization: `Bearer ${server.issued.get('cc:read')![1]}` });
  });

  it('client credentials with a wrong secret → auth_revoked', async () => {
    await service.put(ref('cc-bad'), {
      type: 'oauth2_client_credentials',
      tokenEndpoint: server.url,
      clientId: 'client-1',
      clientSecret: 'wrong',
    });
    const error = await createAuthProvider(ref('cc-bad'), { service })
      .headers()
      .catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe('auth_revoked');
  });

  it.each(['salesforce', 'google_service_account'] as const)(
    'JWT bearer (%s): the server verifies the RS256 assertion',
    async (flow) => {
      const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const issuer = flow === 'salesforce' ? 'consumer-key-1' : 'svc@project.iam.gserviceaccount.com';
      server.registerJwtKey(issuer, publicKey.export({ type: 'spki', format: 'pem' }).toString());
      const assertion =
        flow === 'salesforce'
          ? { flow, clientId: issuer, username: 'integration@example.com', audience: 'https://login.salesforce.com' }
          : { flow, clientEmail: issuer, privateKeyId: 'kid-1', scopes: ['https://www.googleapis.com/auth/calendar'] };
      await service.put(ref(`jwt-${flow}`), {
        type: 'jwt_bearer',
        tokenEndpoint: server.url,
        privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        assertion,
      });
      expect(await createAuthProvider(ref(`jwt-${flow}`), { service }).accessToken()).toBe(
        server.issued.get(`jwt:${issuer}`)![0],
      );

      // A key the server does not know is refused.
      const other = generateKeyPairSync('rsa', { modulusLength: 2048 })
        .privateKey.export({ type: 'pkcs8', format: 'pem' })
        .toString();
      await service.put(ref(`jwt-${flow}-bad`), {
        type: 'jwt_bearer',
        tokenEndpoint: server.url,
        privateKeyPem: other,
        assertion,
      });
      const error = await createAuthProvider(ref(`jwt-${flow}-bad`), { service })
        .headers()
        .catch((e: unknown) => e);
      expect(isAppError(error) && error.code).toBe('auth_revoked');
    },
  );
});

describe('oauth2_authorization_code', () => {
  it('refreshes a token inside the skew before handing it out, and again after a 401', async () => {
    const r = ref(`code-${randomUUID().slice(0, 6)}`);
    await service.put(r, oauthCredential(server, r.name, 30_000));
    const refresher = new RefreshEngine({ service, coordination: new RedisRefreshLock(redis, keyPrefix) });
    const provider = createAuthProvider(r, { service, refresher, expirySkewMs: 60_000 });
    expect(await provider.headers()).toEqual({ authorization: `Bearer ${server.issued.get(r.name)![0]}` });
    expect(await provider.onUnauthorized!()).toBe(true);
    expect(await provider.headers()).toEqual({ authorization: `Bearer ${server.issued.get(r.name)![1]}` });
    expect(server.callsByFamily.get(r.name)).toBe(2);
  });

  it('an instance with a stale cached token retries with the token another instance stored, without a second refresh', async () => {
    const r = ref(`code-${randomUUID().slice(0, 6)}`);
    await service.put(r, oauthCredential(server, r.name, 3_600_000));
    // Two app instances: same store, separate 30 s read caches.
    const serviceA = new CredentialService({ store: service.store, cacheTtlMs: 30_000 });
    const serviceB = new CredentialService({ store: service.store, cacheTtlMs: 30_000 });
    const providerA = createAuthProvider(r, {
      service: serviceA,
      refresher: new RefreshEngine({ service: serviceA, coordination: new RedisRefreshLock(redis, keyPrefix) }),
    });
    const providerB = createAuthProvider(r, {
      service: serviceB,
      refresher: new RefreshEngine({ service: serviceB, coordination: new RedisRefreshLock(redis, keyPrefix) }),
    });
    expect(await providerB.headers()).toEqual({ authorization: `Bearer at-initial-${r.name}` });
    expect(await providerA.onUnauthorized!()).toBe(true);
    const fresh = `Bearer ${server.issued.get(r.name)![0]}`;
    expect(await providerA.headers()).toEqual({ authorization: fresh });
    // B still holds the old token in its cache; the provider refuses it; B must pick up A's result.
    expect(await providerB.headers()).toEqual({ authorization: `Bearer at-initial-${r.name}` });
    expect(await providerB.onUnauthorized!()).toBe(true);
    expect(await providerB.headers()).toEqual({ authorization: fresh });
    expect(server.callsByFamily.get(r.name)).toBe(1);
  });

  it('does not refresh a token far from expiry; a revoked grant makes headers() fail with auth_revoked', async () => {
    const r = ref(`code-${randomUUID().slice(0, 6)}`);
    await service.put(r, oauthCredential(server, r.name, 3_600_000, { refreshToken: 'rt-unknown' }));
    const refresher = new RefreshEngine({ service, coordination: new RedisRefreshLock(redis, keyPrefix) });
    const provider = createAuthProvider(r, { service, refresher });
    expect(await provider.headers()).toEqual({ authorization: `Bearer at-initial-${r.name}` });
    expect(await provider.onUnauthorized!()).toBe(false);
    const error = await provider.headers().catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe('auth_revoked');
  });
});
