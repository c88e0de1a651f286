/**
 * Limits on request bodies that hold before the work they protect: a size limit applied while the body
 * streams in (nothing past the limit is buffered), and a nesting limit for JSON, checked on the text before
 * JSON.parse. V8 parses deep nesting fine, but
 * what comes after (schema validation, canonical JSON, the document store) recurses per level and runs out
 * of stack: a 256 KB body of "[[[[…" is 130,000 levels. No body the app accepts comes near MAX_JSON_DEPTH.
 */

import { AppError } from '../../core/app-error';

/** `{` and `[` together occur at most `limit` times in `text` (inside strings too: an upper bound). */
function openersAtMost(text: string, limit: number): boolean {
  let count = 0;
  for (const opener of ['{', '[']) {
    for (let at = text.indexOf(opener); at !== -1; at = text.indexOf(opener, at + 1)) if (++count > limit) return false;
  }
  return true;
}

/** Deepest nesting of objects and arrays accepted in a JSON body. */
export const MAX_JSON_DEPTH = 64;

/** Whether the JSON text nests objects or arrays deeper than maxDepth (brackets inside strings do not count). */
export function exceedsJsonDepth(text: string, maxDepth: number = MAX_JSON_DEPTH): boolean {
  // Nesting never exceeds the number of brackets that open it; counting them is a few native searches, where the
  // scan below reads every character (webhook bodies have a handful of brackets and run to kilobytes).
  if (openersAtMost(text, maxDepth)) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (inString) {
      if (code === 0x5c)
        i++; // backslash: the next character is escaped
      else if (code === 0x22) inString = false;
      continue;
    }
    if (code === 0x22) inString = true;
    else if (code === 0x5b || code === 0x7b) {
      if (++depth > maxDepth) return true;
    } else if (code === 0x5d || code === 0x7d) depth--;
  }
  return false;
}

export const bodyTooLarge = (maxBytes: number): AppError =>
  new AppError('payload_too_large', `body is larger than ${maxBytes} bytes`);

/** Reads a body stream as UTF-8 text, refusing (413) at the chunk that passes maxBytes and cancelling the rest. */
export async function readLimitedText(stream: ReadableStream<Uint8Array>, maxBytes: number): Promise<string> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw bodyTooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size).toString('utf8');
}
