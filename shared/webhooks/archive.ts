/**
 * Archiving raw deliveries: the exact body bytes and the headers, with credentials in headers redacted, under
 * a name that sorts by integration and time. Replay reads them back and checks the body's hash.
 */
import { createHash } from 'node:crypto';
import type { BlobArchive } from '../blob/blob-archive';
import { REDACTED } from '../observability/logger';

/** Headers that carry credentials rather than signatures over the body. */
const CREDENTIAL_HEADERS = /^(authorization|cookie|x-goog-channel-token|x-api-key|x-salesforce-secret|x-webhook-secret|proxy-authorization)$/i;

export interface ArchivedDelivery {
  provider: string;
  integrationId: string;
  deliveryId: string;
  receivedAt: string;
  headers: Record<string, string>;
  bodyBase64: string;
  bodySha256: string;
}

export function sha256Hex(body: Buffer): string {
  return createHash('sha256').update(body).digest('hex');
}

export function redactHeaders(headers: Record<string, string>, extraSecretHeaders: string[] = []): Record<string, string> {
  const extra = new Set(extraSecretHeaders.map((name) => name.toLowerCase()));
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, CREDENTIAL_HEADERS.test(name) || extra.has(name.toLowerCase()) ? REDACTED : value]));
}

export async function archiveDelivery(blob: BlobArchive, delivery: Omit<ArchivedDelivery, 'bodyBase64' | 'bodySha256'>, rawBody: Buffer): Promise<{ name: string; bodySha256: string }> {
  const day = delivery.receivedAt.slice(0, 10).replace(/-/g, '/');
  const bodySha256 = sha256Hex(rawBody);
  const name = `${delivery.integrationId}/${day}/${bodySha256.slice(0, 16)}-${createHash('sha256').update(delivery.deliveryId).digest('hex').slice(0, 16)}.json`;
  const document: ArchivedDelivery = { ...delivery, bodyBase64: rawBody.toString('base64'), bodySha256 };
  await blob.put(name, JSON.stringify(document), 'application/json', { provider: delivery.provider });
  return { name, bodySha256 };
}

export async function readArchivedDelivery(blob: BlobArchive, name: string): Promise<{ delivery: ArchivedDelivery; rawBody: Buffer } | undefined> {
  const stored = await blob.get(name);
  if (!stored) return undefined;
  const delivery = JSON.parse(stored.toString('utf8')) as ArchivedDelivery;
  return { delivery, rawBody: Buffer.from(delivery.bodyBase64, 'base64') };
}
