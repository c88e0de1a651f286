/**
 * The sync-runs port (documents `sync-runs`, partition /integrationId). Reads also check the tenant, so a run id
 * guessed from another tenant's integration is never returned. Only shared/sync/runs/ and the run's own page
 * worker write runs (through this port). Implementations: cosmos/sync-runs-repository.ts,
 * memory/sync-runs-repository.ts.
 */
import type { AppError } from '../../core/app-error';
import type { RunStatus, SyncRun } from '../../core/sync-run';
import type { Stored } from '../../core/stored';

/** What happened to one run of a bulk create: an existing run (a retried start) is left as it is. */
export type RunCreateOutcome = { status: 'created' } | { status: 'exists' } | { status: 'failed'; error: AppError };

/** What the charts read of a run (the sync chart only the first three). */
export type RunCountersRow = Pick<SyncRun, 'queuedAt' | 'status' | 'counters'> &
  Partial<Pick<SyncRun, 'integrationId' | 'startedAt' | 'finishedAt'>>;

/** What a digest reads of a run. */
export interface RunOutcomeRow {
  status: RunStatus;
  fetched?: number;
}

export interface SyncRunsRepository {
  /** Creates the run; when a run with this id exists already (a redelivered or duplicated start), returns it. */
  createOrGet(run: SyncRun): Promise<{ run: Stored<SyncRun>; created: boolean }>;
  /** Creates runs in bulk (in calls of 100), never overwriting one that exists. One outcome per run, in order. */
  createMany(runs: SyncRun[]): Promise<RunCreateOutcome[]>;
  /** Writes runs as they are, in bulk; answers the runs it could not write (an empty list when all were written). */
  upsertMany(runs: SyncRun[]): Promise<Array<{ runId: string; error: AppError }>>;
  get(tenantId: string, integrationId: string, runId: string): Promise<Stored<SyncRun> | undefined>;
  /** The integration's runs, newest first, at most `limit` (default 100). */
  list(tenantId: string, integrationId: string, limit?: number): Promise<Stored<SyncRun>[]>;
  /**
   * Runs across tenants that are queued or running and show no sign of life since `cutoff` (ISO time): the
   * heartbeat, or the queue time of a run that has none yet. At most `limit`.
   */
  findStale(cutoff: string, limit: number): Promise<Stored<SyncRun>[]>;
  /**
   * One ETag-guarded change of the run as it was read, only when `change` still wants it (returns a document);
   * undefined when it declined or the run changed meanwhile (another writer won: nothing is retried).
   */
  replaceIfUnchanged(
    stored: Stored<SyncRun>,
    change: (run: SyncRun) => SyncRun | undefined,
  ): Promise<Stored<SyncRun> | undefined>;
  /**
   * Read-modify-write with the ETag, retried on a concurrent change (up to `attempts` writes), so counters from
   * two pages of the same run are never lost. `from`: the run as the caller read it, which saves the first read
   * (a stale copy only costs a retry).
   */
  update(
    tenantId: string,
    integrationId: string,
    runId: string,
    change: (run: SyncRun) => SyncRun,
    options?: { attempts?: number; from?: Stored<SyncRun> },
  ): Promise<Stored<SyncRun>>;
  /**
   * The tenant's runs queued in [from, to) across its integrations (or one), at most `max`; `truncated` when
   * there were more.
   */
  countersQueuedBetween(
    tenantId: string,
    range: { from: string; to: string; integrationId?: string },
    max: number,
  ): Promise<{ runs: RunCountersRow[]; truncated: boolean }>;
  /** The tenant's runs queued in [from, to) across its integrations: status and records fetched. */
  outcomesQueuedBetween(tenantId: string, from: string, to: string): Promise<RunOutcomeRow[]>;
}
