/**
 * Contracts of an integration's webhook subscription (GET/POST/DELETE tenants/{t}/integrations/{i}/webhooks/subscription),
 * shared by the route and the admin UI. Types only: the UI bundles this file.
 */
import type { SubscriptionView } from '../../webhooks/subscriptions/types';

export type {
  InstructionValue,
  SubscriptionInstructions,
  SubscriptionMode,
  SubscriptionStatus,
} from '../../webhooks/subscriptions/types';

/** GET …/webhooks/subscription → 200; POST (create or renew now) → 202 with the same shape; DELETE → 204. */
export type WebhookSubscriptionView = SubscriptionView;
