/** The activity port in memory (tests, benchmarks): one partition per tenant, the same order and paging as Cosmos. */
import type {
  ActivityDoc,
  ActivityFilter,
  ActivityListPage,
  ActivityRepository,
  RunLogDoc,
} from '../activity-repository';
import { byPageThenTime } from '../activity-repository';
import { MemoryContainer } from './memory-container';

type Doc = ActivityDoc | RunLogDoc;

export class MemoryActivityRepository implements ActivityRepository {
  private readonly container = new MemoryContainer<Doc>();

  async appendMany(docs: ActivityDoc[]): Promise<void> {
    for (const doc of docs) this.container.upsert(doc.tenantId, { ...doc });
  }

  async list(
    tenantId: string,
    filter: ActivityFilter,
    page: { limit: number; after?: string },
  ): Promise<ActivityListPage> {
    const matching = [...this.container.partition(tenantId)]
      .map((slot) => slot.doc)
      .filter(
        (doc): doc is ActivityDoc =>
          doc.kind === 'activity' &&
          (filter.integrationId === undefined || doc.integrationId === filter.integrationId) &&
          (filter.type === undefined || doc.type === filter.type) &&
          (filter.status === undefined || doc.status === filter.status) &&
          (filter.from === undefined || doc.at >= filter.from) &&
          (filter.to === undefined || doc.at <= filter.to) &&
          (page.after === undefined || doc.id < page.after),
      )
      .sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
    const items = matching.slice(0, page.limit).map((doc) => ({ ...doc }));
    return matching.length > page.limit ? { items, after: items[items.length - 1]!.id } : { items };
  }

  async appendRunLog(doc: RunLogDoc): Promise<void> {
    this.container.upsert(doc.tenantId, { ...doc, items: [...doc.items] });
  }

  async runLog(tenantId: string, integrationId: string, runId: string, limit = 1000): Promise<RunLogDoc[]> {
    return [...this.container.partition(tenantId)]
      .map((slot) => slot.doc)
      .filter(
        (doc): doc is RunLogDoc => doc.kind === 'run-log' && doc.integrationId === integrationId && doc.runId === runId,
      )
      .slice(0, limit)
      .map((doc) => ({ ...doc }))
      .sort(byPageThenTime);
  }
}
