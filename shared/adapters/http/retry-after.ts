/** Parses a Retry-After header (delta seconds or an HTTP date) into milliseconds from now. */

export function parseRetryAfterMs(value: string | null | undefined, nowMs: number = Date.now()): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const dateMs = Date.parse(trimmed);
  if (Number.isNaN(dateMs)) return undefined;
  return Math.max(0, dateMs - nowMs);
}

/** A signal from Retry-After alone: what providers without their own headers give us on 429 / 503. */
export function retryAfterSignal(
  provider: string,
  status: number,
  headers: Headers,
): { provider: string; status: number; retryAfterMs: number; observedAt: number } | undefined {
  const retryAfterMs = parseRetryAfterMs(headers.get('retry-after'));
  if (retryAfterMs === undefined) return undefined;
  return { provider, status, retryAfterMs, observedAt: Date.now() };
}
