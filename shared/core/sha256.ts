/**
 * SHA-256 (hex) of a short text, for the deterministic document ids of shards and record states: computed for
 * every record of every page, so it uses Node's one-shot hash where the runtime has it (Node ≥ 20.12), which
 * skips building a Hash object per call. Same digest either way.
 */
import * as crypto from 'node:crypto';

const oneShot = typeof crypto.hash === 'function' ? crypto.hash : undefined;

export function sha256Hex(text: string): string {
  return oneShot ? oneShot('sha256', text, 'hex') : crypto.createHash('sha256').update(text).digest('hex');
}
