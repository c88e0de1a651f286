/**
 * SHA-256 (hex) of a short text or a request body, for deterministic ids (shards and record states on every record
 * of every page; receipts, runs and archive names on every webhook delivery) and body digests: it uses Node's
 * one-shot hash where the runtime has it (Node ≥ 20.12), which skips building a Hash object per call (most of the
 * cost for inputs this small). Same digest either way.
 */
import * as crypto from 'node:crypto';

const oneShot = typeof crypto.hash === 'function' ? crypto.hash : undefined;

export function sha256Hex(data: string | Buffer): string {
  return oneShot ? oneShot('sha256', data, 'hex') : crypto.createHash('sha256').update(data).digest('hex');
}
