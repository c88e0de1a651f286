/** The notifications port in memory (tests): one partition per tenant; documents come back as copies. */
import type { ChannelDoc, DeliveryDoc, DeliveryStatus, RuleDoc } from '../../../notifications/types';
import type { NotificationDoc, NotificationsRepository } from '../notifications-repository';
import { MemoryContainer } from './memory-container';

const newestFirst = (a: DeliveryDoc, b: DeliveryDoc) =>
  a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0;

export class MemoryNotificationsRepository implements NotificationsRepository {
  private readonly container = new MemoryContainer<NotificationDoc>();

  async upsert<T extends NotificationDoc>(doc: T): Promise<T> {
    this.container.upsert(doc.tenantId, doc);
    return { ...doc };
  }

  async get<K extends NotificationDoc['kind']>(
    tenantId: string,
    kind: K,
    id: string,
  ): Promise<Extract<NotificationDoc, { kind: K }> | undefined> {
    const doc = this.container.read(tenantId, id)?.doc;
    return doc && doc.kind === kind ? ({ ...doc } as Extract<NotificationDoc, { kind: K }>) : undefined;
  }

  async delete(tenantId: string, kind: NotificationDoc['kind'], id: string): Promise<boolean> {
    if (!(await this.get(tenantId, kind, id))) return false;
    return this.container.delete(tenantId, id);
  }

  async listChannels(tenantId: string): Promise<ChannelDoc[]> {
    return this.ofKind<ChannelDoc>(tenantId, 'channel').slice(0, 500);
  }

  async listRules(tenantId: string): Promise<RuleDoc[]> {
    return this.ofKind<RuleDoc>(tenantId, 'rule').slice(0, 500);
  }

  async listDeliveries(
    tenantId: string,
    filter: { status?: DeliveryStatus; since?: string; limit?: number } = {},
  ): Promise<DeliveryDoc[]> {
    return this.ofKind<DeliveryDoc>(tenantId, 'delivery')
      .filter(
        (delivery) =>
          (!filter.status || delivery.status === filter.status) &&
          (!filter.since || delivery.createdAt >= filter.since),
      )
      .sort(newestFirst)
      .slice(0, filter.limit ?? 100);
  }

  async digestChannels(limit = 5000): Promise<ChannelDoc[]> {
    return [...this.container.all()]
      .map((slot) => slot.doc)
      .filter((doc): doc is ChannelDoc => doc.kind === 'channel' && doc.digest !== undefined)
      .slice(0, limit)
      .map((doc) => ({ ...doc }));
  }

  private ofKind<T extends NotificationDoc>(tenantId: string, kind: T['kind']): T[] {
    return [...this.container.partition(tenantId)]
      .map((slot) => slot.doc)
      .filter((doc): doc is T => doc.kind === kind)
      .map((doc) => ({ ...doc }));
  }
}
