/**
 * The webhook subscriptions port on Cosmos: container `sync-state` (partition /integrationId), one document per
 * integration with id and kind "webhook-subscription", beside the integration's other sync state.
 */
import type { Container } from '@azure/cosmos';
import {
  SUBSCRIPTION_DOC_ID,
  type StoredSubscription,
  type WebhookSubscription,
} from '../../../core/webhook-subscription';
import type { WebhookSubscriptionsRepository } from '../webhook-subscriptions-repository';
import { statusOf, stripSystemFields as strip, translateCosmosError } from './cosmos-client';

export class CosmosWebhookSubscriptionsRepository implements WebhookSubscriptionsRepository {
  constructor(private readonly container: Container) {}

  async get(tenantId: string, integrationId: string): Promise<StoredSubscription | undefined> {
    try {
      const { resource } = await this.container.item(SUBSCRIPTION_DOC_ID, integrationId).read<StoredSubscription>();
      return resource && resource.tenantId === tenantId && resource.kind === SUBSCRIPTION_DOC_ID
        ? strip(resource)
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
      return strip(resource as unknown as StoredSubscription);
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
      return resources.slice(0, limit).map((resource) => strip(resource));
    } catch (error) {
      throw translateCosmosError(error, 'due webhook subscriptions');
    }
  }
}
