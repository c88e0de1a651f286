/**
 * An integration's health, as the admin API (`health` on every integration), the admin UI and the transition
 * notifications read it. A pure function of the integration, its newest runs and its credential's status.
 *
 * When several apply, the first of this order wins (the one an operator must act on first):
 *   disabled > needs_reauth > failing > stale > never_synced > ok
 * - disabled: the integration is switched off (nothing else matters until it is switched on);
 * - needs_reauth: the provider refused the credential for good (or it is missing a reconnect): a person must
 *   connect it again before anything can sync;
 * - failing: its last finished run failed, or one of its last 3 finished runs did;
 * - stale: no successful sync within 3 × its schedule interval (counted from its creation when it never had one);
 * - never_synced: no run has succeeded yet (and it is younger than 3 intervals);
 * - ok: none of the above.
 * Runs still queued or running are not "finished" and do not count as a failure or a success.
 */
import type { Integration } from './integration';
import type { SyncRun } from './sync-run';

export const HEALTH_STATUSES = ['ok', 'failing', 'stale', 'never_synced', 'needs_reauth', 'disabled'] as const;
export type HealthStatus = (typeof HEALTH_STATUSES)[number];

export interface IntegrationHealth {
  status: HealthStatus;
  /** One sentence an operator can act on. */
  reason: string;
}

/** How many of the newest finished runs are looked at for "failing". */
export const FAILING_WINDOW = 3;
/** A sync is stale after this many schedule intervals without a success. */
export const STALE_INTERVALS = 3;

/** Health states that notify an operator when an integration moves into them. */
export const NOTIFIED_HEALTH: ReadonlySet<HealthStatus> = new Set(['failing', 'stale', 'needs_reauth']);

export interface HealthInputs {
  integration: Pick<Integration, 'enabled' | 'status' | 'schedule' | 'createdAt'>;
  /** The integration's runs, newest first (a few more than FAILING_WINDOW is enough). */
  runs: ReadonlyArray<Pick<SyncRun, 'status' | 'queuedAt' | 'finishedAt' | 'lastError'>>;
  /**
   * When its last successful run finished, when that run is older than the runs given (undefined: none found).
   * The newest succeeded run among `runs` is used first.
   */
  lastSucceededAt?: string;
  /** The status of its API credential, when known ("active", "needs_reauth", "expired"). */
  credentialStatus?: string;
  now: Date;
}

function describeDuration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return 'under a minute';
  if (minutes < 120) return `${minutes} min`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h`;
  return `${Math.round(hours / 24)} d`;
}

const isFinished = (run: { status: string }) => run.status === 'succeeded' || run.status === 'failed';

export function integrationHealth(inputs: HealthInputs): IntegrationHealth {
  const { integration, runs, now } = inputs;
  if (!integration.enabled || integration.status === 'disabled')
    return { status: 'disabled', reason: 'the integration is disabled: it does not sync until it is enabled' };
  if (integration.status === 'needs_reauth' || inputs.credentialStatus === 'needs_reauth')
    return {
      status: 'needs_reauth',
      reason: 'the provider refused its credential: connect the integration again',
    };

  const finished = runs.filter(isFinished);
  const recent = finished.slice(0, FAILING_WINDOW);
  const failedIndex = recent.findIndex((run) => run.status === 'failed');
  if (failedIndex >= 0) {
    const failed = recent[failedIndex]!;
    const why = failed.lastError ? `: ${failed.lastError.message}` : '';
    return {
      status: 'failing',
      reason:
        failedIndex === 0
          ? `its last run failed${why}`
          : `${recent.filter((run) => run.status === 'failed').length} of its last ${recent.length} runs failed${why}`,
    };
  }

  const succeeded = finished.find((run) => run.status === 'succeeded');
  const lastSuccess = succeeded ? (succeeded.finishedAt ?? succeeded.queuedAt) : inputs.lastSucceededAt;
  const intervalMs = integration.schedule.intervalMinutes * 60_000;
  const staleAfterMs = STALE_INTERVALS * intervalMs;
  const since = Date.parse(lastSuccess ?? integration.createdAt);
  const age = now.getTime() - since;
  if (age > staleAfterMs)
    return {
      status: 'stale',
      reason: lastSuccess
        ? `no successful sync for ${describeDuration(age)} (expected every ${describeDuration(intervalMs)})`
        : `no successful sync since it was created ${describeDuration(age)} ago (expected every ${describeDuration(intervalMs)})`,
    };
  if (!lastSuccess)
    return {
      status: 'never_synced',
      reason: runs.length ? 'its first sync has not finished yet' : 'it has not synced yet',
    };
  return { status: 'ok', reason: `last successful sync ${describeDuration(Math.max(0, age))} ago` };
}
