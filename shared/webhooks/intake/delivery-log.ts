/**
 * The receipt log of webhook deliveries (`webhook-deliveries`, partition /integrationId), the durable record
 * the duplicate check (delivery-claims.ts) settles by. A delivery counts as handled only once its sync is enqueued:
 * accepted receipts are written by the intake's group commit before the provider gets its 2xx. Receipts of
 * rejected deliveries and duplicate counts are health statistics: they are written in micro-batches off the
 * request path, and reads through this log wait for what is still buffered, so a caller sees its own writes.
 */
import { sha256Hex } from '../../core/sha256';
import type { Logger } from '../../platform/observability/logger';
import type {
  ReceiptListFilter,
  ReceiptStatsRow,
  WebhookReceiptsRepository,
} from '../../stores/documents/webhook-receipts-repository';
import { MicroBatcher, type ItemOutcome } from './micro-batcher';
import type { DeliveryReceipt } from './receipt-types';

export type { DeliveryVerdict, DeliveryReceipt } from './receipt-types';

/** Receipt ids are a hash of the delivery id: provider ids can be long or contain characters Cosmos refuses. */
export function receiptId(deliveryId: string): string {
  return sha256Hex(deliveryId).slice(0, 40);
}

/** Receipts per bulk write. */
const BULK_CHUNK = 100;
/** Statistics may wait a little: one bulk call per 50 ms at most, per 100 receipts under load. */
const STATS_FLUSH_DELAY_MS = 50;

type DuplicateCount = { integrationId: string; id: string };

export class DeliveryLog {
  private readonly statistics: MicroBatcher<DeliveryReceipt>;
  private readonly duplicates: MicroBatcher<DuplicateCount>;

  constructor(
    private readonly receipts: WebhookReceiptsRepository,
    private readonly logger: Logger,
    /** Told of each receipt once it is written (the activity log counts verdicts in memory); must not block. */
    private readonly onVerdict?: (receipt: DeliveryReceipt) => void,
  ) {
    this.statistics = new MicroBatcher({
      maxItems: BULK_CHUNK,
      maxDelayMs: STATS_FLUSH_DELAY_MS,
      maxConcurrentFlushes: 2,
      flush: (receipts) => this.upsertMany(receipts),
    });
    this.duplicates = new MicroBatcher({
      maxItems: 500,
      maxDelayMs: STATS_FLUSH_DELAY_MS,
      maxConcurrentFlushes: 1,
      flush: (counts) => this.applyDuplicateCounts(counts),
    });
  }

  /** Upsert receipts in bulk calls; one outcome per receipt. The intake writes accepted receipts through this. */
  async upsertMany(receipts: DeliveryReceipt[]): Promise<Array<ItemOutcome<void>>> {
    const outcomes = await this.receipts.upsertMany(receipts);
    if (this.onVerdict) receipts.forEach((receipt, index) => outcomes[index]?.ok && this.onVerdict!(receipt));
    return outcomes;
  }

  /** A receipt that is statistics only (rejected, handshake): buffered, written within STATS_FLUSH_DELAY_MS. */
  record(receipt: DeliveryReceipt): void {
    this.onVerdict?.(receipt);
    this.statistics
      .add(receipt)
      .catch((error: unknown) =>
        this.logger.warn('could not record the webhook receipt', { error, verdict: receipt.verdict }),
      );
  }

  /** Duplicates are counted on the accepted receipt (endpoint health), not stored one by one. */
  countDuplicate(integrationId: string, deliveryId: string): void {
    this.duplicates
      .add({ integrationId, id: receiptId(deliveryId) })
      .catch((error: unknown) => this.logger.warn('could not count a duplicate delivery', { error }));
  }

  /** Write whatever statistics are buffered (reads call this; the host calls it on shutdown). */
  async flush(): Promise<void> {
    await Promise.all([this.statistics.drain(), this.duplicates.drain()]);
  }

  async save(receipt: DeliveryReceipt): Promise<void> {
    await this.receipts.save(receipt);
  }

  async get(integrationId: string, deliveryId: string): Promise<DeliveryReceipt | undefined> {
    return this.getById(integrationId, receiptId(deliveryId));
  }

  async getById(integrationId: string, id: string): Promise<DeliveryReceipt | undefined> {
    await this.flush();
    return this.readStored(integrationId, id);
  }

  /** Receipts of one integration in a time range, oldest first unless asked otherwise (bounded, filtered). */
  async list(
    tenantId: string,
    integrationId: string,
    range: ReceiptListFilter = {},
    limit = 1000,
  ): Promise<DeliveryReceipt[]> {
    await this.flush();
    return this.receipts.list(tenantId, integrationId, range, limit);
  }

  /** What the charts read of the tenant's receipts in [from, to) (bounded; `truncated` when there were more). */
  async statsBetween(
    tenantId: string,
    range: { from: string; to: string; integrationId?: string },
    max: number,
  ): Promise<{ rows: ReceiptStatsRow[]; truncated: boolean }> {
    await this.flush();
    return this.receipts.statsBetween(tenantId, range, max);
  }

  /** The receipt as stored, not waiting for buffered statistics (accepted receipts are never buffered). */
  async readStored(integrationId: string, id: string): Promise<DeliveryReceipt | undefined> {
    return this.receipts.get(integrationId, id);
  }

  /** One count per receipt however many copies arrived in the window. */
  private async applyDuplicateCounts(counts: DuplicateCount[]): Promise<Array<ItemOutcome<void>>> {
    const byReceipt = new Map<string, DuplicateCount & { copies: number }>();
    for (const count of counts) {
      const key = `${count.integrationId}/${count.id}`;
      const entry = byReceipt.get(key) ?? { ...count, copies: 0 };
      entry.copies++;
      byReceipt.set(key, entry);
    }
    const entries = [...byReceipt.entries()];
    const errors = await this.receipts.addDuplicates(entries.map(([, entry]) => entry));
    const failures = new Map<string, unknown>();
    entries.forEach(([key], index) => {
      if (errors[index] !== undefined) failures.set(key, errors[index]);
    });
    return counts.map((count) => {
      const failure = failures.get(`${count.integrationId}/${count.id}`);
      return failure === undefined ? { ok: true, value: undefined } : { ok: false, error: failure };
    });
  }
}
