/**
 * Standard Webhooks (the generic provider): `webhook-signature` holds space-separated `v1,<base64>` entries, any
 * of which may match HMAC-SHA256 of `{webhook-id}.{webhook-timestamp}.{body}` keyed by the base64 secret after
 * `whsec_`. Several entries let a sender roll its secret; the timestamp is held to a window in both directions.
 */
import { hmacSha256, signatureEquals } from '../crypto';
import { checkTimestamp, DEFAULT_TIMESTAMP_TOLERANCE_MS } from '../timestamps';
import type { VerifyRequest, VerifyResult } from '../types';

export const STANDARD_WEBHOOK_HEADERS = {
  id: 'webhook-id',
  timestamp: 'webhook-timestamp',
  signature: 'webhook-signature',
} as const;
const SECRET_PREFIX = 'whsec_';

export interface StandardWebhookVerifyOptions {
  toleranceMs?: number;
}

/** The signing key: base64 after an optional `whsec_` prefix; undefined when it does not decode to a key. */
export function standardWebhookKey(secret: string): Buffer | undefined {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) return undefined;
  const key = Buffer.from(encoded, 'base64');
  return key.length > 0 ? key : undefined;
}

/** The bare base64 signature (without `v1,`). */
export function standardWebhookSignature(
  id: string,
  timestamp: string | number,
  rawBody: Buffer | string,
  key: Buffer,
): string {
  return hmacSha256(key, `${id}.${timestamp}.`, rawBody).toString('base64');
}

export function verifyStandardWebhook(
  request: VerifyRequest,
  options: StandardWebhookVerifyOptions = {},
): VerifyResult {
  const keys = request.secrets.map(standardWebhookKey);
  if (keys.length === 0) return { ok: false, reason: 'no_secret_configured' };
  if (keys.some((key) => key === undefined)) return { ok: false, reason: 'misconfigured' };
  const header = request.headers(STANDARD_WEBHOOK_HEADERS.signature);
  if (!header) return { ok: false, reason: 'missing_signature' };
  const id = request.headers(STANDARD_WEBHOOK_HEADERS.id);
  const timestamp = request.headers(STANDARD_WEBHOOK_HEADERS.timestamp);
  if (!id || !timestamp) return { ok: false, reason: 'malformed' };
  const freshness = checkTimestamp(timestamp, request.now, options.toleranceMs ?? DEFAULT_TIMESTAMP_TOLERANCE_MS);
  if (freshness !== 'fresh') return { ok: false, reason: freshness };

  // Only v1 entries count; other versions (e.g. asymmetric v1a) are skipped, not errors.
  const candidates = header.split(' ').flatMap((entry) => (entry.startsWith('v1,') ? [entry.slice(3)] : []));
  const secretIndex = keys.findIndex((key) => {
    const expected = standardWebhookSignature(id, timestamp, request.rawBody, key as Buffer);
    return candidates.some((candidate) => signatureEquals(candidate, expected));
  });
  if (secretIndex < 0) return { ok: false, reason: 'bad_signature' };
  return { ok: true, deliveryId: id, outcome: { kind: 'event' }, secretIndex };
}
