/**
 * The webhook receipts port on Cosmos (container `webhook-deliveries`, partition /integrationId): receipts
 * written in bulk calls of 100; duplicate counts added with one patch per receipt (an increment, so concurrent
 * counts never overwrite each other).
 */
import { BulkOperationType, type Container, type JSONObject, type OperationInput } from '@azure/cosmos';
import type { DeliveryReceipt } from '../../../webhooks/intake/receipt-types';
import type {
  ReceiptListFilter,
  ReceiptStatsRow,
  ReceiptWriteOutcome,
  WebhookReceiptsRepository,
} from '../webhook-receipts-repository';
import { statusOf, stripSystemFields, translateCosmosError } from './cosmos-client';

/** Cosmos takes at most 100 operations per bulk call. */
const BULK_CHUNK = 100;
/** Rows per page of a chart's query. */
const STATS_PAGE_SIZE = 1000;

export class CosmosWebhookReceiptsRepository implements WebhookReceiptsRepository {
  constructor(private readonly container: Container) {}

  async upsertMany(receipts: DeliveryReceipt[]): Promise<ReceiptWriteOutcome[]> {
    const outcomes: ReceiptWriteOutcome[] = [];
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

  async save(receipt: DeliveryReceipt): Promise<void> {
    try {
      await this.container.items.upsert(receipt);
    } catch (error) {
      throw translateCosmosError(error, 'webhook delivery receipt');
    }
  }

  async get(integrationId: string, receiptId: string): Promise<DeliveryReceipt | undefined> {
    try {
      const { resource } = await this.container
        .item(receiptId, integrationId)
        .read<DeliveryReceipt & { _etag: string }>();
      return resource ? stripSystemFields(resource) : undefined;
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw translateCosmosError(error, 'webhook delivery receipt');
    }
  }

  async list(
    tenantId: string,
    integrationId: string,
    range: ReceiptListFilter,
    limit: number,
  ): Promise<DeliveryReceipt[]> {
    const filters = [
      ...(range.verdict !== undefined ? ['c.verdict = @verdict'] : []),
      ...(range.eventType !== undefined ? ['c.eventType = @eventType'] : []),
    ];
    try {
      const { resources } = await this.container.items
        .query<DeliveryReceipt & { _etag: string }>(
          {
            query: `SELECT * FROM c WHERE c.integrationId = @integrationId AND c.tenantId = @tenantId AND c.receivedAt >= @from AND c.receivedAt <= @to${filters.map((filter) => ` AND ${filter}`).join('')} ORDER BY c.receivedAt${range.newestFirst ? ' DESC' : ''}`,
            parameters: [
              { name: '@integrationId', value: integrationId },
              { name: '@tenantId', value: tenantId },
              { name: '@from', value: range.from ?? '0000' },
              { name: '@to', value: range.to ?? '9999' },
              ...(range.verdict !== undefined ? [{ name: '@verdict', value: range.verdict }] : []),
              ...(range.eventType !== undefined ? [{ name: '@eventType', value: range.eventType }] : []),
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

  async statsBetween(
    tenantId: string,
    range: { from: string; to: string; integrationId?: string },
    max: number,
  ): Promise<{ rows: ReceiptStatsRow[]; truncated: boolean }> {
    const { from, to, integrationId } = range;
    const parameters = [
      { name: '@tenantId', value: tenantId },
      { name: '@from', value: from },
      { name: '@to', value: to },
      ...(integrationId ? [{ name: '@integrationId', value: integrationId }] : []),
    ];
    const filter = `c.tenantId = @tenantId AND c.receivedAt >= @from AND c.receivedAt < @to${integrationId ? ' AND c.integrationId = @integrationId' : ''}`;
    try {
      // Only the fields a chart needs; one partition when the integration is named.
      const iterator = this.container.items.query<ReceiptStatsRow>(
        {
          query: `SELECT c.receivedAt, c.verdict, c.handlingMs, c.reason, c.duplicates FROM c WHERE ${filter}`,
          parameters,
        },
        { maxItemCount: STATS_PAGE_SIZE, ...(integrationId ? { partitionKey: integrationId } : {}) },
      );
      const rows: ReceiptStatsRow[] = [];
      while (iterator.hasMoreResults() && rows.length <= max) {
        const { resources } = await iterator.fetchNext();
        rows.push(...resources);
      }
      return { rows: rows.slice(0, max), truncated: rows.length > max || iterator.hasMoreResults() };
    } catch (error) {
      throw translateCosmosError(error, 'webhook delivery receipts');
    }
  }

  /** One patch per receipt however many copies arrived (Cosmos bulk has no increment everywhere). */
  async addDuplicates(counts: Array<{ integrationId: string; id: string; copies: number }>): Promise<Array<unknown>> {
    return Promise.all(
      counts.map(async (count) => {
        try {
          await this.container
            .item(count.id, count.integrationId)
            .patch([{ op: 'incr', path: '/duplicates', value: count.copies }]);
          return undefined;
        } catch (error) {
          return statusOf(error) === 404 ? undefined : translateCosmosError(error, 'webhook delivery receipt');
        }
      }),
    );
  }
}
