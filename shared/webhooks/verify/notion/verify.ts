/**
 * Notion webhooks: the subscription starts with one unsigned `{"verification_token": "…"}` POST; that token then
 * keys `X-Notion-Signature: sha256=<hex>` over every event body. The handshake is surfaced, never trusted: an
 * operator confirms the token before it becomes a secret. No timestamp: replays are caught by deduping on `id`.
 */
import { contentId, hmacSha256, matchingSecret } from '../crypto';
import { parseJsonObject, stringOf } from '../json';
import type { VerifyRequest, VerifyResult } from '../types';

export const NOTION_SIGNATURE_HEADER = 'x-notion-signature';

export function notionSignature(rawBody: Buffer | string, verificationToken: string): string {
  return `sha256=${hmacSha256(verificationToken, rawBody).toString('hex')}`;
}

/** The handshake body holds the token and nothing that looks like an event. */
function handshakeToken(rawBody: Buffer): string | undefined {
  const body = parseJsonObject(rawBody);
  if (!body || 'type' in body || 'entity' in body) return undefined;
  return stringOf(body.verification_token);
}

export function verifyNotion(request: VerifyRequest): VerifyResult {
  const received = request.headers(NOTION_SIGNATURE_HEADER);
  if (!received) {
    const verificationToken = handshakeToken(request.rawBody);
    if (verificationToken)
      return { ok: true, deliveryId: contentId(request.rawBody), outcome: { kind: 'handshake', verificationToken } };
    return { ok: false, reason: request.secrets.length === 0 ? 'no_secret_configured' : 'missing_signature' };
  }
  if (request.secrets.length === 0) return { ok: false, reason: 'no_secret_configured' };
  const secretIndex = matchingSecret(request.secrets, received, (token) => notionSignature(request.rawBody, token));
  if (secretIndex < 0) return { ok: false, reason: 'bad_signature' };
  const event = parseJsonObject(request.rawBody);
  const deliveryId = event && stringOf(event.id);
  if (!deliveryId) return { ok: false, reason: 'malformed' };
  return { ok: true, deliveryId, outcome: { kind: 'event' }, secretIndex };
}
