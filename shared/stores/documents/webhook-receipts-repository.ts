/**
 * The webhook receipts port (documents `webhook-deliveries`, partition /integrationId): one receipt per webhook
 * delivery (shared/webhooks/intake/receipt-types.ts), its id a hash of the delivery id. The delivery log
 * (shared/webhooks/intake/delivery-log.ts) batches its writes. Implementations:
 * cosmos/webhook-receipts-repository.ts, memory/webhook-receipts-repository.ts.
 */
import type { DeliveryReceipt } from '../../webhooks/intake/receipt-types';

export interface ReceiptListFilter {
  from?: string;
  to?: string;
  verdict?: DeliveryReceipt['verdict'];
  eventType?: string;
  newestFirst?: boolean;
}

/** What a chart reads of a receipt. */
export type ReceiptStatsRow = Pick<DeliveryReceipt, 'receivedAt' | 'verdict' | 'handlingMs'> &
  Partial<Pick<DeliveryReceipt, 'reason' | 'duplicates'>>;

/** One per receipt of a bulk write, in order. */
export type ReceiptWriteOutcome = { ok: true; value: undefined } | { ok: false; error: unknown };

export interface WebhookReceiptsRepository {
  /** Writes receipts as they are, in bulk (calls of 100). */
  upsertMany(receipts: DeliveryReceipt[]): Promise<ReceiptWriteOutcome[]>;
  save(receipt: DeliveryReceipt): Promise<void>;
  get(integrationId: string, receiptId: string): Promise<DeliveryReceipt | undefined>;
  /**
   * Receipts of one integration of the tenant received in [from, to] (ISO times), oldest first (newest first
   * with `newestFirst`), at most `limit`; only those of `verdict` and `eventType` when given.
   */
  list(tenantId: string, integrationId: string, range: ReceiptListFilter, limit: number): Promise<DeliveryReceipt[]>;
  /**
   * What the charts read of the tenant's receipts received in [from, to) across its integrations (or one), at
   * most `max`; `truncated` when there were more.
   */
  statsBetween(
    tenantId: string,
    range: { from: string; to: string; integrationId?: string },
    max: number,
  ): Promise<{ rows: ReceiptStatsRow[]; truncated: boolean }>;
  /**
   * Adds `copies` to each receipt's duplicate count. A receipt that does not exist is skipped; answers, in order,
   * the error of each count that could not be added (undefined for the others).
   */
  addDuplicates(counts: Array<{ integrationId: string; id: string; copies: number }>): Promise<Array<unknown>>;
}
