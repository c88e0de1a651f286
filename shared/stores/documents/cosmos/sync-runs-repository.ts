/**
 * The sync-runs port on Cosmos (container `sync-runs`, partition /integrationId): point reads check the tenant;
 * changes are ETag-guarded read-modify-writes; the webhook intake's runs are created in bulk calls of 100.
 */
import {
  BulkOperationType,
  type Container,
  type JSONObject,
  type OperationInput,
  type RequestOptions,
} from '@azure/cosmos';
import type { AppError } from '../../../core/app-error';
import type { SyncRun } from '../../../core/sync-run';
import type { Stored } from '../../../core/stored';
import type { RunCountersRow, RunCreateOutcome, RunOutcomeRow, SyncRunsRepository } from '../sync-runs-repository';
import { statusOf, stripSystemFields, translateCosmosError } from './cosmos-client';
import { rowsBetween } from './rows-between';

/** Cosmos takes at most 100 operations per bulk call. */
const BULK_CHUNK = 100;

export class CosmosSyncRunsRepository implements SyncRunsRepository {
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

  /** Create, never upsert: a run that exists already (a retried start) may be running, and must stay as it is. */
  async createMany(runs: SyncRun[]): Promise<RunCreateOutcome[]> {
    const outcomes: RunCreateOutcome[] = [];
    for (let first = 0; first < runs.length; first += BULK_CHUNK) {
      const chunk = runs.slice(first, first + BULK_CHUNK);
      try {
        const results = await this.container.items.bulk(
          bulkOperations(chunk, BulkOperationType.Create),
          { continueOnError: true },
          // Only the statuses are read: Azure then answers without the documents.
          { contentResponseOnWriteEnabled: false } as RequestOptions,
        );
        chunk.forEach((run, index) => {
          const status = results[index]?.statusCode ?? 500;
          outcomes.push(
            status < 300
              ? { status: 'created' }
              : status === 409
                ? { status: 'exists' }
                : { status: 'failed', error: translateCosmosError({ code: status }, `run ${run.id}`) },
          );
        });
      } catch (error) {
        const translated = translateCosmosError(error, 'runs');
        for (let i = 0; i < chunk.length; i++) outcomes.push({ status: 'failed', error: translated });
      }
    }
    return outcomes;
  }

  async upsertMany(runs: SyncRun[]): Promise<Array<{ runId: string; error: AppError }>> {
    const failed: Array<{ runId: string; error: AppError }> = [];
    for (let first = 0; first < runs.length; first += BULK_CHUNK) {
      const chunk = runs.slice(first, first + BULK_CHUNK);
      try {
        const results = await this.container.items.bulk(bulkOperations(chunk, BulkOperationType.Upsert), {
          continueOnError: true,
        });
        chunk.forEach((run, index) => {
          const status = results[index]?.statusCode ?? 500;
          if (status >= 300)
            failed.push({ runId: run.id, error: translateCosmosError({ code: status }, `run ${run.id}`) });
        });
      } catch (error) {
        const translated = translateCosmosError(error, 'runs');
        for (const run of chunk) failed.push({ runId: run.id, error: translated });
      }
    }
    return failed;
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

  /** Only the fields the chart needs, across the tenant's integrations or within one (rows-between.ts). */
  async countersQueuedBetween(
    tenantId: string,
    range: { from: string; to: string; integrationId?: string },
    max: number,
  ): Promise<{ runs: RunCountersRow[]; truncated: boolean }> {
    const { rows, truncated } = await rowsBetween<RunCountersRow>(this.container, {
      tenantId,
      timeField: 'queuedAt',
      range,
      select: ['c.queuedAt', 'c.status', 'c.counters', 'c.integrationId', 'c.startedAt', 'c.finishedAt'],
      max,
      what: 'runs',
    });
    return { runs: rows, truncated };
  }

  async outcomesQueuedBetween(tenantId: string, from: string, to: string): Promise<RunOutcomeRow[]> {
    try {
      const { resources } = await this.container.items
        .query<RunOutcomeRow>({
          query:
            'SELECT c.status, c.counters.fetched AS fetched FROM c WHERE c.tenantId = @tenantId AND c.queuedAt >= @start AND c.queuedAt < @end',
          parameters: [
            { name: '@tenantId', value: tenantId },
            { name: '@start', value: from },
            { name: '@end', value: to },
          ],
        })
        .fetchAll();
      return resources;
    } catch (error) {
      throw translateCosmosError(error, 'runs');
    }
  }
}

function bulkOperations(
  runs: SyncRun[],
  operationType: typeof BulkOperationType.Create | typeof BulkOperationType.Upsert,
): OperationInput[] {
  return runs.map((run) => ({
    operationType,
    partitionKey: run.integrationId,
    resourceBody: run as unknown as JSONObject,
  }));
}
