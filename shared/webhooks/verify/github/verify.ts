/**
 * GitHub webhook authenticity: `X-Hub-Signature-256: sha256=<hex>` is HMAC-SHA256 of the raw body. GitHub sends
 * no timestamp, so replays are caught by deduping on X-GitHub-Delivery (kept across manual redeliveries).
 */
import { contentId, hmacSha256, matchingSecret } from '../crypto';
import type { VerifyRequest, VerifyResult } from '../types';

export const GITHUB_SIGNATURE_HEADER = 'x-hub-signature-256';
export const GITHUB_DELIVERY_HEADER = 'x-github-delivery';
export const GITHUB_EVENT_HEADER = 'x-github-event';

export function githubSignature(rawBody: Buffer | string, secret: string): string {
  return `sha256=${hmacSha256(secret, rawBody).toString('hex')}`;
}

export function verifyGithub(request: VerifyRequest): VerifyResult {
  if (request.secrets.length === 0) return { ok: false, reason: 'no_secret_configured' };
  const received = request.headers(GITHUB_SIGNATURE_HEADER);
  if (!received) return { ok: false, reason: 'missing_signature' };
  const secretIndex = matchingSecret(request.secrets, received, (secret) => githubSignature(request.rawBody, secret));
  if (secretIndex < 0) return { ok: false, reason: 'bad_signature' };
  const deliveryId = request.headers(GITHUB_DELIVERY_HEADER) || contentId(request.rawBody);
  return { ok: true, deliveryId, outcome: { kind: 'event' }, secretIndex };
}
