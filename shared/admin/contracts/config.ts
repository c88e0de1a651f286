/**
 * Contracts of the configuration routes the console's Provider apps page reads (issue 18 §6). Client secrets
 * are write-only: no answer carries one.
 */

/** One provider's OAuth client registration as GET oauth-apps shows it. */
export interface OAuthAppView {
  provider: string;
  /** True when a client id and secret are stored for this provider. */
  configured: boolean;
  clientId?: string;
  /** Endpoint overrides the operator set (absent: the provider's public endpoints). */
  authorizeUrl?: string;
  tokenUrl?: string;
  /** Scopes registered with the app (absent: the provider's defaults). */
  scopes?: string[];
  /** When the registration was last stored. */
  updatedAt?: string;
}

/** GET oauth-apps */
export interface OAuthAppListResponse {
  items: OAuthAppView[];
}

/** GET …/integrations/{id}/credentials: what the console may show of a stored credential (never a value). */
export interface CredentialMetadataView {
  type: string;
  status: string;
  statusReason?: string;
  expiresAt?: string;
  accessExpiresAt?: string;
  createdAt: string;
  rotatedAt: string;
  updatedAt: string;
  refreshedAt?: string;
}

/** A notification channel as the API shows it: its URL or token is write-only and never part of it. */
export interface NotificationChannelView {
  id: string;
  type: 'slack_webhook' | 'slack_bot' | 'teams_workflow';
  name: string;
  slackChannel?: string;
  createdAt: string;
  updatedAt: string;
}

export interface NotificationRuleView {
  id: string;
  name: string;
  enabled: boolean;
  eventTypes: string[];
  minSeverity: 'info' | 'warning' | 'error' | 'critical';
  channelIds: string[];
  integrationIds?: string[];
  updatedAt: string;
}

export interface NotificationDeliveryView {
  id: string;
  channelId: string;
  ruleId?: string;
  eventType?: string;
  purpose: 'alert' | 'escalation' | 'digest' | 'test';
  status: 'sent' | 'failed' | 'held' | 'suppressed';
  reason?: string;
  attempts: number;
  message: { title: string; severity: string };
  createdAt: string;
}

/** POST …/notifications/channels/{id}/test */
export interface ChannelTestResponse {
  deliveryId: string;
  status: NotificationDeliveryView['status'];
  attempts: number;
  reason?: string;
}

/** The engine events a notification rule can route (shared/stores/events/events.ts), for the rule form. */
export const NOTIFICATION_EVENT_TYPES = [
  'sync.run_completed',
  'sync.run_failed',
  'sync.page_dead_lettered',
  'sync.conflict_created',
  'integration.needs_reauth',
  'credential.expiring',
  'credential.expired',
  'credential.policy_exceeded',
  'webhook.endpoint_unhealthy',
  'webhook.subscription_lapsed',
  'ratelimit.budget_exhausted',
] as const;
