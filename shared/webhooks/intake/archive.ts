/**
 * Archiving raw deliveries: the exact body bytes and the headers, with credentials in headers redacted (redaction.ts), under
 * a name that sorts by integration and time. Replay reads them back and checks the body's hash.
 */
import { randomBytes } from 'node:crypto';
import { sha256Hex } from '../../core/sha256';
import type { BlobArchive } from '../../stores/blob/blob-archive';
import { redactHeaders } from './redaction';

export interface ArchivedDelivery {
  provider: string;
  integrationId: string;
  deliveryId: string;
  receivedAt: string;
  headers: Record<string, string>;
  bodyBase64: string;
  bodySha256: string;
}

type DeliveryToArchive = Omit<ArchivedDelivery, 'bodyBase64' | 'bodySha256'>;

function archivedDocument(delivery: DeliveryToArchive, rawBody: Buffer): ArchivedDelivery {
  // The name rule again, whatever the caller did: credentials, tokens and signatures never reach the blob. The
  // receiver has already applied the integration's own rules (its secret header, its secrets' values).
  return {
    ...delivery,
    headers: redactHeaders(delivery.headers),
    bodyBase64: rawBody.toString('base64'),
    bodySha256: sha256Hex(rawBody),
  };
}

const dayOf = (receivedAt: string) => receivedAt.slice(0, 10).replace(/-/g, '/');

/** One delivery, one blob; the name derives from the body and the delivery id, so a retry writes the same blob. */
export async function archiveDelivery(
  blob: BlobArchive,
  delivery: DeliveryToArchive,
  rawBody: Buffer,
): Promise<{ name: string; bodySha256: string }> {
  const document = archivedDocument(delivery, rawBody);
  const name = `${delivery.integrationId}/${dayOf(delivery.receivedAt)}/${document.bodySha256.slice(0, 16)}-${sha256Hex(delivery.deliveryId).slice(0, 16)}.json`;
  await blob.put(name, JSON.stringify(document), 'application/json', { provider: delivery.provider });
  return { name, bodySha256: document.bodySha256 };
}

/** Several deliveries of one integration committed together: one blob (a segment) instead of one upload each. */
interface ArchiveSegment {
  segment: true;
  deliveries: ArchivedDelivery[];
}

/**
 * Archives the deliveries of one integration (one tenant: segments never mix tenants' payloads). A single
 * delivery gets its own blob as always; several share one segment blob, which every receipt names.
 */
export async function archiveDeliveries(
  blob: BlobArchive,
  deliveries: Array<{ delivery: DeliveryToArchive; rawBody: Buffer }>,
): Promise<Array<{ name: string; bodySha256: string }>> {
  if (deliveries.length === 1) return [await archiveDelivery(blob, deliveries[0]!.delivery, deliveries[0]!.rawBody)];
  const documents = deliveries.map(({ delivery, rawBody }) => archivedDocument(delivery, rawBody));
  const first = documents[0]!;
  const name = `${first.integrationId}/${dayOf(first.receivedAt)}/segment-${first.bodySha256.slice(0, 16)}-${randomBytes(6).toString('hex')}.json`;
  await blob.put(
    name,
    JSON.stringify({ segment: true, deliveries: documents } satisfies ArchiveSegment),
    'application/json',
    { provider: first.provider, deliveries: String(documents.length) },
  );
  return documents.map((document) => ({ name, bodySha256: document.bodySha256 }));
}

/** Reads an archived delivery from its own blob, or picks it (by delivery id) out of a segment. */
export async function readArchivedDelivery(
  blob: BlobArchive,
  name: string,
  deliveryId?: string,
): Promise<{ delivery: ArchivedDelivery; rawBody: Buffer } | undefined> {
  const stored = await blob.get(name);
  if (!stored) return undefined;
  const parsed = JSON.parse(stored.toString('utf8')) as ArchivedDelivery | ArchiveSegment;
  const delivery =
    'segment' in parsed ? parsed.deliveries.find((candidate) => candidate.deliveryId === deliveryId) : parsed;
  return delivery ? { delivery, rawBody: Buffer.from(delivery.bodyBase64, 'base64') } : undefined;
}
