/**
 * The state of an integration's webhook subscription, as stored (one document per integration): whether webhooks
 * are on, the provider objects the app created for it (GitHub hook ids, Google channel ids), when it is looked at
 * next, and the last failure. It names provider objects by id only and never holds a secret or a channel token.
 * The logic lives in shared/webhooks/subscriptions/; the repository in shared/stores/documents/.
 */
import type { Stored } from './stored';
import type { ProviderId } from './providers';

export type SubscriptionMode = 'managed' | 'manual';
export type SubscriptionStatus = 'active' | 'pending' | 'expiring' | 'failed' | 'off';

/** A repository webhook the app created (POST /repos/{owner}/{repo}/hooks). */
export interface GithubHookRef {
  repository: string;
  hookId: number;
  events: string[];
}

/** What a Google channel watches: one calendar's events (events.watch) or the user's Drive changes (changes.watch). */
export type GoogleChannelResource = { kind: 'calendar'; calendarId: string } | { kind: 'drive' };

/** A push channel the app opened; Google ends it at `expiration` unless it is replaced before. */
export interface GoogleChannelRef {
  resource: GoogleChannelResource;
  channelId: string;
  /** Google's id of the watched resource, which channels.stop needs besides the channel id. */
  resourceId: string;
  openedAt: string;
  expiration: string;
}

export interface WebhookSubscription {
  id: typeof SUBSCRIPTION_DOC_ID;
  kind: typeof SUBSCRIPTION_DOC_ID;
  tenantId: string;
  integrationId: string;
  provider: ProviderId;
  /** Webhooks turned on for the integration (POST …/webhooks/subscription) or off (DELETE). */
  enabled: boolean;
  /** Outcome of the last change; `expiring` is derived when the state is read. */
  state: 'pending' | 'active' | 'failed' | 'off';
  /** Where the provider delivers (this app's webhook URL for the integration). */
  address?: string;
  hooks: GithubHookRef[];
  channels: GoogleChannelRef[];
  /**
   * Secret-store version of the webhook secret (GitHub) or channel token (Google) the provider objects carry. A
   * newer version (an operator's rotation) is pushed out at the next check.
   */
  secretVersion?: string;
  /** Why the last change failed; provider messages with every secret value removed. */
  lastError?: string;
  consecutiveFailures: number;
  /** When the renewer looks at this subscription next (renewal due, existence check, retry after a failure). */
  nextCheckAt: string;
  /** An instance working on the subscription holds it until then (ETag-guarded claim). */
  claimedUntil?: string;
  /** Expiration of the channel whose lapse was last reported, so one lapse is announced once. */
  lapseReported?: string;
  enabledAt?: string;
  createdAt: string;
  updatedAt: string;
}

export const SUBSCRIPTION_DOC_ID = 'webhook-subscription' as const;

export type StoredSubscription = Stored<WebhookSubscription>;
