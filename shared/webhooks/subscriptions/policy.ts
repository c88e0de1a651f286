/**
 * The decisions about a subscription, free of I/O: which mode a provider's integration is in, which GitHub events
 * and Google resources its entities need, when a channel is renewed, when the renewer looks again, and the status
 * an operator sees. Every duration is data here, so tests and the renewer agree on them.
 */
import type { Integration } from '../../core/integration';
import type { ProviderId } from '../../core/providers';
import type { DeliveryReceipt } from '../intake/receipt-types';
import type {
  GoogleChannelRef,
  GoogleChannelResource,
  SubscriptionMode,
  SubscriptionStatus,
  WebhookSubscription,
} from './types';

export const SUBSCRIPTION_TIMING = {
  /** Channel lifetime asked of Google (Drive caps changes channels at a week; Google may answer with less). */
  channelTtlMs: 7 * 24 * 3600_000,
  /** A channel is renewed this long before it expires (or at half its life, when that comes later). */
  renewAheadMs: 24 * 3600_000,
  /** How often GitHub hooks are checked to still exist and carry the current secret. */
  hookCheckIntervalMs: 6 * 3600_000,
  /** Retry after a failure: doubles from the first value up to the last. */
  retryMinMs: 5 * 60_000,
  retryMaxMs: 2 * 3600_000,
  /** How long an instance holds a subscription while it talks to the provider. */
  claimMs: 2 * 60_000,
  /** The previous channel token keeps verifying this long after new channels replaced the old ones. */
  tokenOverlapMs: 10 * 60_000,
} as const;

/** GitHub event names per synced entity (the events shared/webhooks/verify/github/events.ts turns into targets). */
const GITHUB_EVENTS: Record<string, string> = { issues: 'issues', issue_comments: 'issue_comment' };

/** The mode of an integration's subscription: the app manages GitHub hooks and Google channels; the rest by hand. */
export function subscriptionMode(integration: Pick<Integration, 'provider' | 'webhook'>): SubscriptionMode {
  const scheme = integration.webhook?.provider;
  // Standard Webhooks (a relay in front of the provider) or Google Pub/Sub are set up outside the app.
  if (scheme !== undefined && scheme !== integration.provider) return 'manual';
  if (integration.provider === 'github') return 'managed';
  if (integration.provider === 'google')
    return integration.webhook?.provider === 'google' && integration.webhook.mode === 'pubsub' ? 'manual' : 'managed';
  return 'manual';
}

export function isManagedProvider(provider: ProviderId): boolean {
  return provider === 'github' || provider === 'google';
}

/** The GitHub events the integration's entities need, sorted (GitHub stores them as a set). */
export function githubEventsFor(entities: readonly string[]): string[] {
  const events = new Set(entities.map((entity) => GITHUB_EVENTS[entity]).filter((event) => event !== undefined));
  return [...events].sort();
}

/** The resources to watch: the configured calendar for `events`, the Drive change log for `files`. */
export function googleResourcesFor(
  integration: Pick<Integration, 'entities' | 'providerOptions'>,
): GoogleChannelResource[] {
  const resources: GoogleChannelResource[] = [];
  if (integration.entities.includes('events')) {
    const configured = integration.providerOptions.calendarId;
    resources.push({
      kind: 'calendar',
      calendarId: typeof configured === 'string' && configured ? configured : 'primary',
    });
  }
  if (integration.entities.includes('files')) resources.push({ kind: 'drive' });
  return resources;
}

export function sameResource(a: GoogleChannelResource, b: GoogleChannelResource): boolean {
  return a.kind === b.kind && (a.kind === 'drive' || a.calendarId === (b as { calendarId: string }).calendarId);
}

/** When a channel is renewed: a day before it ends, or at half its life for channels shorter than two days. */
export function renewAt(channel: Pick<GoogleChannelRef, 'openedAt' | 'expiration'>): number {
  const opened = Date.parse(channel.openedAt);
  const expires = Date.parse(channel.expiration);
  return expires - Math.min(SUBSCRIPTION_TIMING.renewAheadMs, Math.max(0, (expires - opened) / 2));
}

/** The earliest expiration among the channels, if any. */
export function earliestExpiration(channels: readonly GoogleChannelRef[]): string | undefined {
  return channels.map((channel) => channel.expiration).sort()[0];
}

/** Whether any channel is due for renewal at `now`. */
export function renewalDue(channels: readonly GoogleChannelRef[], now: Date): boolean {
  return channels.some((channel) => renewAt(channel) <= now.getTime());
}

/** Channels already past their expiration: Google stopped delivering for them (a missed renewal). */
export function lapsedChannels(channels: readonly GoogleChannelRef[], now: Date): GoogleChannelRef[] {
  return channels.filter((channel) => Date.parse(channel.expiration) <= now.getTime());
}

/** Next look after a successful change: the earliest renewal for channels, the periodic check for hooks. */
export function nextCheckAfterSuccess(subscription: Pick<WebhookSubscription, 'channels'>, now: Date): Date {
  const periodic = now.getTime() + SUBSCRIPTION_TIMING.hookCheckIntervalMs;
  if (subscription.channels.length === 0) return new Date(periodic);
  return new Date(Math.max(now.getTime(), Math.min(periodic, ...subscription.channels.map(renewAt))));
}

/**
 * Next look after the n-th failure in a row: capped exponential backoff, but before a live channel expires when
 * there is still time, so a failing renewal is tried again while the old channel still delivers.
 */
export function nextCheckAfterFailure(
  subscription: Pick<WebhookSubscription, 'channels'>,
  failures: number,
  now: Date,
): Date {
  const { retryMinMs, retryMaxMs } = SUBSCRIPTION_TIMING;
  const backoff = now.getTime() + Math.min(retryMaxMs, retryMinMs * 2 ** Math.max(0, Math.min(failures - 1, 20)));
  const expires = earliestExpiration(subscription.channels);
  if (!expires) return new Date(backoff);
  const beforeLapse = Math.max(now.getTime() + retryMinMs, Date.parse(expires) - retryMinMs);
  return new Date(Math.min(backoff, beforeLapse));
}

export interface StatusView {
  status: SubscriptionStatus;
  expiresAt?: string;
  lastError?: string;
}

/** The managed status: off, pending (being set up), failed (last change failed), expiring (renewal due), active. */
export function managedStatus(subscription: WebhookSubscription | undefined, now: Date): StatusView {
  if (!subscription || !subscription.enabled) return { status: 'off' };
  const expiresAt = earliestExpiration(subscription.channels);
  const extra = {
    ...(expiresAt ? { expiresAt } : {}),
    ...(subscription.lastError ? { lastError: subscription.lastError } : {}),
  };
  if (subscription.state === 'failed') return { status: 'failed', ...extra };
  if (subscription.state === 'pending') return { status: 'pending', ...extra };
  if (renewalDue(subscription.channels, now)) return { status: 'expiring', ...extra };
  return { status: 'active', ...extra };
}

/**
 * The status of a subscription set up by hand, from the deliveries it produced: active once a verified delivery
 * was accepted, failed when deliveries arrive and every one is rejected, pending until then. Turned off: off.
 */
export function manualStatus(
  subscription: Pick<WebhookSubscription, 'enabled'> | undefined,
  receipts: readonly Pick<DeliveryReceipt, 'verdict' | 'reason'>[],
): StatusView {
  if (subscription && !subscription.enabled) return { status: 'off' };
  if (receipts.some((receipt) => receipt.verdict === 'accepted')) return { status: 'active' };
  const rejected = receipts.filter((receipt) => receipt.verdict === 'rejected');
  if (rejected.length === 0) return { status: 'pending' };
  const byReason = new Map<string, number>();
  for (const receipt of rejected)
    byReason.set(receipt.reason ?? 'unknown', (byReason.get(receipt.reason ?? 'unknown') ?? 0) + 1);
  const reasons = [...byReason].map(([reason, count]) => `${reason} ×${count}`).join(', ');
  return {
    status: 'failed',
    lastError: `deliveries arrive but none was verified: ${rejected.length} rejected (${reasons}); check the secret and the settings entered at the provider`,
  };
}

const MAX_ERROR_LENGTH = 500;

/** A provider error as it may be stored and shown: every known secret value removed, bounded in length. */
export function safeErrorMessage(message: string, secrets: readonly string[]): string {
  let safe = message;
  for (const secret of secrets) if (secret.length >= 4) safe = safe.split(secret).join('[redacted]');
  return safe.length > MAX_ERROR_LENGTH ? `${safe.slice(0, MAX_ERROR_LENGTH - 1)}…` : safe;
}
