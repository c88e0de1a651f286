/**
 * Events the engine emits for operators and for the notification service: runs completed or failed, conflicts
 * waiting, integrations needing re-authorisation, dead-lettered pages, credential expiry, webhook endpoint
 * health, lapsed webhook subscriptions, exhausted rate budgets. Published through Event Grid in Azure and to the
 * local event log locally.
 * Event data never carries secrets or record contents: ids, counts and reasons only.
 */
export const EVENT_TYPES = [
  'sync.run_completed',
  'sync.run_failed',
  'sync.page_dead_lettered',
  'sync.conflict_created',
  'integration.needs_reauth',
  /** An integration's health moved into failing, stale or needs_reauth (shared/sync/runs/health.ts): once per move. */
  'integration.health_changed',
  'credential.expiring',
  'credential.expired',
  'credential.policy_exceeded',
  'webhook.endpoint_unhealthy',
  'webhook.subscription_lapsed',
  'ratelimit.budget_exhausted',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];
export type Severity = 'info' | 'warning' | 'error' | 'critical';

export interface AppEvent {
  id: string;
  type: EventType;
  severity: Severity;
  tenantId: string;
  integrationId?: string;
  /** When it happened (ISO-8601 UTC). */
  time: string;
  /** A short human sentence for alerts. */
  summary: string;
  data: Record<string, string | number | boolean | null>;
  traceId?: string;
}

export interface EventPublisher {
  publish(events: AppEvent[]): Promise<void>;
}
