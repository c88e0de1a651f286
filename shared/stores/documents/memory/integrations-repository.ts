/** The integrations port in memory (tests, benchmarks): one partition per tenant, as in Cosmos. */
import type { Integration } from '../../../core/integration';
import type { Stored } from '../../../core/stored';
import type { IntegrationsRepository } from '../integrations-repository';
import { MemoryContainer, stored } from './memory-container';

const byString =
  <T>(key: (item: T) => string) =>
  (a: T, b: T) =>
    key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;

export class MemoryIntegrationsRepository implements IntegrationsRepository {
  private readonly container: MemoryContainer<Integration>;

  constructor(nowMs?: () => number) {
    this.container = new MemoryContainer(nowMs);
  }

  async create(integration: Integration): Promise<Stored<Integration>> {
    return stored(this.container.create(integration.tenantId, integration, `integration ${integration.id}`));
  }

  async get(tenantId: string, integrationId: string): Promise<Stored<Integration> | undefined> {
    const slot = this.container.read(tenantId, integrationId);
    return slot ? stored(slot) : undefined;
  }

  async list(tenantId: string, limit = 500): Promise<Stored<Integration>[]> {
    return [...this.container.partition(tenantId)]
      .map(stored)
      .sort(byString((integration) => integration.createdAt))
      .slice(0, limit);
  }

  async replace(integration: Stored<Integration>): Promise<Stored<Integration>> {
    const { _etag, ...body } = integration;
    return stored(this.container.replace(body.tenantId, body, _etag, `integration ${integration.id}`));
  }

  async delete(tenantId: string, integrationId: string): Promise<boolean> {
    return this.container.delete(tenantId, integrationId);
  }

  async findForWebhook(integrationId: string): Promise<Stored<Integration> | undefined> {
    const found = [...this.container.all()].filter((slot) => slot.doc.id === integrationId);
    return found.length === 1 ? stored(found[0]!) : undefined;
  }

  async findPushingAcrossTenants(limit: number): Promise<Stored<Integration>[]> {
    return this.across(
      (integration) =>
        integration.enabled &&
        integration.status === 'active' &&
        (integration.direction === 'outbound' || integration.direction === 'bidirectional'),
      (integration) => integration.id,
      limit,
    );
  }

  async listAcrossTenants(limit: number): Promise<Stored<Integration>[]> {
    return [...this.container.all()].slice(0, limit).map(stored);
  }

  async findDueAcrossTenants(now: Date, limit: number): Promise<Stored<Integration>[]> {
    const at = now.toISOString();
    return this.across(
      (integration) =>
        integration.enabled &&
        integration.status === 'active' &&
        integration.nextSyncAt !== undefined &&
        integration.nextSyncAt <= at,
      (integration) => integration.nextSyncAt ?? '',
      limit,
    );
  }

  private across(
    wanted: (integration: Integration) => boolean,
    order: (integration: Integration) => string,
    limit: number,
  ): Stored<Integration>[] {
    return [...this.container.all()]
      .filter((slot) => wanted(slot.doc))
      .map(stored)
      .sort(byString(order))
      .slice(0, limit);
  }
}
