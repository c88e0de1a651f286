/**
 * Google Pub/Sub push authentication: `Authorization: Bearer <JWT>` signed RS256 by Google. The token is checked
 * against Google's signing keys (looked up through the injected `keys`: the receiver's cached JWKS fetch), the
 * issuer, the configured audience and service account (with a verified email) and its expiry with a small clock
 * skew. The token authenticates the sender only; TLS protects the body.
 */
import { GOOGLE_PROVIDER } from '../../../core/providers';
import { isRecord, parseJsonObject, stringOf, type JsonRecord } from '../json';
import type { RejectionReason, VerifyRequest, VerifyResult } from '../types';
import type { SigningKeyLookup } from './jwks';
import { decodeJwt, verifyRs256 } from './jwt';

/** Where Google publishes its signing keys, and the issuers it signs push tokens as (the Google descriptor's). */
export const GOOGLE_JWKS_URL: string = GOOGLE_PROVIDER.webhook.jwksUrl;
export const GOOGLE_ISSUERS: readonly string[] = GOOGLE_PROVIDER.webhook.issuers;
export const DEFAULT_CLOCK_SKEW_MS = 30_000;

export interface PubSubVerifyOptions {
  audience: string;
  serviceAccountEmail: string;
  /** Google's signing keys (webhooks/intake/google-jwks.ts); absent when the configured JWKS URL is unusable. */
  keys?: SigningKeyLookup;
  clockSkewMs?: number;
  signal?: AbortSignal;
}

function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^Bearer ([A-Za-z0-9_\-.]+)$/i.exec(authorization ?? '');
  return match?.[1];
}

/** Claim checks in a fixed order, so a token with several faults always reports the same reason. */
function claimsReason(payload: JsonRecord, options: PubSubVerifyOptions, nowMs: number): RejectionReason | undefined {
  const skewS = (options.clockSkewMs ?? DEFAULT_CLOCK_SKEW_MS) / 1000;
  const nowS = nowMs / 1000;
  const { exp, iat, nbf, iss, aud } = payload;
  if (typeof exp !== 'number' || typeof iat !== 'number') return 'malformed';
  if (exp <= nowS - skewS) return 'token_expired';
  if (iat > nowS + skewS || (typeof nbf === 'number' && nbf > nowS + skewS)) return 'future_timestamp';
  if (typeof iss !== 'string' || !GOOGLE_ISSUERS.includes(iss)) return 'wrong_issuer';
  const audiences = Array.isArray(aud) ? aud : [aud];
  if (!audiences.includes(options.audience)) return 'wrong_audience';
  const email = stringOf(payload.email);
  if (!email || email.toLowerCase() !== options.serviceAccountEmail.toLowerCase()) return 'wrong_email';
  if (payload.email_verified !== true && payload.email_verified !== 'true') return 'email_unverified';
  return undefined;
}

/** The push envelope's message id is Pub/Sub's own delivery id (kept on redelivery). */
export function pubSubMessageId(rawBody: Buffer): string | undefined {
  const body = parseJsonObject(rawBody);
  const message = body && isRecord(body.message) ? body.message : undefined;
  return message ? (stringOf(message.messageId) ?? stringOf(message.message_id)) : undefined;
}

export async function verifyGooglePubSub(request: VerifyRequest, options: PubSubVerifyOptions): Promise<VerifyResult> {
  if (!options.audience || !options.serviceAccountEmail) return { ok: false, reason: 'misconfigured' };
  const keys = options.keys;
  if (!keys) return { ok: false, reason: 'misconfigured' };
  const token = bearerToken(request.headers('authorization'));
  if (!token) return { ok: false, reason: 'missing_signature' };
  const jwt = decodeJwt(token);
  if (!jwt) return { ok: false, reason: 'malformed' };
  // Checked before any key lookup: `none`, HS256 and friends never reach the network or the verifier.
  if (jwt.header.alg !== 'RS256' || 'crit' in jwt.header) return { ok: false, reason: 'bad_signature' };
  let key;
  try {
    key = await keys(stringOf(jwt.header.kid), options.signal);
  } catch {
    // Only the key set fetch can fail here: an outage on our side, not a verdict on the sender.
    return { ok: false, reason: 'verifier_unavailable' };
  }
  if (!key || !verifyRs256(jwt, key)) return { ok: false, reason: 'bad_signature' };
  const reason = claimsReason(jwt.payload, options, request.now);
  if (reason) return { ok: false, reason };
  const deliveryId = pubSubMessageId(request.rawBody);
  if (!deliveryId) return { ok: false, reason: 'malformed' };
  return { ok: true, deliveryId, outcome: { kind: 'event' } };
}
