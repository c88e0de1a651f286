/**
 * The renewer's pass (functions/WebhookSubscriptionRenewer): every managed subscription whose next check has come
 * is claimed and brought in line: Google channels due for renewal are replaced before they expire, GitHub hooks
 * checked to exist with the current secret, failed changes retried with backoff, and hooks or channels of
 * subscriptions turned off removed. A channel found expired is announced (webhook.subscription_lapsed); the next
 * scheduled sync reads what its messages would have signalled, so nothing is lost but the latency.
 */
import { toAppError } from '../../core/app-error';
import { applySubscription, markFailed, removeFromProvider } from './apply';
import { release, reportLapses, tryClaim, type SubscriptionDeps } from './manager';

export interface RenewalReport {
  checked: number;
  failed: number;
  /** Subscriptions another instance held, or whose integration is gone. */
  skipped: number;
}

/** How many subscriptions one pass looks at; the rest stay due for the next pass. */
export const MAX_PER_PASS = 200;

export async function renewDueSubscriptions(deps: SubscriptionDeps, limit = MAX_PER_PASS): Promise<RenewalReport> {
  const report: RenewalReport = { checked: 0, failed: 0, skipped: 0 };
  for (const due of await deps.store.dueAcrossTenants(deps.now(), limit)) {
    const log = deps.logger.child({ tenantId: due.tenantId, integrationId: due.integrationId });
    try {
      const integration = await deps.integrations.get(due.tenantId, due.integrationId);
      if (!integration) {
        // Deleted without going through the admin route: nothing left to authenticate with at the provider.
        await deps.store.delete(due.tenantId, due.integrationId);
        log.warn('webhook subscription of a missing integration dropped', { provider: due.provider });
        report.skipped++;
        continue;
      }
      const claimed = await tryClaim(deps, integration, due);
      if (!claimed) {
        report.skipped++;
        continue;
      }
      const { _etag: _ignored, ...unmarked } = claimed;
      const current = await reportLapses(deps, integration, unmarked);
      let next;
      try {
        next = current.enabled
          ? await applySubscription(deps, integration, current, { force: false })
          : await removeFromProvider(deps, integration, current);
      } catch (error) {
        // Options the operator must fix: shown as the failure, looked at again after the backoff.
        next = markFailed(deps, current, toAppError(error).message);
      }
      await release(deps, claimed, next);
      report.checked++;
      if (next.state === 'failed') {
        report.failed++;
        log.warn('webhook subscription check failed', { provider: integration.provider, error: next.lastError });
      }
    } catch (error) {
      report.failed++;
      log.warn('webhook subscription check failed', { error: toAppError(error).message });
    }
  }
  return report;
}
