/**
 * The receipt log of webhook deliveries (`webhook-deliveries`, partition /integrationId) and the duplicate
 * check in front of it (delivery-claims.ts). A delivery counts as handled only once its sync is enqueued:
 * accepted receipts are written by the intake's group commit before the provider gets its 2xx. Receipts of
 * rejected deliveries and duplicate counts are health statistics: they are written in micro-batches off the
 * request path, and reads through this log wait for what is still buffered, so a caller sees its own writes.
 */
import { createHash } from 'node:crypto';
import { BulkOperationType, type Container, type JSONObject, type OperationInput } from '@azure/cosmos';
import type { RedisClient } from '../../stores/kv/redis/redis-client';
import type { Logger } from '../../platform/observability/logger';
import { statusOf, translateCosmosError } from '../../stores/documents/cosmos-client';
import { stripSystemFields } from '../../stores/documents/integrations-repository';
import { DeliveryClaims } from './delivery-claims';
import { MicroBatcher, type ItemOutcome } from './micro-batcher';
import type { DeliveryReceipt } from './receipt-types';

export { DEDUPE_TTL_SECONDS } from './delivery-claims';

export type { DeliveryVerdict, DeliveryReceipt } from './receipt-types';

/** Receipt ids are a hash of the delivery id: provider ids can be long or contain characters Cosmos refuses. */
export function receiptId(deliveryId: string): string {
  return createHash('sha256').update(deliveryId).digest('hex').slice(0, 40);
}

/** Cosmos takes at most 100 operations per bulk call. */
const BULK_CHUNK = 100;
/** Statistics may wait a little: one bulk call per 50 ms at most, per 100 receipts under load. */
const STATS_FLUSH_DELAY_MS = 50;

type DuplicateCount = { integrationId: string; id: string };

export class DeliveryLog {
  readonly claims: DeliveryClaims;
  private readonly statistics: MicroBatcher<DeliveryReceipt>;
  private readonly duplicates: MicroBatcher<DuplicateCount>;

  constructor(
    private readonly container: Container,
    redis: RedisClient | undefined,
    keyPrefix: string,
    private readonly logger: Logger,
  ) {
    this.claims = new DeliveryClaims(
      redis,
      keyPrefix,
      logger,
      async (key) => (await this.readStored(key.integrationId, key.receiptId))?.verdict === 'accepted',
    );
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
    const outcomes: Array<ItemOutcome<void>> = [];
    for (let start = 0; start < receipts.length; start += BULK_CHUNK) {
      const chunk = receipts.slice(start, start + BULK_CHUNK);
      const operations: OperationInput[] = chunk.map((receipt) => ({
        operationType: BulkOperationType.Upsert,
        partitionKey: receipt.integrationId,
        resourceBody: receipt as unknown as JSONObject,
      }));
      try {
        const results = await this.container.items.bulk(operations, { continueOnError: true });
        chunk.forEach((_, index) => {
          const status = results[index]?.statusCode ?? 500;
          outcomes.push(
            status < 300
              ? { ok: true, value: undefined }
              : { ok: false, error: translateCosmosError({ code: status }, 'webhook delivery receipt') },
          );
        });
      } catch (error) {
        const translated = translateCosmosError(error, 'webhook delivery receipts');
        for (let i = 0; i < chunk.length; i++) outcomes.push({ ok: false, error: translated });
      }
    }
    return outcomes;
  }

  /** A receipt that is statistics only (rejected, handshake): buffered, written within STATS_FLUSH_DELAY_MS. */
  record(receipt: DeliveryReceipt): void {
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
    try {
      await this.container.items.upsert(receipt);
    } catch (error) {
      throw translateCosmosError(error, 'webhook delivery receipt');
    }
  }

  async get(integrationId: string, deliveryId: string): Promise<DeliveryReceipt | undefined> {
    return this.getById(integrationId, receiptId(deliveryId));
  }

  async getById(integrationId: string, id: string): Promise<DeliveryReceipt | undefined> {
    await this.flush();
    return this.readStored(integrationId, id);
  }

  /** Receipts of one integration in a time range, oldest first (bounded). */
  async list(
    tenantId: string,
    integrationId: string,
    range: { from?: string; to?: string } = {},
    limit = 1000,
  ): Promise<DeliveryReceipt[]> {
    await this.flush();
    try {
      const { resources } = await this.container.items
        .query<DeliveryReceipt & { _etag: string }>(
          {
            query:
              'SELECT * FROM c WHERE c.integrationId = @integrationId AND c.tenantId = @tenantId AND c.receivedAt >= @from AND c.receivedAt <= @to ORDER BY c.receivedAt',
            parameters: [
              { name: '@integrationId', value: integrationId },
              { name: '@tenantId', value: tenantId },
              { name: '@from', value: range.from ?? '0000' },
              { name: '@to', value: range.to ?? '9999' },
            ],
          },
          { partitionKey: integrationId, maxItemCount: limit },
        )
        .fetchNext();
      return resources.map(stripSystemFields);
    } catch (error) {
      throw translateCosmosError(error, 'webhook delivery receipts');
    }
  }

  private async readStored(integrationId: string, id: string): Promise<DeliveryReceipt | undefined> {
    try {
      const { resource } = await this.container.item(id, integrationId).read<DeliveryReceipt & { _etag: string }>();
      return resource ? stripSystemFields(resource) : undefined;
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw translateCosmosError(error, 'webhook delivery receipt');
    }
  }

  /** One patch per receipt however many copies arrived in the window (Cosmos bulk has no increment everywhere). */
  private async applyDuplicateCounts(counts: DuplicateCount[]): Promise<Array<ItemOutcome<void>>> {
    const byReceipt = new Map<string, DuplicateCount & { copies: number }>();
    for (const count of counts) {
      const key = `${count.integrationId}/${count.id}`;
      const entry = byReceipt.get(key) ?? { ...count, copies: 0 };
      entry.copies++;
      byReceipt.set(key, entry);
    }
    const failures = new Map<string, unknown>();
    await Promise.all(
      [...byReceipt.entries()].map(async ([key, entry]) => {
        try {
          await this.container
            .item(entry.id, entry.integrationId)
            .patch([{ op: 'incr', path: '/duplicates', value: entry.copies }]);
        } catch (error) {
          if (statusOf(error) !== 404) failures.set(key, translateCosmosError(error, 'webhook delivery receipt'));
        }
      }),
    );
    return counts.map((count) => {
      const failure = failures.get(`${count.integrationId}/${count.id}`);
      return failure === undefined ? { ok: true, value: undefined } : { ok: false, error: failure };
    });
  }
}
