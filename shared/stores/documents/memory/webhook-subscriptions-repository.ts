/** The webhook subscriptions port in memory (tests, benchmarks): one state per integration, ETag-guarded writes. */
import {
  SUBSCRIPTION_DOC_ID,
  type StoredSubscription,
  type WebhookSubscription,
} from '../../../core/webhook-subscription';
import type { WebhookSubscriptionsRepository } from '../webhook-subscriptions-repository';
import { MemoryContainer, stored } from './memory-container';

export class MemoryWebhookSubscriptionsRepository implements WebhookSubscriptionsRepository {
  private readonly container: MemoryContainer<WebhookSubscription>;

  constructor(nowMs?: () => number) {
    this.container = new MemoryContainer<WebhookSubscription>(nowMs);
  }

  async get(tenantId: string, integrationId: string): Promise<StoredSubscription | undefined> {
    const slot = this.container.read(integrationId, SUBSCRIPTION_DOC_ID);
    return slot && slot.doc.tenantId === tenantId ? stored(slot) : undefined;
  }

  async save(subscription: WebhookSubscription, etag: string | undefined): Promise<StoredSubscription> {
    const doc = { ...subscription, id: SUBSCRIPTION_DOC_ID, kind: SUBSCRIPTION_DOC_ID } as WebhookSubscription;
    const what = `webhook subscription of ${subscription.integrationId}`;
    return stored(
      etag === undefined
        ? this.container.create(subscription.integrationId, doc, what)
        : this.container.replace(subscription.integrationId, doc, etag, what),
    );
  }

  async delete(tenantId: string, integrationId: string): Promise<void> {
    if (await this.get(tenantId, integrationId)) this.container.delete(integrationId, SUBSCRIPTION_DOC_ID);
  }

  async dueAcrossTenants(now: Date, limit: number): Promise<StoredSubscription[]> {
    const due = [...this.container.all()].filter((slot) => slot.doc.nextCheckAt <= now.toISOString());
    due.sort((a, b) => (a.doc.nextCheckAt < b.doc.nextCheckAt ? -1 : a.doc.nextCheckAt > b.doc.nextCheckAt ? 1 : 0));
    return due.slice(0, limit).map(stored);
  }
}
