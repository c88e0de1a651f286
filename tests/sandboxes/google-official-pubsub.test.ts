/**
 * google-auth-library's OAuth2Client.verifyIdToken (Google's own verifier of the OIDC tokens Pub/Sub push attaches)
 * judges the Google sandbox's Pub/Sub pushes against the sandbox's published certs: a push token verifies for its
 * audience and names the service account; our receiver's verifier (JWKS from /oauth2/v3/certs) agrees on every
 * case, including a wrong audience, a forged signature and a key rotation.
 */
import { googleSandboxPubSub, startGoogleSandbox } from '../../dev/sandboxes/google';
import type { RunningSandbox } from '../../dev/sandboxes/common/types';
import { OAuth2Client } from 'google-auth-library';
import { googleSigningKeys } from '../../shared/webhooks/intake/google-jwks';
import { parseGoogleEvents } from '../../shared/webhooks/verify/google/events';
import { verifyGooglePubSub } from '../../shared/webhooks/verify/google/pubsub-jwt';
import { requestOf } from '../webhooks/helpers';
import { transport } from './support/google-clients';
import { startReceiver, type ReceivedRequest } from './support/recording-proxy';

const AUDIENCE = 'https://sync.example.com/api/webhooks/google/tenant-1/integration-1';
const SERVICE_ACCOUNT = 'push-sender@sandbox-project.iam.gserviceaccount.com';

let sandbox: RunningSandbox;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

beforeAll(async () => {
  receiver = await startReceiver(() => ({ status: 204 }));
  sandbox = await startGoogleSandbox({ records: 2 });
});
afterAll(async () => {
  await sandbox.stop();
  await receiver.stop();
});

/** Google's verifier, reading the sandbox's PEM certs (a fresh client: no certificate cache between cases). */
const googleVerifier = () =>
  new OAuth2Client({
    transporterOptions: transport,
    endpoints: { oauth2FederatedSignonPemCertsUrl: `${sandbox.url}/oauth2/v1/certs` },
  });

async function pushed(data: unknown): Promise<ReceivedRequest> {
  const pusher = googleSandboxPubSub(sandbox);
  const messageId = pusher.push({
    endpoint: `${receiver.url}/api/webhooks/google`,
    audience: AUDIENCE,
    serviceAccountEmail: SERVICE_ACCOUNT,
    data,
    attributes: { entity: 'messages' },
  });
  await pusher.flush();
  const request = receiver.received.find((candidate) => candidate.body.includes(messageId));
  if (!request) throw new Error(`push ${messageId} did not arrive`);
  return request;
}

const bearer = (request: ReceivedRequest): string => String(request.headers.authorization).replace(/^Bearer /, '');

function ours(request: ReceivedRequest, authorization = String(request.headers.authorization)) {
  return verifyGooglePubSub(requestOf(request.body, { authorization }, [], Date.now()), {
    audience: AUDIENCE,
    serviceAccountEmail: SERVICE_ACCOUNT,
    keys: googleSigningKeys({ jwksUrl: `${sandbox.url}/oauth2/v3/certs`, cooldownMs: 0 }),
  });
}

describe('Google sandbox Pub/Sub push judged by OAuth2Client.verifyIdToken', () => {
  it('publishes its keys as a JWK set and as PEM, cacheable, like Google', async () => {
    const jwks = await fetch(`${sandbox.url}/oauth2/v3/certs`);
    expect(jwks.headers.get('cache-control')).toMatch(/max-age=\d+/);
    const { keys } = (await jwks.json()) as { keys: Record<string, string>[] };
    expect(keys).toEqual([
      { kty: 'RSA', n: expect.any(String), e: 'AQAB', kid: expect.any(String), alg: 'RS256', use: 'sig' },
    ]);
    const pem = (await (await fetch(`${sandbox.url}/oauth2/v1/certs`)).json()) as Record<string, string>;
    expect(Object.keys(pem)).toEqual([keys[0]!.kid]);
  });

  it('sends the push envelope with a token Google verifies for its audience; our verifier accepts it too', async () => {
    const request = await pushed({ emailAddress: 'user@example.com', historyId: '4242' });
    expect(request.method).toBe('POST');
    expect(request.headers['content-type']).toBe('application/json');
    const envelope = JSON.parse(request.body.toString('utf8'));
    expect(envelope).toEqual({
      message: {
        data: expect.any(String),
        attributes: { entity: 'messages' },
        messageId: expect.stringMatching(/^\d+$/),
        message_id: envelope.message.messageId,
        publishTime: expect.any(String),
        publish_time: envelope.message.publishTime,
      },
      subscription: expect.stringMatching(/^projects\/[^/]+\/subscriptions\/[^/]+$/),
    });
    expect(JSON.parse(Buffer.from(envelope.message.data, 'base64').toString('utf8'))).toEqual({
      emailAddress: 'user@example.com',
      historyId: '4242',
    });

    const ticket = await googleVerifier().verifyIdToken({ idToken: bearer(request), audience: AUDIENCE });
    expect(ticket.getPayload()).toMatchObject({
      iss: 'https://accounts.google.com',
      aud: AUDIENCE,
      email: SERVICE_ACCOUNT,
      email_verified: true,
      sub: expect.stringMatching(/^\d{21}$/),
    });
    expect(await ours(request)).toEqual({
      ok: true,
      deliveryId: envelope.message.messageId,
      outcome: { kind: 'event' },
    });
    expect(parseGoogleEvents(requestOf(request.body, {}, [], Date.now()))).toMatchObject({
      ok: true,
      events: [{ kind: 'incremental', entity: 'messages' }],
    });
  });

  it('is refused by both verifiers for another audience and for a forged signature', async () => {
    const request = await pushed({ emailAddress: 'user@example.com', historyId: '4243' });
    await expect(
      googleVerifier().verifyIdToken({ idToken: bearer(request), audience: 'https://elsewhere.example.com/' }),
    ).rejects.toThrow(/Wrong recipient/);
    expect(
      await verifyGooglePubSub(
        requestOf(request.body, { authorization: String(request.headers.authorization) }, [], Date.now()),
        {
          audience: 'https://elsewhere.example.com/',
          serviceAccountEmail: SERVICE_ACCOUNT,
          keys: googleSigningKeys({ jwksUrl: `${sandbox.url}/oauth2/v3/certs` }),
        },
      ),
    ).toEqual({ ok: false, reason: 'wrong_audience' });

    const [header, payload, signature] = bearer(request).split('.') as [string, string, string];
    const flipped = `${signature.slice(0, 10)}${signature[10] === 'A' ? 'B' : 'A'}${signature.slice(11)}`;
    const forged = `${header}.${payload}.${flipped}`;
    await expect(googleVerifier().verifyIdToken({ idToken: forged, audience: AUDIENCE })).rejects.toThrow(
      /Invalid token signature/,
    );
    expect(await ours(request, `Bearer ${forged}`)).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('rotates its signing key, keeping the previous one published: tokens of both keys verify', async () => {
    const before = await pushed({ emailAddress: 'user@example.com', historyId: '4244' });
    googleSandboxPubSub(sandbox).rotateKeys();
    const after = await pushed({ emailAddress: 'user@example.com', historyId: '4245' });
    const kidOf = (request: ReceivedRequest) =>
      JSON.parse(Buffer.from(bearer(request).split('.')[0]!, 'base64url').toString('utf8')).kid as string;
    expect(kidOf(after)).not.toBe(kidOf(before));
    for (const request of [before, after]) {
      await expect(
        googleVerifier().verifyIdToken({ idToken: bearer(request), audience: AUDIENCE }),
      ).resolves.toBeDefined();
      expect(await ours(request)).toMatchObject({ ok: true });
    }
  });
});
