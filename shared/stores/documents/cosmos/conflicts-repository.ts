/**
 * The conflicts port on Cosmos (container `conflicts`, partition /tenantId): reads within the tenant's
 * partition; a resolution replaces the document IfMatch its ETag; a page's conflicts are written in bulk.
 */
import type { Container } from '@azure/cosmos';
import type { ConflictDocument } from '../../../conflicts/conflict-document';
import type { Stored } from '../../../core/stored';
import type { ConflictsRepository } from '../conflicts-repository';
import { bulkUpsert, type UpsertDoc } from './bulk';
import { statusOf, stripSystemFields, translateCosmosError } from './cosmos-client';

export class CosmosConflictsRepository implements ConflictsRepository {
  constructor(private readonly container: Container) {}

  async get(tenantId: string, conflictId: string): Promise<Stored<ConflictDocument> | undefined> {
    try {
      const { resource } = await this.container.item(conflictId, tenantId).read<Stored<ConflictDocument>>();
      return resource && resource.tenantId === tenantId ? stripSystemFields(resource) : undefined;
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw translateCosmosError(error, `conflict ${conflictId}`);
    }
  }

  async list(
    tenantId: string,
    filter: { status: ConflictDocument['status']; integrationId?: string },
    limit = 200,
  ): Promise<Stored<ConflictDocument>[]> {
    const { status, integrationId } = filter;
    try {
      const { resources } = await this.container.items
        .query<Stored<ConflictDocument>>(
          {
            query: `SELECT * FROM c WHERE c.tenantId = @tenantId AND c.status = @status${integrationId ? ' AND c.integrationId = @integrationId' : ''} ORDER BY c.createdAt DESC`,
            parameters: [
              { name: '@tenantId', value: tenantId },
              { name: '@status', value: status },
              ...(integrationId ? [{ name: '@integrationId', value: integrationId }] : []),
            ],
          },
          { partitionKey: tenantId, maxItemCount: limit },
        )
        .fetchNext();
      return resources.map(stripSystemFields);
    } catch (error) {
      throw translateCosmosError(error, 'conflicts');
    }
  }

  async replace(conflict: Stored<ConflictDocument>): Promise<Stored<ConflictDocument>> {
    const { _etag, ...body } = conflict;
    try {
      const { resource } = await this.container
        .item(conflict.id, conflict.tenantId)
        .replace(body, { accessCondition: { type: 'IfMatch', condition: _etag } });
      return stripSystemFields(resource as unknown as Stored<ConflictDocument>);
    } catch (error) {
      throw translateCosmosError(error, `conflict ${conflict.id}`);
    }
  }

  async saveMany(conflicts: ConflictDocument[]): Promise<void> {
    await bulkUpsert(this.container, (doc) => String(doc.tenantId), conflicts as unknown as UpsertDoc[]);
  }

  async openIds(tenantId: string): Promise<string[]> {
    try {
      const { resources } = await this.container.items
        .query<{ id: string }>(
          {
            query: "SELECT c.id FROM c WHERE c.tenantId = @tenantId AND c.status = 'open'",
            parameters: [{ name: '@tenantId', value: tenantId }],
          },
          { partitionKey: tenantId },
        )
        .fetchAll();
      return resources.map((row) => row.id);
    } catch (error) {
      throw translateCosmosError(error, 'conflicts');
    }
  }
}
