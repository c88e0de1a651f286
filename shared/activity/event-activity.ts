/**
 * Engine events (shared/stores/events/events.ts) as activity entries: every emitter of a run's end, a conflict
 * held for a person, a credential that needs a person or expires, a webhook endpoint's trouble or a rate budget
 * spent is in the log without code of its own, because the composition root hands each published event here.
 */
import type { ActivityType } from '../admin/contracts/activity';
import type { AppEvent, EventType } from '../stores/events/events';
import type { ActivityEntry } from './recorder';

const KINDS: Record<EventType, { type: ActivityType; status: string }> = {
  'sync.run_completed': { type: 'run', status: 'succeeded' },
  'sync.run_failed': { type: 'run', status: 'failed' },
  'sync.page_dead_lettered': { type: 'run', status: 'dead_lettered' },
  'sync.conflict_created': { type: 'conflict', status: 'opened' },
  'integration.needs_reauth': { type: 'credential', status: 'needs_reauth' },
  // A move into failing, stale or needs_reauth (its data names which): the runs are what it is about.
  'integration.health_changed': { type: 'run', status: 'health_changed' },
  'credential.expiring': { type: 'credential', status: 'expiring' },
  'credential.expired': { type: 'credential', status: 'expired' },
  'credential.policy_exceeded': { type: 'credential', status: 'policy_exceeded' },
  'webhook.endpoint_unhealthy': { type: 'webhook', status: 'unhealthy' },
  'webhook.subscription_lapsed': { type: 'webhook', status: 'subscription_lapsed' },
  'ratelimit.budget_exhausted': { type: 'run', status: 'rate_limited' },
};

/** What a run event's data adds to its summary (counts only; event data never holds secrets). */
function details(event: AppEvent): string {
  const { data } = event;
  const parts: string[] = [];
  if (typeof data.trigger === 'string') parts.push(`trigger ${data.trigger}`);
  if (typeof data.fetched === 'number') parts.push(`${data.fetched} fetched`);
  if (typeof data.errors === 'number' && data.errors > 0) parts.push(`${data.errors} record errors`);
  if (typeof data.conflicts === 'number') parts.push(`${data.conflicts} conflicts`);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

export function activityOfEvent(event: AppEvent): ActivityEntry {
  const kind = KINDS[event.type];
  const runId = typeof event.data.runId === 'string' ? event.data.runId : undefined;
  return {
    tenantId: event.tenantId,
    at: event.time,
    type: kind.type,
    integrationId: event.integrationId ?? '',
    status: kind.status,
    summary: `${event.summary}${details(event)}`,
    ...(runId ? { runId } : {}),
  };
}
