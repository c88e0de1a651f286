/** The conflicts port in memory (tests, benchmarks): one partition per tenant, as in Cosmos. */
import type { ConflictDocument } from '../../../conflicts/conflict-document';
import type { Stored } from '../../../core/stored';
import type { ConflictsRepository } from '../conflicts-repository';
import { MemoryContainer, stored } from './memory-container';

export class MemoryConflictsRepository implements ConflictsRepository {
  private readonly container: MemoryContainer<ConflictDocument>;

  constructor(nowMs?: () => number) {
    this.container = new MemoryContainer(nowMs);
  }

  async get(tenantId: string, conflictId: string): Promise<Stored<ConflictDocument> | undefined> {
    const slot = this.container.read(tenantId, conflictId);
    return slot ? stored(slot) : undefined;
  }

  async list(
    tenantId: string,
    filter: { status: ConflictDocument['status']; integrationId?: string },
    limit = 200,
  ): Promise<Stored<ConflictDocument>[]> {
    return [...this.container.partition(tenantId)]
      .filter(
        ({ doc }) =>
          doc.status === filter.status &&
          (filter.integrationId === undefined || doc.integrationId === filter.integrationId),
      )
      .map(stored)
      .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0))
      .slice(0, limit);
  }

  async replace(conflict: Stored<ConflictDocument>): Promise<Stored<ConflictDocument>> {
    const { _etag, ...body } = conflict;
    return stored(this.container.replace(body.tenantId, body, _etag, `conflict ${conflict.id}`));
  }

  async saveMany(conflicts: ConflictDocument[]): Promise<void> {
    for (const conflict of conflicts) this.container.upsert(conflict.tenantId, conflict);
  }

  async openIds(tenantId: string): Promise<string[]> {
    return [...this.container.partition(tenantId)].filter(({ doc }) => doc.status === 'open').map(({ doc }) => doc.id);
  }
}
