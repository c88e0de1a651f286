/**
 * TokenRefresher's work: refresh OAuth credentials expiring within the margin (single-flight across instances,
 * in the refresh engine), and for each one the provider refused (invalid_grant and equivalents) mark its
 * integration `needs_reauth`, which stops its scheduled syncs, and emit an event so a person reconnects it.
 */
import { randomUUID } from 'node:crypto';
import type { AppServices } from '../../app/services';
import type { Logger } from '../../platform/observability/logger';

export interface RefreshSummary {
  due: number;
  refreshed: number;
  needsReauth: number;
  failed: number;
}

const MAX_PER_RUN = 1000;

export async function refreshExpiringTokens(
  deps: Pick<AppServices, 'credentials' | 'integrations' | 'events' | 'settings' | 'now'> &
    Partial<Pick<AppServices, 'activity'>> & { logger: Logger },
): Promise<RefreshSummary> {
  const now = deps.now();
  const result = await deps.credentials.refresher.refreshDue({
    marginMs: deps.settings.secrets.refreshMarginMs,
    now,
    limit: MAX_PER_RUN,
  });
  const summary: RefreshSummary = { due: result.due, refreshed: 0, needsReauth: 0, failed: 0 };
  for (const outcome of result.outcomes) {
    const credential = {
      tenantId: outcome.ref.tenantId,
      type: 'credential' as const,
      integrationId: outcome.ref.integrationId,
    };
    if (outcome.outcome === 'refreshed') {
      summary.refreshed++;
      if (outcome.by === 'self')
        deps.activity?.record({
          ...credential,
          status: 'refreshed',
          summary: 'access token refreshed before it expired',
        });
    } else if (outcome.outcome === 'failed') {
      summary.failed++;
      deps.activity?.record({
        ...credential,
        status: 'refresh_failed',
        summary: `token refresh failed (${outcome.error.code}); retried on the next run`,
      });
      deps.logger.warn('token refresh failed; it is retried on the next run', {
        integrationId: outcome.ref.integrationId,
        code: outcome.error.code,
      });
    } else if (outcome.outcome === 'needs_reauth') {
      summary.needsReauth++;
      await markNeedsReauth(deps, outcome.ref.tenantId, outcome.ref.integrationId, outcome.reason, now);
    }
  }
  return summary;
}

export async function markNeedsReauth(
  deps: Pick<AppServices, 'integrations' | 'events'> & { logger: Logger },
  tenantId: string,
  integrationId: string,
  reason: string,
  now: Date,
): Promise<void> {
  const integration = await deps.integrations.get(tenantId, integrationId);
  if (!integration) return;
  if (integration.status !== 'needs_reauth') {
    await deps.integrations
      .replace({ ...integration, status: 'needs_reauth', updatedAt: now.toISOString() })
      .catch((error: unknown) =>
        deps.logger.warn('could not mark the integration needs_reauth', { integrationId, error }),
      );
  }
  deps.logger.warn('credential needs a person to reconnect it', { integrationId, reason });
  await deps.events
    .publish([
      {
        id: randomUUID(),
        type: 'integration.needs_reauth',
        severity: 'critical',
        tenantId,
        integrationId,
        time: now.toISOString(),
        summary: `${integration.provider} integration "${integration.name}" must be reconnected (${reason})`,
        data: { provider: integration.provider, reason },
      },
    ])
    .catch((error: unknown) => deps.logger.warn('could not publish needs_reauth', { error }));
}
