/**
 * The receipt log of webhook deliveries (`webhook-deliveries`, partition /integrationId) and the duplicate
 * check in front of it. A delivery counts as handled only once its sync is enqueued: Redis holds an
 * "accepted" marker (SET NX, 72 h TTL) for the fast path; the receipt document in Cosmos is the durable
 * record and the fallback when Redis is not configured or down. A delivery that crashed half-way is not
 * marked, so the provider's retry is processed again (enqueueing is idempotent by message id).
 */
import { createHash } from 'node:crypto';
import type { Container } from '@azure/cosmos';
import type { RedisClient } from '../redis/redis-client';
import type { Logger } from '../observability/logger';
import { statusOf, translateCosmosError } from '../storage/cosmos-client';
import { stripSystemFields } from '../storage/integrations-repository';

export const DEDUPE_TTL_SECONDS = 72 * 3600;

export type DeliveryVerdict = 'accepted' | 'duplicate' | 'rejected' | 'handshake' | 'challenge' | 'channel_sync';

export interface DeliveryReceipt {
  id: string;
  integrationId: string;
  tenantId: string;
  provider: string;
  deliveryId: string;
  verdict: DeliveryVerdict;
  reason?: string;
  receivedAt: string;
  handlingMs: number;
  archiveBlob?: string;
  /** SHA-256 of the raw body, checked again when the archive is replayed. */
  bodySha256?: string;
  runIds?: string[];
  duplicates?: number;
  replays?: Array<{ at: string; by: string; runIds: string[] }>;
}

/** Receipt ids are a hash of the delivery id: provider ids can be long or contain characters Cosmos refuses. */
export function receiptId(deliveryId: string): string {
  return createHash('sha256').update(deliveryId).digest('hex').slice(0, 40);
}

export class DeliveryLog {
  constructor(
    private readonly container: Container,
    private readonly redis: RedisClient | undefined,
    private readonly keyPrefix: string,
    private readonly logger: Logger,
  ) {}

  private key(integrationId: string, deliveryId: string): string {
    return `${this.keyPrefix}wh:${integrationId}:${receiptId(deliveryId)}`;
  }

  /** True when this delivery was already accepted (its sync enqueued). */
  async alreadyAccepted(integrationId: string, deliveryId: string): Promise<boolean> {
    if (this.redis && this.redis.status === 'ready') {
      try {
        return (await this.redis.exists(this.key(integrationId, deliveryId))) === 1;
      } catch (error) {
        this.logger.warn('redis unavailable for webhook dedupe; using Cosmos', { error });
      }
    }
    const receipt = await this.get(integrationId, deliveryId);
    return receipt?.verdict === 'accepted';
  }

  /** Record an accepted delivery: the Cosmos receipt first (durable), then the Redis marker. */
  async markAccepted(receipt: DeliveryReceipt): Promise<void> {
    await this.save(receipt);
    if (this.redis && this.redis.status === 'ready') {
      await this.redis.set(this.key(receipt.integrationId, receipt.deliveryId), 'accepted', 'EX', DEDUPE_TTL_SECONDS, 'NX').catch((error: unknown) => {
        this.logger.warn('could not set the webhook dedupe marker in redis', { error });
      });
    }
  }

  async save(receipt: DeliveryReceipt): Promise<void> {
    try {
      await this.container.items.upsert(receipt);
    } catch (error) {
      throw translateCosmosError(error, 'webhook delivery receipt');
    }
  }

  /** Duplicates are counted on the accepted receipt (endpoint health), not stored one by one. */
  async countDuplicate(integrationId: string, deliveryId: string): Promise<void> {
    try {
      await this.container.item(receiptId(deliveryId), integrationId).patch([{ op: 'incr', path: '/duplicates', value: 1 }]);
    } catch (error) {
      if (statusOf(error) !== 404) throw translateCosmosError(error, 'webhook delivery receipt');
    }
  }

  async get(integrationId: string, deliveryId: string): Promise<DeliveryReceipt | undefined> {
    return this.getById(integrationId, receiptId(deliveryId));
  }

  async getById(integrationId: string, id: string): Promise<DeliveryReceipt | undefined> {
    try {
      const { resource } = await this.container.item(id, integrationId).read<DeliveryReceipt & { _etag: string }>();
      return resource ? stripSystemFields(resource) : undefined;
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw translateCosmosError(error, 'webhook delivery receipt');
    }
  }

  /** Receipts of one integration in a time range, oldest first (bounded). */
  async list(tenantId: string, integrationId: string, range: { from?: string; to?: string } = {}, limit = 1000): Promise<DeliveryReceipt[]> {
    try {
      const { resources } = await this.container.items
        .query<DeliveryReceipt & { _etag: string }>(
          {
            query: 'SELECT * FROM c WHERE c.integrationId = @integrationId AND c.tenantId = @tenantId AND c.receivedAt >= @from AND c.receivedAt <= @to ORDER BY c.receivedAt',
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
}
