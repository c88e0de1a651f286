/**
 * The shapes of webhook receipts and endpoint health, as stored and as the admin API shows them. Types only and
 * no imports: the admin UI's contracts (shared/admin/contracts/operations.ts) re-export them, and the UI bundles
 * what they reach.
 */
export type DeliveryVerdict = 'accepted' | 'duplicate' | 'rejected' | 'handshake' | 'challenge' | 'channel_sync';

export interface DeliveryReceipt {
  id: string;
  integrationId: string;
  tenantId: string;
  provider: string;
  deliveryId: string;
  verdict: DeliveryVerdict;
  reason?: string;
  /** The provider's event type of an accepted delivery (`issues`, `messages`…; verify/event-type.ts). */
  eventType?: string;
  receivedAt: string;
  handlingMs: number;
  archiveBlob?: string;
  /** SHA-256 of the raw body, checked again when the archive is replayed. */
  bodySha256?: string;
  runIds?: string[];
  duplicates?: number;
  replays?: Array<{ at: string; by: string; runIds: string[] }>;
}

export interface EndpointHealth {
  since: string;
  received: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  rejectedByReason: Record<string, number>;
  lastAcceptedAt?: string;
  handlingMs: { p50?: number; p99?: number };
  status: 'healthy' | 'unhealthy' | 'no_traffic';
  problems: string[];
}
