/**
 * Webhook subscriptions the app keeps at the provider for an integration: GitHub repository hooks and Google push
 * channels it creates, checks, renews and removes itself ("managed"), and the subscriptions an operator enters in a
 * provider's console from exact instructions (Slack, Notion, Salesforce: "manual"). The stored state is
 * shared/core/webhook-subscription.ts; this file adds what the admin API shows. Types only: the admin UI's contracts
 * re-export them.
 */
import type { ProviderId } from '../../core/providers';
import type { SubscriptionMode, SubscriptionStatus } from '../../core/webhook-subscription';

export type {
  GithubHookRef,
  GoogleChannelRef,
  GoogleChannelResource,
  StoredSubscription,
  SubscriptionMode,
  SubscriptionStatus,
  WebhookSubscription,
} from '../../core/webhook-subscription';
export { SUBSCRIPTION_DOC_ID } from '../../core/webhook-subscription';

/** One value an operator enters in the provider's console. */
export interface InstructionValue {
  name: string;
  value: string;
}

/** What to configure by hand, and where, for a provider the app cannot subscribe through an API. */
export interface SubscriptionInstructions {
  /** Where in the provider's console. */
  where: string;
  /** The exact values to enter (URL, events…); secrets are named, never shown. */
  values: InstructionValue[];
  steps: string[];
}

/** What the admin API answers for an integration's subscription (GET …/webhooks/subscription). */
export interface SubscriptionView {
  provider: ProviderId;
  mode: SubscriptionMode;
  status: SubscriptionStatus;
  /** When the first Google channel ends unless renewed. */
  expiresAt?: string;
  lastError?: string;
  instructions?: SubscriptionInstructions;
}
