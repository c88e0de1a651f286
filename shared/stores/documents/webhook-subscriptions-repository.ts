/**
 * The webhook subscriptions port (shared/webhooks/subscriptions/): one document per integration, read within the
 * integration's partition and checked against the tenant, so another tenant's id finds nothing. Writes are guarded
 * by the ETag they were read with (a create by "must not exist"), which is how one instance at a time claims a
 * subscription. The renewer's scan for due subscriptions is the one cross-partition query, named as such.
 * Implementation: cosmos/webhook-subscriptions-repository.ts.
 */
import type { StoredSubscription, WebhookSubscription } from '../../core/webhook-subscription';

export interface WebhookSubscriptionsRepository {
  /** Undefined when absent or when it belongs to another tenant. */
  get(tenantId: string, integrationId: string): Promise<StoredSubscription | undefined>;
  /** Creates (no etag: fails with conflict when it exists) or replaces guarded by the ETag it was read with. */
  save(subscription: WebhookSubscription, etag: string | undefined): Promise<StoredSubscription>;
  /** Nothing to delete is not an error. */
  delete(tenantId: string, integrationId: string): Promise<void>;
  /** Cross-tenant, for WebhookSubscriptionRenewer only: subscriptions whose next check time has come, oldest first. */
  dueAcrossTenants(now: Date, limit: number): Promise<StoredSubscription[]>;
}
