/**
 * The notifications port on Cosmos (container `notifications`, partition /tenantId): reads within the tenant's
 * partition; the digest timer's list of channels is the one query across partitions.
 */
import type { Container, SqlParameter } from '@azure/cosmos';
import type { ChannelDoc, DeliveryDoc, DeliveryStatus, RuleDoc } from '../../../notifications/types';
import type { NotificationDoc as Doc, NotificationsRepository } from '../notifications-repository';
import { statusOf, translateCosmosError } from './cosmos-client';

const SYSTEM = ['_rid', '_self', '_ts', '_attachments', '_etag'];

function clean<T>(doc: T): T {
  return Object.fromEntries(Object.entries(doc as object).filter(([key]) => !SYSTEM.includes(key))) as T;
}

export class CosmosNotificationsRepository implements NotificationsRepository {
  constructor(private readonly container: Container) {}

  async upsert<T extends Doc>(doc: T): Promise<T> {
    try {
      const { resource } = await this.container.items.upsert(doc);
      return clean(resource as unknown as T);
    } catch (error) {
      throw translateCosmosError(error, `${doc.kind} ${doc.id}`);
    }
  }

  async get<K extends Doc['kind']>(
    tenantId: string,
    kind: K,
    id: string,
  ): Promise<Extract<Doc, { kind: K }> | undefined> {
    try {
      const { resource } = await this.container.item(id, tenantId).read<Doc>();
      return resource && resource.tenantId === tenantId && resource.kind === kind
        ? clean(resource as unknown as Extract<Doc, { kind: K }>)
        : undefined;
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw translateCosmosError(error, `${kind} ${id}`);
    }
  }

  async delete(tenantId: string, kind: Doc['kind'], id: string): Promise<boolean> {
    if (!(await this.get(tenantId, kind, id))) return false;
    try {
      await this.container.item(id, tenantId).delete();
      return true;
    } catch (error) {
      if (statusOf(error) === 404) return false;
      throw translateCosmosError(error, `${kind} ${id}`);
    }
  }

  listChannels(tenantId: string): Promise<ChannelDoc[]> {
    return this.query<ChannelDoc>(
      tenantId,
      "SELECT * FROM c WHERE c.tenantId = @tenantId AND c.kind = 'channel'",
      [],
      500,
    );
  }

  listRules(tenantId: string): Promise<RuleDoc[]> {
    return this.query<RuleDoc>(tenantId, "SELECT * FROM c WHERE c.tenantId = @tenantId AND c.kind = 'rule'", [], 500);
  }

  /** Newest first. */
  listDeliveries(
    tenantId: string,
    filter: { status?: DeliveryStatus; since?: string; limit?: number } = {},
  ): Promise<DeliveryDoc[]> {
    const clauses = ['c.tenantId = @tenantId', "c.kind = 'delivery'"];
    const parameters: SqlParameter[] = [];
    if (filter.status) {
      clauses.push('c.status = @status');
      parameters.push({ name: '@status', value: filter.status });
    }
    if (filter.since) {
      clauses.push('c.createdAt >= @since');
      parameters.push({ name: '@since', value: filter.since });
    }
    return this.query<DeliveryDoc>(
      tenantId,
      `SELECT * FROM c WHERE ${clauses.join(' AND ')} ORDER BY c.createdAt DESC`,
      parameters,
      filter.limit ?? 100,
    );
  }

  /** Across tenants: the channels that asked for a digest (the digest timer's work list). */
  async digestChannels(limit = 5000): Promise<ChannelDoc[]> {
    try {
      const { resources } = await this.container.items
        .query<ChannelDoc>(
          { query: "SELECT * FROM c WHERE c.kind = 'channel' AND IS_DEFINED(c.digest)" },
          { maxItemCount: limit },
        )
        .fetchAll();
      return resources.slice(0, limit).map(clean);
    } catch (error) {
      throw translateCosmosError(error, 'digest channels');
    }
  }

  private async query<T>(tenantId: string, query: string, parameters: SqlParameter[], limit: number): Promise<T[]> {
    try {
      const { resources } = await this.container.items
        .query<T>(
          { query, parameters: [{ name: '@tenantId', value: tenantId }, ...parameters] },
          { partitionKey: tenantId, maxItemCount: limit },
        )
        .fetchNext();
      return resources.slice(0, limit).map(clean);
    } catch (error) {
      throw translateCosmosError(error, 'notifications');
    }
  }
}
