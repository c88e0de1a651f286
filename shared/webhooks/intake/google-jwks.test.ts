/**
 * The receiver's Google JWKS cache against a real key set served over HTTP on 127.0.0.1, through the Pub/Sub
 * verifier it feeds: one fetch for many deliveries, a rotated key picked up after the cooldown, an outage reported
 * as verifier_unavailable, an unusable URL as misconfigured.
 */
import { createServer, type Server } from 'node:http';
import { generateKeyPairSync, type JsonWebKey, type KeyObject } from 'node:crypto';
import { freePort } from '../../../hosts/local/free-port';
import { requestOf } from '../../../tests/webhooks/helpers';
import { signGooglePushToken } from '../../../dev/webhook-signing';
import { verifyGooglePubSub } from '../verify/google/pubsub-jwt';
import { verifierSettingsFor, type WebhookConfig } from '../verify/config';
import { verifierFor } from '../verify/registry';
import { clearJwksCache, googleSigningKeys, verifierIo, type GoogleKeySettings } from './google-jwks';

const AUDIENCE = 'https://sync.example.test/api/webhooks/google/int-1';
const EMAIL = 'pubsub-push@sync-project.iam.gserviceaccount.com';
const NOW = Date.UTC(2026, 10, 25, 12);
const NOW_S = NOW / 1000;
const BODY = JSON.stringify({ message: { messageId: '2070443601311540', attributes: { entity: 'events' } } });

let server: Server;
let jwksUrl: string;
let jwksRequests = 0;
let serveStatus = 200;
let signingKey: KeyObject;
let otherKey: KeyObject;
let publicJwk: JsonWebKey;
let jwks: { keys: JsonWebKey[] };

beforeAll(async () => {
  const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
  signingKey = pair.privateKey;
  otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  publicJwk = { ...pair.publicKey.export({ format: 'jwk' }), kid: 'key-1', alg: 'RS256', use: 'sig' };
  server = createServer((_request, response) => {
    jwksRequests += 1;
    response.writeHead(serveStatus, { 'content-type': 'application/json' });
    response.end(serveStatus === 200 ? JSON.stringify(jwks) : '{"error":"unavailable"}');
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  jwksUrl = `http://127.0.0.1:${port}/oauth2/v3/certs`;
});

afterAll(async () => {
  clearJwksCache();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  clearJwksCache();
  jwksRequests = 0;
  serveStatus = 200;
  jwks = { keys: [publicJwk] };
});

const token = (key: KeyObject = signingKey, kid = 'key-1') =>
  signGooglePushToken(
    {
      iss: 'https://accounts.google.com',
      aud: AUDIENCE,
      email: EMAIL,
      email_verified: true,
      iat: NOW_S - 60,
      exp: NOW_S + 3_540,
    },
    key,
    kid,
  );

const request = (jwt: string) => requestOf(BODY, { Authorization: `Bearer ${jwt}` }, [], NOW);

const verify = (jwt: string, settings: GoogleKeySettings = {}) =>
  verifyGooglePubSub(request(jwt), {
    audience: AUDIENCE,
    serviceAccountEmail: EMAIL,
    keys: googleSigningKeys({ jwksUrl, timeoutMs: 2_000, ...settings }),
  });

describe('googleSigningKeys', () => {
  it('feeds the receiver path: settings from the stored config verify a token against the served key set', async () => {
    const config: WebhookConfig = {
      provider: 'google',
      mode: 'pubsub',
      audience: AUDIENCE,
      serviceAccountEmail: EMAIL,
      jwksUrl,
    };
    const settings = verifierSettingsFor(config, { headers: () => undefined }, verifierIo);
    await expect(verifierFor('google')(request(token()), settings)).resolves.toEqual({
      ok: true,
      deliveryId: '2070443601311540',
      outcome: { kind: 'event' },
    });
    // Without the receiver's I/O the verifier has no keys, and fails closed.
    const withoutIo = verifierSettingsFor(config, { headers: () => undefined });
    await expect(verifierFor('google')(request(token()), withoutIo)).resolves.toEqual({
      ok: false,
      reason: 'misconfigured',
    });
  });

  it('caches the key set across verifications', async () => {
    const jwt = token();
    for (let i = 0; i < 5; i += 1) await expect(verify(jwt)).resolves.toMatchObject({ ok: true });
    expect(jwksRequests).toBe(1);
  });

  it('picks up a key Google rotated in, refetching for an unknown kid only after the cooldown', async () => {
    const rotated = generateKeyPairSync('rsa', { modulusLength: 2048 });
    await expect(verify(token(), { cooldownMs: 0 })).resolves.toMatchObject({ ok: true });
    jwks = {
      keys: [publicJwk, { ...rotated.publicKey.export({ format: 'jwk' }), kid: 'key-3', alg: 'RS256', use: 'sig' }],
    };
    await expect(verify(token(rotated.privateKey, 'key-3'), { cooldownMs: 0 })).resolves.toMatchObject({ ok: true });
    expect(jwksRequests).toBe(2);
    // With the default cooldown, a burst of unknown kids does not turn into a burst of fetches.
    for (let i = 0; i < 5; i += 1) await verify(token(otherKey, `forged-${i}`));
    expect(jwksRequests).toBe(3);
  });

  it('keeps serving the last good key set when a refresh fails', async () => {
    await expect(verify(token(), { maxAgeMs: 0 })).resolves.toMatchObject({ ok: true });
    serveStatus = 503;
    await new Promise((resolve) => setTimeout(resolve, 5));
    await expect(verify(token(), { maxAgeMs: 0 })).resolves.toMatchObject({ ok: true });
    expect(jwksRequests).toBe(2);
  });

  it('reports an unreachable or failing key set as verifier_unavailable, not as a bad sender', async () => {
    serveStatus = 503;
    await expect(verify(token())).resolves.toEqual({ ok: false, reason: 'verifier_unavailable' });
    const closedPort = await freePort();
    await expect(verify(token(), { jwksUrl: `http://127.0.0.1:${closedPort}/certs` })).resolves.toEqual({
      ok: false,
      reason: 'verifier_unavailable',
    });
  });

  it('gives no key lookup for a URL that cannot serve keys, which the verifier answers as misconfigured', async () => {
    expect(googleSigningKeys({ jwksUrl: 'not a url' })).toBeUndefined();
    expect(googleSigningKeys({ jwksUrl: 'ftp://keys.example.test/certs' })).toBeUndefined();
    await expect(verify(token(), { jwksUrl: 'not a url' })).resolves.toEqual({ ok: false, reason: 'misconfigured' });
  });
});
