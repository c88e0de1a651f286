/** The webhook receipts port in memory (tests): one partition per integration, as in Cosmos. */
import type { DeliveryReceipt } from '../../../webhooks/intake/receipt-types';
import type {
  ReceiptListFilter,
  ReceiptStatsRow,
  ReceiptWriteOutcome,
  WebhookReceiptsRepository,
} from '../webhook-receipts-repository';
import { MemoryContainer } from './memory-container';

export class MemoryWebhookReceiptsRepository implements WebhookReceiptsRepository {
  private readonly container = new MemoryContainer<DeliveryReceipt>();

  async upsertMany(receipts: DeliveryReceipt[]): Promise<ReceiptWriteOutcome[]> {
    return receipts.map((receipt) => {
      this.container.upsert(receipt.integrationId, receipt);
      return { ok: true, value: undefined };
    });
  }

  async save(receipt: DeliveryReceipt): Promise<void> {
    this.container.upsert(receipt.integrationId, receipt);
  }

  async get(integrationId: string, receiptId: string): Promise<DeliveryReceipt | undefined> {
    const doc = this.container.read(integrationId, receiptId)?.doc;
    return doc ? { ...doc } : undefined;
  }

  async list(
    tenantId: string,
    integrationId: string,
    range: ReceiptListFilter,
    limit: number,
  ): Promise<DeliveryReceipt[]> {
    const from = range.from ?? '0000';
    const to = range.to ?? '9999';
    const sorted = [...this.container.partition(integrationId)]
      .map((slot) => slot.doc)
      .filter(
        (receipt) =>
          receipt.tenantId === tenantId &&
          receipt.receivedAt >= from &&
          receipt.receivedAt <= to &&
          (range.verdict === undefined || receipt.verdict === range.verdict) &&
          (range.eventType === undefined || receipt.eventType === range.eventType),
      )
      .sort((a, b) => (a.receivedAt < b.receivedAt ? -1 : a.receivedAt > b.receivedAt ? 1 : 0));
    if (range.newestFirst) sorted.reverse();
    return sorted.slice(0, limit).map((receipt) => ({ ...receipt }));
  }

  async statsBetween(
    tenantId: string,
    range: { from: string; to: string; integrationId?: string },
    max: number,
  ): Promise<{ rows: ReceiptStatsRow[]; truncated: boolean }> {
    const rows = [...this.container.all()]
      .map((slot) => slot.doc)
      .filter(
        (receipt) =>
          receipt.tenantId === tenantId &&
          receipt.receivedAt >= range.from &&
          receipt.receivedAt < range.to &&
          (range.integrationId === undefined || receipt.integrationId === range.integrationId),
      )
      .map(({ receivedAt, verdict, handlingMs, reason, duplicates }) => ({
        receivedAt,
        verdict,
        handlingMs,
        ...(reason !== undefined ? { reason } : {}),
        ...(duplicates !== undefined ? { duplicates } : {}),
      }));
    return { rows: rows.slice(0, max), truncated: rows.length > max };
  }

  async addDuplicates(counts: Array<{ integrationId: string; id: string; copies: number }>): Promise<Array<unknown>> {
    for (const count of counts) {
      const receipt = this.container.read(count.integrationId, count.id)?.doc;
      if (receipt)
        this.container.upsert(count.integrationId, {
          ...receipt,
          duplicates: (receipt.duplicates ?? 0) + count.copies,
        });
    }
    return counts.map(() => undefined);
  }
}
