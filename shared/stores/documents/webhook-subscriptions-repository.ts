/**
 * Webhook subscription state (shared/webhooks/subscriptions/): one document per integration in the `sync-state`
 * container (partition /integrationId, kind "webhook-subscription"), beside the integration's other sync state.
 * Reads check the tenant, so another tenant's id finds nothing. Writes are guarded by the ETag they were read with
 * (a create by "must not exist"), which is how one instance at a time claims a subscription. The renewer's scan
 * for due subscriptions is the one cross-partition query, named as such.
 */
import type { Container } from '@azure/cosmos';
import {
  SUBSCRIPTION_DOC_ID,
  type StoredSubscription,
  type WebhookSubscription,
} from '../../core/webhook-subscription';
import { statusOf, translateCosmosError } from './cosmos-client';
import { stripSystemFields } from './integrations-repository';

/** The port the subscription logic uses; WebhookSubscriptionsRepository implements it on Cosmos. */
export interface SubscriptionStore {
  /** Undefined when absent or when it belongs to another tenant. */
  get(tenantId: string, integrationId: string): Promise<StoredSubscription | undefined>;
  /** Creates (no etag: fails with conflict when it exists) or replaces guarded by the ETag it was read with. */
  save(subscription: WebhookSubscription, etag: string | undefined): Promise<StoredSubscription>;
  delete(tenantId: string, integrationId: string): Promise<void>;
  /** Cross-tenant, for the renewer only: subscriptions whose next check time has come, oldest first. */
  dueAcrossTenants(now: Date, limit: number): Promise<StoredSubscription[]>;
}

export class WebhookSubscriptionsRepository implements SubscriptionStore {
  constructor(private readonly container: Container) {}

  async get(tenantId: string, integrationId: string): Promise<StoredSubscription | undefined> {
    try {
      const { resource } = await this.container.item(SUBSCRIPTION_DOC_ID, integrationId).read<StoredSubscription>();
      return resource && resource.tenantId === tenantId && resource.kind === SUBSCRIPTION_DOC_ID
        ? stripSystemFields(resource)
        : undefined;
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw translateCosmosError(error, `webhook subscription of ${integrationId}`);
    }
  }

  async save(subscription: WebhookSubscription, etag: string | undefined): Promise<StoredSubscription> {
    const body = { ...subscription, id: SUBSCRIPTION_DOC_ID, kind: SUBSCRIPTION_DOC_ID };
    try {
      const { resource } = etag
        ? await this.container
            .item(SUBSCRIPTION_DOC_ID, subscription.integrationId)
            .replace(body, { accessCondition: { type: 'IfMatch', condition: etag } })
        : await this.container.items.create(body);
      return stripSystemFields(resource as unknown as StoredSubscription);
    } catch (error) {
      throw translateCosmosError(error, `webhook subscription of ${subscription.integrationId}`);
    }
  }

  async delete(tenantId: string, integrationId: string): Promise<void> {
    if (!(await this.get(tenantId, integrationId))) return;
    try {
      await this.container.item(SUBSCRIPTION_DOC_ID, integrationId).delete();
    } catch (error) {
      if (statusOf(error) !== 404) throw translateCosmosError(error, `webhook subscription of ${integrationId}`);
    }
  }

  /** Cross-tenant, for WebhookSubscriptionRenewer only: subscriptions whose next check time has come, oldest first. */
  async dueAcrossTenants(now: Date, limit: number): Promise<StoredSubscription[]> {
    try {
      const { resources } = await this.container.items
        .query<StoredSubscription>(
          {
            query: 'SELECT * FROM c WHERE c.kind = @kind AND c.nextCheckAt <= @now ORDER BY c.nextCheckAt',
            parameters: [
              { name: '@kind', value: SUBSCRIPTION_DOC_ID },
              { name: '@now', value: now.toISOString() },
            ],
          },
          { maxItemCount: limit },
        )
        .fetchNext();
      return resources.slice(0, limit).map((resource) => stripSystemFields(resource));
    } catch (error) {
      throw translateCosmosError(error, 'due webhook subscriptions');
    }
  }
}
