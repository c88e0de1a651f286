/**
 * Pub/Sub push from the Google sandbox, authenticated as Google does it: each push carries
 * `Authorization: Bearer <JWT>`, an OIDC token signed RS256 by Google for the subscription's service account
 * (claims iss https://accounts.google.com, aud = the subscription's audience, azp and sub = the account's unique
 * id, email, email_verified, iat, exp one hour later), and the body is the push envelope
 * {"message": {"data", "attributes", "messageId", "message_id", "publishTime", "publish_time"}, "subscription"}.
 * The signing keys are published where Google publishes its own: /oauth2/v3/certs (JWK set) and
 * /oauth2/v1/certs (kid → PEM; Google's are X.509 certificates, the sandbox serves the public keys in PEM, which
 * verify the same way). The keys rotate on `rotateKeys()`: the previous key stays published, as Google keeps two.
 */
import { createHash, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { encodeRs256Jwt } from '../../../shared/webhooks/verify/google/jwt';
import type { Router } from '../common/router';
import { WebhookEmitter } from '../common/webhooks';

const TOKEN_LIFETIME_S = 3600;
/** Google's certs answers are cacheable for hours; clients honour max-age. */
const CERTS_MAX_AGE_S = 19_000;

interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export interface PubSubPush {
  /** The push endpoint (the subscription's pushEndpoint). */
  endpoint: string;
  /** The audience configured on the subscription (default: the endpoint URL, as Pub/Sub defaults it). */
  audience?: string;
  serviceAccountEmail: string;
  /** The published message: data (JSON-encoded and base64'd) and attributes. */
  data: unknown;
  attributes?: Record<string, string>;
  subscription?: string;
}

function newKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid: randomBytes(20).toString('hex'), privateKey, publicKey };
}

export class PubSubPusher {
  /** Newest first; the previous key stays published until the next rotation. Made on first use (RSA keygen is slow). */
  private published: SigningKey[] | undefined;
  private readonly emitters = new Map<string, WebhookEmitter>();
  private counter = 0;

  private get keys(): SigningKey[] {
    return (this.published ??= [newKey()]);
  }

  rotateKeys(): void {
    this.published = [newKey(), this.keys[0]!];
  }

  /** The OIDC token Pub/Sub attaches to a push for this audience and service account. */
  token(audience: string, serviceAccountEmail: string, nowMs = Date.now()): string {
    const key = this.keys[0]!;
    const iat = Math.floor(nowMs / 1000);
    // A service account's unique id is a 21-digit number; the sandbox derives a stable one from the email.
    const digest = createHash('sha256').update(serviceAccountEmail).digest('hex').slice(0, 16);
    const accountId = `1${BigInt(`0x${digest}`).toString().padStart(20, '0')}`;
    return encodeRs256Jwt(
      {
        aud: audience,
        azp: accountId,
        email: serviceAccountEmail,
        email_verified: true,
        exp: iat + TOKEN_LIFETIME_S,
        iat,
        iss: 'https://accounts.google.com',
        sub: accountId,
      },
      key.privateKey,
      key.kid,
    );
  }

  /** Queues one push delivery; returns its message id. */
  push(request: PubSubPush): string {
    const messageId = String(9_000_000_000_000_000 + this.counter++);
    const publishTime = new Date().toISOString();
    const body = JSON.stringify({
      message: {
        data: Buffer.from(JSON.stringify(request.data)).toString('base64'),
        attributes: request.attributes ?? {},
        messageId,
        message_id: messageId,
        publishTime,
        publish_time: publishTime,
      },
      subscription: request.subscription ?? 'projects/sandbox-project/subscriptions/sandbox-push',
    });
    const token = this.token(request.audience ?? request.endpoint, request.serviceAccountEmail);
    let emitter = this.emitters.get(request.endpoint);
    if (!emitter) {
      emitter = new WebhookEmitter({ url: request.endpoint, sign: () => ({}) });
      this.emitters.set(request.endpoint, emitter);
    }
    emitter.emitRaw(
      'pubsub.push',
      body,
      {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        'user-agent': 'APIs-Google; (+https://developers.google.com/webmasters/APIs-Google.html)',
      },
      messageId,
    );
    return messageId;
  }

  async flush(): Promise<void> {
    await Promise.all([...this.emitters.values()].map((emitter) => emitter.flush()));
  }

  /** The certs routes, public like Google's. */
  addRoutes(router: Router): void {
    const cacheControl = { 'cache-control': `public, max-age=${CERTS_MAX_AGE_S}, must-revalidate, no-transform` };
    router.add(
      'GET',
      '/oauth2/v3/certs',
      () => ({
        status: 200,
        headers: cacheControl,
        json: {
          keys: this.keys.map(({ kid, publicKey }) => ({
            ...(publicKey.export({ format: 'jwk' }) as Record<string, string>),
            kid,
            alg: 'RS256',
            use: 'sig',
          })),
        },
      }),
      { public: true },
    );
    router.add(
      'GET',
      '/oauth2/v1/certs',
      () => ({
        status: 200,
        headers: cacheControl,
        json: Object.fromEntries(
          this.keys.map(({ kid, publicKey }) => [kid, publicKey.export({ format: 'pem', type: 'spki' }).toString()]),
        ),
      }),
      { public: true },
    );
  }
}
