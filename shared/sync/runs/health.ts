/**
 * An integration's health read from its newest runs (shared/core/integration-health.ts decides), and the
 * transition tracker: after each run ends and in each scheduler pass, the health is compared with the one last
 * recorded in the integration's sync state (document `health`); a move INTO failing, stale or needs_reauth
 * publishes one `integration.health_changed` event, which the notification rules route like any other. A run
 * that keeps failing therefore notifies once, and again only after the integration was healthy in between.
 * The record is written ETag-guarded: of two instances deciding at once, only the one whose write wins announces.
 */
import { randomUUID } from 'node:crypto';
import { isAppError } from '../../core/app-error';
import type { Integration } from '../../core/integration';
import {
  integrationHealth,
  NOTIFIED_HEALTH,
  type HealthStatus,
  type IntegrationHealth,
} from '../../core/integration-health';
import type { AppServices } from '../../app/services';
import type { Logger } from '../../platform/observability/logger';
import type { AppEvent } from '../../stores/events/events';
import type { HealthStateDoc } from '../../stores/documents/sync-state-repository';

/** Runs read per integration: the failing window (3 finished runs) with room for running and queued ones. */
export const HEALTH_RUNS_READ = 10;

type HealthIntegration = Pick<
  Integration,
  'id' | 'tenantId' | 'name' | 'provider' | 'enabled' | 'status' | 'schedule' | 'createdAt'
>;

export async function readIntegrationHealth(
  deps: Pick<AppServices, 'runs'>,
  integration: HealthIntegration,
  now: Date,
  extra: { credentialStatus?: string; lastSucceededAt?: string } = {},
): Promise<IntegrationHealth> {
  const runs = await deps.runs.list(integration.tenantId, integration.id, HEALTH_RUNS_READ);
  return integrationHealth({ integration, runs, now, ...extra });
}

const SEVERITY: Partial<Record<HealthStatus, AppEvent['severity']>> = {
  failing: 'error',
  needs_reauth: 'error',
  stale: 'warning',
};

export function healthChangedEvent(
  integration: HealthIntegration,
  health: IntegrationHealth,
  previous: string | undefined,
  now: Date,
): AppEvent {
  return {
    id: randomUUID(),
    type: 'integration.health_changed',
    severity: SEVERITY[health.status] ?? 'info',
    tenantId: integration.tenantId,
    integrationId: integration.id,
    time: now.toISOString(),
    summary: `${integration.name} (${integration.provider}) is ${health.status.replace('_', ' ')}: ${health.reason}`,
    data: {
      integrationName: integration.name,
      provider: integration.provider,
      health: health.status,
      previous: previous ?? null,
      reason: health.reason,
    },
  };
}

type TrackDeps = Pick<AppServices, 'runs' | 'syncState' | 'events'> & { logger: Logger };

/**
 * Records the integration's health and announces a move into a notified state. Returns the health and whether
 * this call announced it. Never throws: health tracking must not fail a run or a scheduler pass.
 */
export async function trackHealth(
  deps: TrackDeps,
  integration: HealthIntegration,
  now: Date,
): Promise<{ health?: IntegrationHealth; announced: boolean }> {
  try {
    const known = await deps.syncState.healthState(integration.id);
    const runs = await deps.runs.list(integration.tenantId, integration.id, HEALTH_RUNS_READ);
    const lastSuccess = runs.find((run) => run.status === 'succeeded');
    const lastSucceededAt = lastSuccess ? (lastSuccess.finishedAt ?? lastSuccess.queuedAt) : known?.lastSucceededAt;
    const health = integrationHealth({
      integration,
      runs,
      now,
      ...(lastSucceededAt ? { lastSucceededAt } : {}),
    });
    const unchanged = known?.status === health.status && known.lastSucceededAt === lastSucceededAt;
    if (unchanged) return { health, announced: false };
    const doc: HealthStateDoc = {
      id: 'health',
      kind: 'health',
      integrationId: integration.id,
      tenantId: integration.tenantId,
      status: health.status,
      since: known?.status === health.status ? known.since : now.toISOString(),
      ...(lastSucceededAt ? { lastSucceededAt } : {}),
      updatedAt: now.toISOString(),
    };
    try {
      await deps.syncState.saveHealthState(doc, known?._etag);
    } catch (error) {
      // Another instance recorded it first: that one announces.
      if (isAppError(error) && (error.code === 'precondition_failed' || error.code === 'conflict'))
        return { health, announced: false };
      throw error;
    }
    const entered = known?.status !== health.status && NOTIFIED_HEALTH.has(health.status);
    if (entered) await deps.events.publish([healthChangedEvent(integration, health, known?.status, now)]);
    return { health, announced: entered };
  } catch (error) {
    deps.logger.warn('could not track integration health', {
      tenantId: integration.tenantId,
      integrationId: integration.id,
      error,
    });
    return { announced: false };
  }
}
