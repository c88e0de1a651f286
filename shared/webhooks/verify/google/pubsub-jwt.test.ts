/**
 * Pub/Sub push JWTs against a key set held in memory, with locally generated RSA keys. Fetching and caching the
 * key set over HTTP is tested with the receiver's JWKS cache (webhooks/intake/google-jwks.test.ts).
 */
import { createHmac, generateKeyPairSync, sign, type JsonWebKey, type KeyObject } from 'node:crypto';
import { requestOf } from '../../../../tests/webhooks/helpers';
import { importJwks, pickKey, type SigningKeyLookup } from './jwks';
import { verifyGooglePubSub, type PubSubVerifyOptions } from './pubsub-jwt';
import { parseGoogleEvents } from './events';
import { signGooglePushToken } from '../../../../dev/webhook-signing';

const AUDIENCE = 'https://sync.example.test/api/webhooks/google/int-1';
const EMAIL = 'pubsub-push@sync-project.iam.gserviceaccount.com';
const NOW = Date.UTC(2026, 10, 25, 12);
const NOW_S = NOW / 1000;

const BODY = JSON.stringify({
  message: {
    attributes: { entity: 'events' },
    data: Buffer.from(JSON.stringify({ emailAddress: 'user@example.test', historyId: 9876543 })).toString('base64'),
    messageId: '2070443601311540',
    message_id: '2070443601311540',
    publishTime: '2026-11-25T12:00:00.000Z',
  },
  subscription: 'projects/sync-project/subscriptions/gmail-push',
});

let signingKey: KeyObject;
let otherKey: KeyObject;
let publicJwk: JsonWebKey;
let jwks: { keys: JsonWebKey[] };

beforeAll(async () => {
  const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
  signingKey = pair.privateKey;
  otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  publicJwk = { ...pair.publicKey.export({ format: 'jwk' }), kid: 'key-1', alg: 'RS256', use: 'sig' };
  jwks = { keys: [publicJwk] };
});

beforeEach(() => {
  jwks = { keys: [publicJwk] };
});

/** The key set as it is now, as the receiver's cache would hand it over. */
const keys: SigningKeyLookup = async (kid) => pickKey(importJwks(jwks), kid);

const options = (): PubSubVerifyOptions => ({ audience: AUDIENCE, serviceAccountEmail: EMAIL, keys });

const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A Google-shaped push token: RS256 over header.payload, claims overridable (undefined removes one). */
function token(
  claims: Record<string, unknown> = {},
  key: KeyObject = signingKey,
  header: Record<string, unknown> = { alg: 'RS256', kid: 'key-1', typ: 'JWT' },
): string {
  const payload = {
    aud: AUDIENCE,
    azp: '1234567890',
    email: EMAIL,
    email_verified: true,
    exp: NOW_S + 3_540,
    iat: NOW_S - 60,
    iss: 'https://accounts.google.com',
    sub: '1234567890',
    ...claims,
  };
  const input = `${encode(header)}.${encode(payload)}`;
  return `${input}.${sign('RSA-SHA256', Buffer.from(input), key).toString('base64url')}`;
}

const verify = (authorization: string | undefined, body = BODY, now = NOW) =>
  verifyGooglePubSub(requestOf(body, { Authorization: authorization }, [], now), options());

describe('verifyGooglePubSub', () => {
  it('accepts a token from the configured service account; the delivery id is the message id', async () => {
    await expect(verify(`Bearer ${token()}`)).resolves.toEqual({
      ok: true,
      deliveryId: '2070443601311540',
      outcome: { kind: 'event' },
    });
    await expect(verify(`Bearer ${token({ iss: 'accounts.google.com' })}`)).resolves.toMatchObject({ ok: true });
  });

  it('accepts what the sandbox signing helper emits', async () => {
    const claims = {
      iss: 'accounts.google.com',
      aud: AUDIENCE,
      email: EMAIL,
      email_verified: true,
      iat: NOW_S,
      exp: NOW_S + 3_600,
    };
    await expect(verify(`Bearer ${signGooglePushToken(claims, signingKey, 'key-1')}`)).resolves.toMatchObject({
      ok: true,
    });
  });

  it('rejects a token issued in the future beyond the skew', async () => {
    await expect(verify(`Bearer ${token({ iat: NOW_S + 120, exp: NOW_S + 3_700 })}`)).resolves.toEqual({
      ok: false,
      reason: 'future_timestamp',
    });
    await expect(verify(`Bearer ${token({ iat: NOW_S + 20 })}`)).resolves.toMatchObject({ ok: true });
  });

  it('rejects the wrong audience, issuer, email, and an unverified email', async () => {
    await expect(verify(`Bearer ${token({ aud: 'https://elsewhere.example.test' })}`)).resolves.toEqual({
      ok: false,
      reason: 'wrong_audience',
    });
    await expect(verify(`Bearer ${token({ iss: 'https://evil.example.test' })}`)).resolves.toEqual({
      ok: false,
      reason: 'wrong_issuer',
    });
    await expect(verify(`Bearer ${token({ email: 'someone@else.iam.gserviceaccount.com' })}`)).resolves.toEqual({
      ok: false,
      reason: 'wrong_email',
    });
    await expect(verify(`Bearer ${token({ email_verified: false })}`)).resolves.toEqual({
      ok: false,
      reason: 'email_unverified',
    });
    await expect(verify(`Bearer ${token({ email_verified: undefined })}`)).resolves.toEqual({
      ok: false,
      reason: 'email_unverified',
    });
  });

  it('rejects an expired token beyond the clock skew and accepts one within it', async () => {
    await expect(verify(`Bearer ${token({ iat: NOW_S - 3_700, exp: NOW_S - 100 })}`)).resolves.toEqual({
      ok: false,
      reason: 'token_expired',
    });
    await expect(verify(`Bearer ${token({ iat: NOW_S - 3_620, exp: NOW_S - 20 })}`)).resolves.toMatchObject({
      ok: true,
    });
  });

  it('rejects a token signed by another key, under a known or an unknown kid', async () => {
    await expect(verify(`Bearer ${token({}, otherKey)}`)).resolves.toEqual({ ok: false, reason: 'bad_signature' });
    await expect(verify(`Bearer ${token({}, otherKey, { alg: 'RS256', kid: 'key-2', typ: 'JWT' })}`)).resolves.toEqual({
      ok: false,
      reason: 'bad_signature',
    });
  });

  it('rejects alg none, HS256 keyed with the public key, and a tampered payload', async () => {
    const claims = {
      iss: 'https://accounts.google.com',
      aud: AUDIENCE,
      email: EMAIL,
      email_verified: true,
      iat: NOW_S - 60,
      exp: NOW_S + 3_000,
    };
    const unsigned = `${encode({ alg: 'none', typ: 'JWT' })}.${encode(claims)}.`;
    await expect(verify(`Bearer ${unsigned}`)).resolves.toEqual({ ok: false, reason: 'bad_signature' });
    const hsInput = `${encode({ alg: 'HS256', kid: 'key-1', typ: 'JWT' })}.${encode(claims)}`;
    const hsSignature = createHmac('sha256', JSON.stringify(publicJwk)).update(hsInput).digest('base64url');
    await expect(verify(`Bearer ${hsInput}.${hsSignature}`)).resolves.toEqual({ ok: false, reason: 'bad_signature' });
    const [header, , signature] = token().split('.');
    const forged = `${header}.${encode({ ...claims, email: 'attacker@evil.example.test' })}.${signature}`;
    await expect(verify(`Bearer ${forged}`)).resolves.toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('ignores keys too short to trust', async () => {
    const weak = generateKeyPairSync('rsa', { modulusLength: 1024 });
    jwks = { keys: [{ ...weak.publicKey.export({ format: 'jwk' }), kid: 'weak', alg: 'RS256' }] };
    await expect(
      verify(`Bearer ${token({}, weak.privateKey, { alg: 'RS256', kid: 'weak', typ: 'JWT' })}`),
    ).resolves.toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('requires a bearer token and a push envelope', async () => {
    await expect(verify(undefined)).resolves.toEqual({ ok: false, reason: 'missing_signature' });
    await expect(verify(`Basic ${Buffer.from('a:b').toString('base64')}`)).resolves.toEqual({
      ok: false,
      reason: 'missing_signature',
    });
    await expect(verify('Bearer not-a-jwt')).resolves.toEqual({ ok: false, reason: 'malformed' });
    await expect(verify(`Bearer ${token()}`, '{"message":{}}')).resolves.toEqual({ ok: false, reason: 'malformed' });
  });

  it('reports a key set it cannot have as verifier_unavailable, not as a bad sender', async () => {
    const unavailable: SigningKeyLookup = () => Promise.reject(new Error('JWKS could not be fetched'));
    await expect(
      verifyGooglePubSub(requestOf(BODY, { Authorization: `Bearer ${token()}` }, [], NOW), {
        ...options(),
        keys: unavailable,
      }),
    ).resolves.toEqual({ ok: false, reason: 'verifier_unavailable' });
  });

  it('asks for the key the token names, and never for an alg it refuses', async () => {
    const asked: Array<string | undefined> = [];
    const counting: SigningKeyLookup = async (kid) => {
      asked.push(kid);
      return keys(kid);
    };
    const request = (jwt: string) => requestOf(BODY, { Authorization: `Bearer ${jwt}` }, [], NOW);
    await expect(verifyGooglePubSub(request(token()), { ...options(), keys: counting })).resolves.toMatchObject({
      ok: true,
    });
    await verifyGooglePubSub(request(token({}, signingKey, { alg: 'HS256', kid: 'key-1' })), {
      ...options(),
      keys: counting,
    });
    expect(asked).toEqual(['key-1']);
  });

  it('fails closed on missing settings', async () => {
    const request = requestOf(BODY, { Authorization: `Bearer ${token()}` }, [], NOW);
    await expect(verifyGooglePubSub(request, { ...options(), audience: '' })).resolves.toEqual({
      ok: false,
      reason: 'misconfigured',
    });
    await expect(verifyGooglePubSub(request, { ...options(), keys: undefined })).resolves.toEqual({
      ok: false,
      reason: 'misconfigured',
    });
  });
});

describe('parseGoogleEvents for Pub/Sub', () => {
  it('turns a Gmail push into an incremental sync of messages', () => {
    expect(parseGoogleEvents(requestOf(BODY, {}, [], NOW))).toEqual({
      ok: true,
      deliveryId: '2070443601311540',
      events: [{ kind: 'incremental', entity: 'messages' }],
    });
  });

  it('uses the entity attribute otherwise, and reports a broken envelope', () => {
    const body = JSON.stringify({
      message: { messageId: 'm1', data: Buffer.from('opaque').toString('base64'), attributes: { entity: 'events' } },
    });
    expect(parseGoogleEvents(requestOf(body, {}, [], NOW))).toEqual({
      ok: true,
      deliveryId: 'm1',
      events: [{ kind: 'incremental', entity: 'events' }],
    });
    expect(parseGoogleEvents(requestOf('{"message":', {}, [], NOW))).toMatchObject({ ok: false, reason: 'malformed' });
  });
});
