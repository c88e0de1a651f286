/** Small builders shared by the webhook tests: header lookups and requests as the receiver would hand them in. */
import type { HeaderLookup, VerifyRequest } from '../../shared/webhooks/verify/types';

/** A case-insensitive lookup over a plain record, like `Headers.get`. */
export function headersOf(values: Record<string, string | undefined>): HeaderLookup {
  const lower = new Map(
    Object.entries(values).flatMap(([name, value]) =>
      value === undefined ? [] : [[name.toLowerCase(), value] as const],
    ),
  );
  return (name) => lower.get(name.toLowerCase());
}

export function requestOf(
  body: Buffer | string,
  headers: Record<string, string | undefined>,
  secrets: string[],
  now: number,
): VerifyRequest {
  return {
    rawBody: Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8'),
    headers: headersOf(headers),
    secrets,
    now,
  };
}
