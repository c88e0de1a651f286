/**
 * The activity port on Cosmos (container `activity`, partition /tenantId; TTL enabled without a default, every
 * document carries its own `ttl`). Reads stay in the tenant's partition. Paging is by id (time first, see
 * activityDocId): "newest first" is one ORDER BY on id, and the next page starts below the last id given.
 */
import type { Container, SqlParameter } from '@azure/cosmos';
import type {
  ActivityDoc,
  ActivityFilter,
  ActivityListPage,
  ActivityRepository,
  RunLogDoc,
} from '../activity-repository';
import { byPageThenTime } from '../activity-repository';
import { bulkUpsert, type UpsertDoc } from './bulk';
import { translateCosmosError } from './cosmos-client';

const SYSTEM = ['_rid', '_self', '_ts', '_attachments', '_etag'];

function clean<T>(doc: T): T {
  return Object.fromEntries(Object.entries(doc as object).filter(([key]) => !SYSTEM.includes(key))) as T;
}

export class CosmosActivityRepository implements ActivityRepository {
  constructor(private readonly container: Container) {}

  async appendMany(docs: ActivityDoc[]): Promise<void> {
    if (docs.length === 0) return;
    await bulkUpsert(this.container, (doc) => String(doc.tenantId), docs as unknown as UpsertDoc[]);
  }

  async list(
    tenantId: string,
    filter: ActivityFilter,
    page: { limit: number; after?: string },
  ): Promise<ActivityListPage> {
    const clauses = ['c.tenantId = @tenantId', "c.kind = 'activity'"];
    const parameters: SqlParameter[] = [{ name: '@tenantId', value: tenantId }];
    const add = (clause: string, name: string, value: string | undefined) => {
      if (value === undefined) return;
      clauses.push(clause);
      parameters.push({ name, value });
    };
    add('c.integrationId = @integrationId', '@integrationId', filter.integrationId);
    add('c.type = @type', '@type', filter.type);
    add('c.status = @status', '@status', filter.status);
    add('c.at >= @from', '@from', filter.from);
    add('c.at <= @to', '@to', filter.to);
    add('c.id < @after', '@after', page.after);
    try {
      // One more than asked tells whether another page follows.
      const { resources } = await this.container.items
        .query<ActivityDoc>(
          {
            query: `SELECT TOP @top * FROM c WHERE ${clauses.join(' AND ')} ORDER BY c.id DESC`,
            parameters: [...parameters, { name: '@top', value: page.limit + 1 }],
          },
          { partitionKey: tenantId },
        )
        .fetchAll();
      const items = resources.slice(0, page.limit).map(clean);
      return resources.length > page.limit ? { items, after: items[items.length - 1]!.id } : { items };
    } catch (error) {
      throw translateCosmosError(error, 'activity');
    }
  }

  async appendRunLog(doc: RunLogDoc): Promise<void> {
    try {
      await this.container.items.upsert(doc);
    } catch (error) {
      throw translateCosmosError(error, `run log ${doc.id}`);
    }
  }

  async runLog(tenantId: string, integrationId: string, runId: string, limit = 1000): Promise<RunLogDoc[]> {
    try {
      const { resources } = await this.container.items
        .query<RunLogDoc>(
          {
            query:
              "SELECT TOP @top * FROM c WHERE c.tenantId = @tenantId AND c.kind = 'run-log' AND c.integrationId = @integrationId AND c.runId = @runId",
            parameters: [
              { name: '@tenantId', value: tenantId },
              { name: '@integrationId', value: integrationId },
              { name: '@runId', value: runId },
              { name: '@top', value: limit },
            ],
          },
          { partitionKey: tenantId },
        )
        .fetchAll();
      return resources.map(clean).sort(byPageThenTime);
    } catch (error) {
      throw translateCosmosError(error, `run log ${runId}`);
    }
  }
}
