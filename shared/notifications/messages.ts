/**
 * Event → message: a title per event type, the event's summary as text, its ids and counts as facts. Event
 * data carries no secrets or record contents by contract (events.ts), so every field may be shown.
 */
import type { AppEvent, EventType } from '../stores/events/events';
import type { NotificationMessage } from './types';

export const EVENT_TITLES: Record<EventType, string> = {
  'sync.run_completed': 'Sync run completed',
  'sync.run_failed': 'Sync run failed',
  'sync.page_dead_lettered': 'Sync page dead-lettered',
  'sync.conflict_created': 'Conflict waiting for a decision',
  'integration.needs_reauth': 'Integration needs re-authorisation',
  'integration.health_changed': 'Integration health changed',
  'credential.expiring': 'Credential expiring',
  'credential.expired': 'Credential expired',
  'credential.policy_exceeded': 'Credential past its rotation policy',
  'webhook.endpoint_unhealthy': 'Webhook endpoint unhealthy',
  'webhook.subscription_lapsed': 'Webhook subscription lapsed',
  'ratelimit.budget_exhausted': 'Rate budget exhausted',
};

function facts(event: AppEvent): NotificationMessage['facts'] {
  const list = [{ label: 'Tenant', value: event.tenantId }];
  if (event.integrationId) list.push({ label: 'Integration', value: event.integrationId });
  for (const [label, value] of Object.entries(event.data))
    if (value !== null && value !== '') list.push({ label, value: String(value) });
  list.push({ label: 'Time', value: event.time });
  return list;
}

export function eventMessage(event: AppEvent): NotificationMessage {
  return {
    title: EVENT_TITLES[event.type],
    severity: event.severity,
    text: event.summary,
    facts: facts(event),
    footer: `event ${event.id}${event.traceId ? ` · trace ${event.traceId}` : ''}`,
  };
}

/** The same failure again and again: one louder message instead of many quiet ones. */
export function escalationMessage(event: AppEvent, repeats: number, windowMs: number): NotificationMessage {
  const base = eventMessage(event);
  return {
    ...base,
    title: `Escalated: ${base.title}`,
    severity: 'critical',
    text: `Repeated ${repeats} times within ${Math.round(windowMs / 60_000)} minutes. Latest: ${event.summary}`,
    facts: [{ label: 'Repeats', value: String(repeats) }, ...base.facts],
  };
}

export function testMessage(channelName: string, now: Date): NotificationMessage {
  return {
    title: 'Test notification',
    severity: 'info',
    text: `Channel "${channelName}" is configured correctly.`,
    facts: [{ label: 'Sent at', value: now.toISOString() }],
  };
}
