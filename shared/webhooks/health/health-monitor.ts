/**
 * Watches every integration's webhook endpoint: when its rejection rate or its silence crosses a threshold
 * (endpoint-health.ts), a `webhook.endpoint_unhealthy` event is emitted, at most once per integration and
 * problem per hour: a marker claimed in the key-value store (Redis, shared by every instance; this process's
 * memory without Redis, or while Redis is down or fails).
 */
import { randomUUID } from 'node:crypto';
import type { AppServices } from '../../app/services';
import type { Logger } from '../../platform/observability/logger';
import { endpointHealth } from './endpoint-health';

const LOOKBACK_MS = 7 * 24 * 3600_000;
const ALERT_EVERY_MS = 3600_000;
const MAX_INTEGRATIONS = 2000;

type MonitorDeps = Pick<AppServices, 'integrations' | 'deliveryLog' | 'events' | 'kv' | 'now'> & {
  logger: Logger;
};

/** Returns how many unhealthy endpoints were announced. */
export async function monitorWebhookEndpoints(deps: MonitorDeps): Promise<number> {
  const now = deps.now();
  const since = new Date(now.getTime() - LOOKBACK_MS);
  let announced = 0;
  for (const integration of await deps.integrations.listAcrossTenants(MAX_INTEGRATIONS)) {
    const receipts = await deps.deliveryLog.list(
      integration.tenantId,
      integration.id,
      { from: since.toISOString() },
      10_000,
    );
    if (receipts.length === 0) continue;
    const health = endpointHealth(receipts, since, now);
    if (health.status !== 'unhealthy') continue;
    if (!(await deps.kv.claim(`wh-alert:${integration.id}:${health.problems.join('|')}`, ALERT_EVERY_MS))) continue;
    announced++;
    await deps.events
      .publish([
        {
          id: randomUUID(),
          type: 'webhook.endpoint_unhealthy',
          severity: 'warning',
          tenantId: integration.tenantId,
          integrationId: integration.id,
          time: now.toISOString(),
          summary: `${integration.provider} webhook endpoint of "${integration.name}": ${health.problems.join('; ')}`,
          data: {
            provider: integration.provider,
            accepted: health.accepted,
            rejected: health.rejected,
            lastAcceptedAt: health.lastAcceptedAt ?? null,
          },
        },
      ])
      .catch((error: unknown) => deps.logger.warn('could not publish webhook health event', { error }));
  }
  return announced;
}
