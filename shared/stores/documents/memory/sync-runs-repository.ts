/** The sync-runs port in memory (tests, benchmarks): one partition per integration, as in Cosmos. */
import { isAppError, type AppError } from '../../../core/app-error';
import type { SyncRun } from '../../../core/sync-run';
import type { Stored } from '../../../core/stored';
import { notFound } from '../errors';
import type { RunCountersRow, RunCreateOutcome, RunOutcomeRow, SyncRunsRepository } from '../sync-runs-repository';
import { MemoryContainer, stored } from './memory-container';

export class MemorySyncRunsRepository implements SyncRunsRepository {
  private readonly container: MemoryContainer<SyncRun>;

  constructor(nowMs?: () => number) {
    this.container = new MemoryContainer(nowMs);
  }

  async createOrGet(run: SyncRun): Promise<{ run: Stored<SyncRun>; created: boolean }> {
    const existing = this.container.read(run.integrationId, run.id);
    if (existing) return { run: stored(existing), created: false };
    return { run: stored(this.container.upsert(run.integrationId, run)), created: true };
  }

  async createMany(runs: SyncRun[]): Promise<RunCreateOutcome[]> {
    return runs.map((run) => {
      if (this.container.read(run.integrationId, run.id)) return { status: 'exists' };
      this.container.upsert(run.integrationId, run);
      return { status: 'created' };
    });
  }

  async upsertMany(runs: SyncRun[]): Promise<Array<{ runId: string; error: AppError }>> {
    for (const run of runs) this.container.upsert(run.integrationId, run);
    return [];
  }

  async get(tenantId: string, integrationId: string, runId: string): Promise<Stored<SyncRun> | undefined> {
    const slot = this.container.read(integrationId, runId);
    return slot && slot.doc.tenantId === tenantId ? stored(slot) : undefined;
  }

  async list(tenantId: string, integrationId: string, limit = 100): Promise<Stored<SyncRun>[]> {
    return [...this.container.partition(integrationId)]
      .filter((slot) => slot.doc.tenantId === tenantId)
      .map(stored)
      .sort((a, b) => (a.queuedAt < b.queuedAt ? 1 : a.queuedAt > b.queuedAt ? -1 : 0))
      .slice(0, limit);
  }

  async findStale(cutoff: string, limit: number): Promise<Stored<SyncRun>[]> {
    return [...this.container.all()]
      .filter(({ doc }) => {
        if (doc.status !== 'queued' && doc.status !== 'running') return false;
        return doc.heartbeatAt !== undefined ? doc.heartbeatAt < cutoff : doc.queuedAt < cutoff;
      })
      .slice(0, limit)
      .map(stored);
  }

  async replaceIfUnchanged(
    current: Stored<SyncRun>,
    change: (run: SyncRun) => SyncRun | undefined,
  ): Promise<Stored<SyncRun> | undefined> {
    const { _etag, ...run } = current;
    const changed = change(run);
    if (!changed || !_etag) return undefined;
    try {
      return stored(this.container.replace(run.integrationId, changed, _etag, `run ${run.id}`));
    } catch (error) {
      if (isAppError(error) && error.code === 'precondition_failed') return undefined;
      throw error;
    }
  }

  async update(
    tenantId: string,
    integrationId: string,
    runId: string,
    change: (run: SyncRun) => SyncRun,
    options: { attempts?: number; from?: Stored<SyncRun> } = {},
  ): Promise<Stored<SyncRun>> {
    const attempts = options.attempts ?? 5;
    let known = options.from;
    for (let attempt = 1; ; attempt++) {
      const current = known ?? (await this.get(tenantId, integrationId, runId));
      known = undefined;
      if (!current) throw notFound(`run ${runId}`);
      const { _etag, ...run } = current;
      try {
        return stored(this.container.replace(integrationId, change(run), _etag, `run ${runId}`));
      } catch (error) {
        if (!isAppError(error) || error.code !== 'precondition_failed' || attempt >= attempts) throw error;
      }
    }
  }

  async countersQueuedBetween(
    tenantId: string,
    range: { from: string; to: string; integrationId?: string },
    max: number,
  ): Promise<{ runs: RunCountersRow[]; truncated: boolean }> {
    const runs = this.queuedBetween(tenantId, range.from, range.to, range.integrationId).map(
      ({ queuedAt, status, counters, integrationId, startedAt, finishedAt }) => ({
        queuedAt,
        status,
        counters,
        integrationId,
        ...(startedAt !== undefined ? { startedAt } : {}),
        ...(finishedAt !== undefined ? { finishedAt } : {}),
      }),
    );
    return { runs: runs.slice(0, max), truncated: runs.length > max };
  }

  async outcomesQueuedBetween(tenantId: string, from: string, to: string): Promise<RunOutcomeRow[]> {
    return this.queuedBetween(tenantId, from, to).map(({ status, counters }) => ({
      status,
      ...(counters?.fetched !== undefined ? { fetched: counters.fetched } : {}),
    }));
  }

  private queuedBetween(tenantId: string, from: string, to: string, integrationId?: string): SyncRun[] {
    return [...this.container.all()]
      .map((slot) => slot.doc)
      .filter(
        (run) =>
          run.tenantId === tenantId &&
          run.queuedAt >= from &&
          run.queuedAt < to &&
          (integrationId === undefined || run.integrationId === integrationId),
      );
  }
}
