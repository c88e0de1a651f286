/**
 * An integration's webhook subscription as the admin API and the integration's lifecycle see it: its view (mode,
 * status, expiry, last error, instructions), turning webhooks on (create, or renew now), off (remove at the
 * provider), and forgetting it when the integration is deleted. A change is done by one instance at a time: it
 * claims the state document (ETag) for a short lease before it calls the provider, and a second caller meanwhile
 * gets a conflict. Lapsed channels found on the way are announced once.
 */
import { randomUUID } from 'node:crypto';
import { AppError, isAppError } from '../../core/app-error';
import type { Integration } from '../../core/integration';
import type { EventPublisher } from '../../stores/events/events';
import type { Logger } from '../../platform/observability/logger';
import type { DeliveryReceipt } from '../intake/receipt-types';
import { applySubscription, NEVER, removeFromProvider, type ApplyDeps } from './apply';
import { manualInstructions } from './instructions';
import { lapsedChannels, managedStatus, manualStatus, SUBSCRIPTION_TIMING, subscriptionMode } from './policy';
import type { WebhookSubscriptionsRepository } from '../../stores/documents/webhook-subscriptions-repository';
import { SUBSCRIPTION_DOC_ID, type StoredSubscription, type SubscriptionView, type WebhookSubscription } from './types';

export type StoredIntegration = Integration & { _etag: string };

export interface SubscriptionDeps extends ApplyDeps {
  store: WebhookSubscriptionsRepository;
  integrations: {
    get(tenantId: string, integrationId: string): Promise<StoredIntegration | undefined>;
    replace(integration: StoredIntegration): Promise<StoredIntegration>;
  };
  deliveryLog: {
    list(tenantId: string, integrationId: string, range: { from?: string }, limit?: number): Promise<DeliveryReceipt[]>;
  };
  events: EventPublisher;
  logger: Logger;
}

/** How far back a manual subscription's deliveries are looked at when it was never turned on explicitly. */
const MANUAL_LOOKBACK_MS = 30 * 24 * 3600_000;

/** The URL the provider delivers to (the same the …/webhooks/endpoint route shows). */
export function webhookUrl(
  publicBaseUrl: string,
  integration: Pick<Integration, 'id' | 'provider' | 'webhook'>,
): string {
  const scheme = integration.webhook?.provider ?? integration.provider;
  const base = publicBaseUrl.replace(/\/+$/, '');
  return `${base}/api/webhooks/${encodeURIComponent(scheme)}/${encodeURIComponent(integration.id)}`;
}

function fresh(integration: Integration, now: Date): WebhookSubscription {
  return {
    id: SUBSCRIPTION_DOC_ID,
    kind: SUBSCRIPTION_DOC_ID,
    tenantId: integration.tenantId,
    integrationId: integration.id,
    provider: integration.provider,
    enabled: false,
    state: 'off',
    hooks: [],
    channels: [],
    consecutiveFailures: 0,
    nextCheckAt: NEVER,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
}

/**
 * Claims the subscription for a change (undefined when another instance holds it or wrote it meanwhile). Until
 * the lease ends the renewer skips it; a crash mid-change leaves it due at the lease's end, so it is retried.
 */
export async function tryClaim(
  deps: Pick<SubscriptionDeps, 'store' | 'now'>,
  integration: Integration,
  existing: StoredSubscription | undefined,
): Promise<StoredSubscription | undefined> {
  const now = deps.now();
  if (existing?.claimedUntil && Date.parse(existing.claimedUntil) > now.getTime()) return undefined;
  const until = new Date(now.getTime() + SUBSCRIPTION_TIMING.claimMs).toISOString();
  const base = existing ?? fresh(integration, now);
  try {
    return await deps.store.save(
      { ...stripEtag(base), claimedUntil: until, nextCheckAt: until, updatedAt: now.toISOString() },
      existing?._etag,
    );
  } catch (error) {
    if (isAppError(error) && (error.code === 'precondition_failed' || error.code === 'conflict')) return undefined;
    throw error;
  }
}

function stripEtag(subscription: WebhookSubscription | StoredSubscription): WebhookSubscription {
  const { _etag: _ignored, ...rest } = subscription as StoredSubscription;
  return rest;
}

const busy = () =>
  new AppError('conflict', 'the webhook subscription is being changed right now; try again shortly', {
    retryAfterMs: 5000,
  });

/** Writes the outcome of a claimed change; losing the claim meanwhile (lease over) is logged, not thrown. */
export async function release(
  deps: Pick<SubscriptionDeps, 'store' | 'logger'>,
  claimed: StoredSubscription,
  next: WebhookSubscription,
): Promise<StoredSubscription | undefined> {
  try {
    return await deps.store.save(stripEtag(next), claimed._etag);
  } catch (error) {
    deps.logger.warn('webhook subscription changed by another instance while this one worked on it', {
      integrationId: claimed.integrationId,
      error,
    });
    return undefined;
  }
}

/** Announces channels that expired before they were renewed (once per expiration) and returns the marked state. */
export async function reportLapses(
  deps: Pick<SubscriptionDeps, 'events' | 'logger' | 'now'>,
  integration: Integration,
  subscription: WebhookSubscription,
): Promise<WebhookSubscription> {
  const now = deps.now();
  const lapsed = lapsedChannels(subscription.channels, now).filter(
    (channel) => !subscription.lapseReported || channel.expiration > subscription.lapseReported,
  );
  if (!subscription.enabled || lapsed.length === 0) return subscription;
  const expiredAt = lapsed.map((channel) => channel.expiration).sort()[0]!;
  await deps.events
    .publish([
      {
        id: randomUUID(),
        type: 'webhook.subscription_lapsed',
        severity: 'warning',
        tenantId: integration.tenantId,
        integrationId: integration.id,
        time: now.toISOString(),
        summary: `${integration.provider} push channel of "${integration.name}" expired at ${expiredAt} before it was renewed: changes since then arrive with the next scheduled sync`,
        data: { provider: integration.provider, expiredAt, channels: lapsed.length },
      },
    ])
    .catch((error: unknown) => deps.logger.warn('could not publish the subscription lapse event', { error }));
  return {
    ...subscription,
    lapseReported: lapsed
      .map((channel) => channel.expiration)
      .sort()
      .at(-1)!,
  };
}

export async function subscriptionView(
  deps: Pick<SubscriptionDeps, 'store' | 'deliveryLog' | 'now'>,
  integration: Integration,
  publicBaseUrl: string,
): Promise<SubscriptionView> {
  const mode = subscriptionMode(integration);
  const subscription = await deps.store.get(integration.tenantId, integration.id);
  const now = deps.now();
  if (mode === 'managed') return { provider: integration.provider, mode, ...managedStatus(subscription, now) };
  const from = subscription?.enabledAt ?? new Date(now.getTime() - MANUAL_LOOKBACK_MS).toISOString();
  const receipts = await deps.deliveryLog.list(integration.tenantId, integration.id, { from }, 1000);
  return {
    provider: integration.provider,
    mode,
    ...manualStatus(subscription, receipts),
    instructions: manualInstructions(integration, webhookUrl(publicBaseUrl, integration)),
  };
}

/** Google deliveries need the channel scheme on the integration: set it when the integration has none. */
async function receivable(deps: SubscriptionDeps, integration: StoredIntegration): Promise<StoredIntegration> {
  if (integration.provider !== 'google' || integration.webhook) return integration;
  return deps.integrations.replace({
    ...integration,
    webhook: { provider: 'google', mode: 'channel' },
    updatedAt: deps.now().toISOString(),
  });
}

/** Turns webhooks on, or renews now when they are on: creates or checks hooks, opens fresh channels. */
export async function turnOn(
  deps: SubscriptionDeps,
  stored: StoredIntegration,
  publicBaseUrl: string,
): Promise<SubscriptionView> {
  const now = deps.now();
  const existing = await deps.store.get(stored.tenantId, stored.id);
  if (subscriptionMode(stored) === 'manual') {
    const base = existing ? stripEtag(existing) : fresh(stored, now);
    // Deliveries count from when it was turned on again after an explicit off; never turned off: the lookback.
    const enabledAt = base.enabled ? base.enabledAt : existing ? now.toISOString() : undefined;
    try {
      await deps.store.save(
        {
          ...base,
          enabled: true,
          state: 'pending',
          enabledAt,
          address: webhookUrl(publicBaseUrl, stored),
          updatedAt: now.toISOString(),
        },
        existing?._etag,
      );
    } catch (error) {
      if (isAppError(error) && (error.code === 'precondition_failed' || error.code === 'conflict')) throw busy();
      throw error;
    }
    return subscriptionView(deps, stored, publicBaseUrl);
  }
  const integration = await receivable(deps, stored);
  const claimed = await tryClaim(deps, integration, existing);
  if (!claimed) throw busy();
  const turning: WebhookSubscription = {
    ...stripEtag(claimed),
    enabled: true,
    enabledAt: claimed.enabled ? (claimed.enabledAt ?? now.toISOString()) : now.toISOString(),
    state: claimed.enabled && claimed.state !== 'off' ? claimed.state : 'pending',
    address: webhookUrl(publicBaseUrl, integration),
  };
  let next: WebhookSubscription;
  try {
    next = await applySubscription(deps, integration, await reportLapses(deps, integration, turning), { force: true });
  } catch (error) {
    // A request the operator must fix: give the claim back unchanged and answer with the error.
    await release(deps, claimed, {
      ...stripEtag(claimed),
      claimedUntil: undefined,
      nextCheckAt: existing?.nextCheckAt ?? NEVER,
    });
    throw error;
  }
  await release(deps, claimed, next);
  deps.logger.info('webhook subscription turned on', {
    integrationId: integration.id,
    provider: integration.provider,
    state: next.state,
  });
  return { provider: integration.provider, mode: 'managed', ...managedStatus(next, deps.now()) };
}

/** Turns webhooks off: managed hooks and channels are removed at the provider; manual ones are only marked off. */
export async function turnOff(deps: SubscriptionDeps, integration: Integration): Promise<void> {
  const existing = await deps.store.get(integration.tenantId, integration.id);
  if (subscriptionMode(integration) === 'manual' || !existing) {
    const now = deps.now();
    const base = existing ? stripEtag(existing) : fresh(integration, now);
    try {
      await deps.store.save(
        { ...base, enabled: false, state: 'off', nextCheckAt: NEVER, updatedAt: now.toISOString() },
        existing?._etag,
      );
    } catch (error) {
      if (isAppError(error) && (error.code === 'precondition_failed' || error.code === 'conflict')) throw busy();
      throw error;
    }
    return;
  }
  const claimed = await tryClaim(deps, integration, existing);
  if (!claimed) throw busy();
  const next = await removeFromProvider(deps, integration, stripEtag(claimed));
  await release(deps, claimed, next);
  deps.logger.info('webhook subscription turned off', { integrationId: integration.id, state: next.state });
}

/**
 * The integration is being deleted: its hooks and channels are removed at the provider while its credential
 * still exists, then the state document goes. A provider that refuses is logged; the delete goes on.
 */
export async function forgetIntegration(deps: SubscriptionDeps, integration: Integration): Promise<void> {
  const existing = await deps.store.get(integration.tenantId, integration.id);
  if (!existing) return;
  if (existing.hooks.length > 0 || existing.channels.length > 0) {
    const removed = await removeFromProvider(deps, integration, stripEtag(existing));
    if (removed.lastError)
      deps.logger.warn('webhook subscription of a deleted integration could not be removed at the provider', {
        integrationId: integration.id,
        provider: integration.provider,
        error: removed.lastError,
      });
  }
  await deps.store.delete(integration.tenantId, integration.id);
}
