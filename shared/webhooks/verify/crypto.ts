/**
 * The few crypto primitives the verifiers share: HMAC-SHA256, a constant-time compare of encoded signatures,
 * a length-hiding compare for shared tokens, and a content hash used as a delivery id of last resort.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { sha256Hex } from '../../core/sha256';

export function hmacSha256(key: string | Buffer, ...parts: Array<string | Buffer>): Buffer {
  const mac = createHmac('sha256', key);
  for (const part of parts) mac.update(part);
  return mac.digest();
}

/**
 * Compares an encoded signature exactly as received with the one we computed. Comparing the encoded text (not the
 * decoded bytes) matters: hex case or unused base64 bits would otherwise let a different header verify.
 */
export function signatureEquals(received: string, expected: string): boolean {
  const a = Buffer.from(received, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  if (a.length !== b.length) return false;
  return timingSafeEqual(a, b);
}

/** Compares a presented token with a configured one without revealing either's length through timing. */
export function tokenEquals(presented: string, configured: string): boolean {
  const a = createHash('sha256').update(presented, 'utf8').digest();
  const b = createHash('sha256').update(configured, 'utf8').digest();
  return timingSafeEqual(a, b);
}

/** Index of the first secret whose expected signature matches, or -1. Empty secrets never match. */
export function matchingSecret(
  secrets: readonly string[],
  received: string,
  expectedFor: (secret: string) => string,
): number {
  return secrets.findIndex((secret) => secret.length > 0 && signatureEquals(received, expectedFor(secret)));
}

/**
 * A stable id for a delivery whose provider sends none: identical bytes dedupe as one delivery. 128 bits of
 * SHA-256 are plenty against collisions and keep ids short enough to sit inside message and document ids.
 */
export function contentId(rawBody: Buffer): string {
  return `sha256:${sha256Hex(rawBody).slice(0, 32)}`;
}
