/**
 * The `sync-runs` container (partition /integrationId). Reads also filter on tenantId, so a run id guessed
 * from another tenant's integration is never returned.
 */
import type { Container } from '@azure/cosmos';
import type { SyncRun } from '../../../core/sync-run';
import { statusOf, translateCosmosError } from './cosmos-client';
import type { Stored } from '../../../core/stored';
import { stripSystemFields } from './integrations-repository';

export class SyncRunsRepository {
  constructor(private readonly container: Container) {}

  /** Creates the run; when a run with this id exists already (a redelivered or duplicated start), returns it. */
  async createOrGet(run: SyncRun): Promise<{ run: Stored<SyncRun>; created: boolean }> {
    try {
      const { resource } = await this.container.items.create(run);
      return { run: stripSystemFields(resource as Stored<SyncRun>), created: true };
    } catch (error) {
      if (statusOf(error) !== 409) throw translateCosmosError(error, `run ${run.id}`);
      const existing = await this.get(run.tenantId, run.integrationId, run.id);
      if (!existing) throw translateCosmosError(error, `run ${run.id}`);
      return { run: existing, created: false };
    }
  }

  async get(tenantId: string, integrationId: string, runId: string): Promise<Stored<SyncRun> | undefined> {
    try {
      const { resource } = await this.container.item(runId, integrationId).read<Stored<SyncRun>>();
      return resource && resource.tenantId === tenantId ? stripSystemFields(resource) : undefined;
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw translateCosmosError(error, `run ${runId}`);
    }
  }

  async list(tenantId: string, integrationId: string, limit = 100): Promise<Stored<SyncRun>[]> {
    try {
      const { resources } = await this.container.items
        .query<Stored<SyncRun>>(
          {
            query:
              'SELECT * FROM c WHERE c.integrationId = @integrationId AND c.tenantId = @tenantId ORDER BY c.queuedAt DESC',
            parameters: [
              { name: '@integrationId', value: integrationId },
              { name: '@tenantId', value: tenantId },
            ],
          },
          { partitionKey: integrationId, maxItemCount: limit },
        )
        .fetchNext();
      return resources.map(stripSystemFields);
    } catch (error) {
      throw translateCosmosError(error, 'runs');
    }
  }

  /**
   * Runs across tenants that are queued or running and show no sign of life since `cutoff` (ISO time): the
   * heartbeat, or the queue time of a run that has none yet. Oldest first, at most `limit`.
   */
  async findStale(cutoff: string, limit: number): Promise<Stored<SyncRun>[]> {
    try {
      const { resources } = await this.container.items
        .query<Stored<SyncRun>>(
          {
            query:
              "SELECT * FROM c WHERE (c.status = 'queued' OR c.status = 'running') AND ((IS_DEFINED(c.heartbeatAt) AND c.heartbeatAt < @cutoff) OR (NOT IS_DEFINED(c.heartbeatAt) AND c.queuedAt < @cutoff))",
            parameters: [{ name: '@cutoff', value: cutoff }],
          },
          { maxItemCount: limit },
        )
        .fetchNext();
      return resources.slice(0, limit).map(stripSystemFields);
    } catch (error) {
      throw translateCosmosError(error, 'stale runs');
    }
  }

  /**
   * One ETag-guarded change of the run as it was read, only when `change` still wants it (returns a document);
   * undefined when it declined or the run changed meanwhile (another writer won: nothing is retried).
   */
  async replaceIfUnchanged(
    stored: Stored<SyncRun>,
    change: (run: SyncRun) => SyncRun | undefined,
  ): Promise<Stored<SyncRun> | undefined> {
    const { _etag, ...run } = stored;
    const changed = change(run);
    if (!changed || !_etag) return undefined;
    try {
      const { resource } = await this.container
        .item(run.id, run.integrationId)
        .replace(changed, { accessCondition: { type: 'IfMatch', condition: _etag } });
      return stripSystemFields(resource as Stored<SyncRun>);
    } catch (error) {
      if (statusOf(error) === 412) return undefined;
      throw translateCosmosError(error, `run ${run.id}`);
    }
  }

  /**
   * Read-modify-write with the ETag, retried on a concurrent change, so counters from two pages of the same
   * run are never lost.
   */
  async update(
    tenantId: string,
    integrationId: string,
    runId: string,
    change: (run: SyncRun) => SyncRun,
    attempts = 5,
  ): Promise<Stored<SyncRun>> {
    for (let attempt = 1; ; attempt++) {
      const current = await this.get(tenantId, integrationId, runId);
      if (!current) throw translateCosmosError({ code: 404 }, `run ${runId}`);
      const { _etag, ...run } = current;
      try {
        const { resource } = await this.container
          .item(runId, integrationId)
          .replace(change(run), { accessCondition: { type: 'IfMatch', condition: _etag } });
        return stripSystemFields(resource as Stored<SyncRun>);
      } catch (error) {
        if (statusOf(error) !== 412 || attempt >= attempts) throw translateCosmosError(error, `run ${runId}`);
      }
    }
  }
}
