/**
 * The webhook receipts port on Cosmos (container `webhook-deliveries`, partition /integrationId): receipts
 * written as one transactional batch per integration and 100 receipts (bulk.ts); duplicate counts added with one patch per receipt (an increment, so concurrent
 * counts never overwrite each other).
 */
import { BulkOperationType, type Container } from '@azure/cosmos';
import type { DeliveryReceipt } from '../../../webhooks/intake/receipt-types';
import type {
  ReceiptListFilter,
  ReceiptStatsRow,
  ReceiptWriteOutcome,
  WebhookReceiptsRepository,
} from '../webhook-receipts-repository';
import { writeEach, type UpsertDoc } from './bulk';
import { statusOf, stripSystemFields, translateCosmosError } from './cosmos-client';
import { rowsBetween } from './rows-between';

export class CosmosWebhookReceiptsRepository implements WebhookReceiptsRepository {
  constructor(private readonly container: Container) {}

  /** One transactional batch per integration's chunk of 100 (bulk.ts: writeEach), an outcome per receipt. */
  async upsertMany(receipts: DeliveryReceipt[]): Promise<ReceiptWriteOutcome[]> {
    const statuses = await writeEach(
      this.container,
      BulkOperationType.Upsert,
      (doc) => String(doc.integrationId),
      receipts as unknown as UpsertDoc[],
    );
    return statuses.map((written): ReceiptWriteOutcome => {
      if ('error' in written)
        return { ok: false, error: translateCosmosError(written.error, 'webhook delivery receipts') };
      return written.status < 300
        ? { ok: true, value: undefined }
        : { ok: false, error: translateCosmosError({ code: written.status }, 'webhook delivery receipt') };
    });
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
    // Only the fields a chart needs; one partition when the integration is named.
    return rowsBetween<ReceiptStatsRow>(this.container, {
      tenantId,
      timeField: 'receivedAt',
      range,
      select: ['c.receivedAt', 'c.verdict', 'c.handlingMs', 'c.reason', 'c.duplicates'],
      max,
      what: 'webhook delivery receipts',
    });
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
