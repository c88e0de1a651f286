/**
 * The integrations port on Cosmos (container `integrations`, partition /tenantId): tenant-facing calls read
 * within the tenant's partition; the cross-tenant scans are queries across partitions, named as such.
 */
import type { Container } from '@azure/cosmos';
import type { Integration } from '../../../core/integration';
import type { Stored } from '../../../core/stored';
import type { IntegrationsRepository } from '../integrations-repository';
import { statusOf, stripSystemFields as strip, translateCosmosError } from './cosmos-client';

const WEBHOOK_LOOKUP_TTL_MS = 5000;
const WEBHOOK_LOOKUP_MAX = 10_000;

export class CosmosIntegrationsRepository implements IntegrationsRepository {
  constructor(private readonly container: Container) {}

  async create(integration: Integration): Promise<Stored<Integration>> {
    try {
      const { resource } = await this.container.items.create(integration);
      return strip(resource as Stored<Integration>);
    } catch (error) {
      throw translateCosmosError(error, `integration ${integration.id}`);
    }
  }

  /** Undefined when absent or when it belongs to another tenant (the partition read cannot cross tenants). */
  async get(tenantId: string, integrationId: string): Promise<Stored<Integration> | undefined> {
    try {
      const { resource } = await this.container.item(integrationId, tenantId).read<Stored<Integration>>();
      return resource && resource.tenantId === tenantId ? strip(resource) : undefined;
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw translateCosmosError(error, `integration ${integrationId}`);
    }
  }

  async list(tenantId: string, limit = 500): Promise<Stored<Integration>[]> {
    try {
      const { resources } = await this.container.items
        .query<Stored<Integration>>(
          {
            query: 'SELECT * FROM c WHERE c.tenantId = @tenantId ORDER BY c.createdAt',
            parameters: [{ name: '@tenantId', value: tenantId }],
          },
          { partitionKey: tenantId, maxItemCount: limit },
        )
        .fetchNext();
      return resources.map(strip);
    } catch (error) {
      throw translateCosmosError(error, 'integrations');
    }
  }

  /** Replace guarded by the ETag read earlier: a concurrent change fails with precondition_failed. */
  async replace(integration: Stored<Integration>): Promise<Stored<Integration>> {
    this.forgetWebhookLookup(integration.id);
    const { _etag, ...body } = integration;
    try {
      const { resource } = await this.container
        .item(integration.id, integration.tenantId)
        .replace(body, { accessCondition: { type: 'IfMatch', condition: _etag } });
      return strip(resource as Stored<Integration>);
    } catch (error) {
      throw translateCosmosError(error, `integration ${integration.id}`);
    }
  }

  async delete(tenantId: string, integrationId: string): Promise<boolean> {
    this.forgetWebhookLookup(integrationId);
    try {
      await this.container.item(integrationId, tenantId).delete();
      return true;
    } catch (error) {
      if (statusOf(error) === 404) return false;
      throw translateCosmosError(error, `integration ${integrationId}`);
    }
  }

  /**
   * See findIntegrationForWebhook. Found integrations are kept for a few seconds: every delivery needs the
   * lookup, and a cross-partition query per delivery dominated webhook handling. A change to the integration
   * (disable, new webhook settings) reaches the receiver within WEBHOOK_LOOKUP_TTL_MS. Concurrent lookups of
   * one id share a query (a burst of deliveries when the entry has just expired costs one query, not one each);
   * a lookup that was running while the integration changed through this process is not cached.
   */
  async findForWebhook(integrationId: string): Promise<Stored<Integration> | undefined> {
    const cached = this.webhookLookups.get(integrationId);
    if (cached && cached.until > Date.now()) return cached.integration;
    const running = this.webhookLookupsRunning.get(integrationId);
    if (running) return running;
    const changesBefore = this.webhookLookupChanges;
    const lookup: Promise<Stored<Integration> | undefined> = findIntegrationForWebhook(this.container, integrationId)
      .then((integration) => {
        if (!integration) this.webhookLookups.delete(integrationId);
        else if (this.webhookLookupChanges === changesBefore) {
          if (this.webhookLookups.size >= WEBHOOK_LOOKUP_MAX)
            this.webhookLookups.delete(this.webhookLookups.keys().next().value!);
          this.webhookLookups.set(integrationId, { integration, until: Date.now() + WEBHOOK_LOOKUP_TTL_MS });
        }
        return integration;
      })
      .finally(() => {
        if (this.webhookLookupsRunning.get(integrationId) === lookup) this.webhookLookupsRunning.delete(integrationId);
      });
    this.webhookLookupsRunning.set(integrationId, lookup);
    return lookup;
  }

  private forgetWebhookLookup(integrationId: string): void {
    this.webhookLookupChanges++;
    this.webhookLookups.delete(integrationId);
    this.webhookLookupsRunning.delete(integrationId);
  }

  private readonly webhookLookups = new Map<string, { integration: Stored<Integration>; until: number }>();
  private readonly webhookLookupsRunning = new Map<string, Promise<Stored<Integration> | undefined>>();
  /** Changes made through this process: a lookup that saw one happen while it ran does not cache its answer. */
  private webhookLookupChanges = 0;

  /** Cross-tenant, for SyncScheduler's outbound scan only: enabled integrations that push local changes. */
  async findPushingAcrossTenants(limit: number): Promise<Stored<Integration>[]> {
    try {
      const { resources } = await this.container.items
        .query<Stored<Integration>>(
          {
            query:
              "SELECT * FROM c WHERE c.enabled = true AND c.status = 'active' AND (c.direction = 'outbound' OR c.direction = 'bidirectional') ORDER BY c.id",
          },
          { maxItemCount: limit },
        )
        .fetchNext();
      return resources.slice(0, limit).map(strip);
    } catch (error) {
      throw translateCosmosError(error, 'pushing integrations');
    }
  }

  /** Cross-tenant, for platform monitors (webhook endpoint health): every integration, bounded. */
  async listAcrossTenants(limit: number): Promise<Stored<Integration>[]> {
    try {
      const { resources } = await this.container.items
        .query<Stored<Integration>>('SELECT * FROM c', { maxItemCount: limit })
        .fetchNext();
      return resources.slice(0, limit).map(strip);
    } catch (error) {
      throw translateCosmosError(error, 'integrations');
    }
  }

  /** Cross-tenant, for SyncScheduler only: enabled integrations whose next sync time has come. */
  async findDueAcrossTenants(now: Date, limit: number): Promise<Stored<Integration>[]> {
    try {
      const { resources } = await this.container.items
        .query<Stored<Integration>>(
          {
            query:
              "SELECT * FROM c WHERE c.enabled = true AND c.status = 'active' AND c.nextSyncAt <= @now ORDER BY c.nextSyncAt",
            parameters: [{ name: '@now', value: now.toISOString() }],
          },
          { maxItemCount: limit },
        )
        .fetchNext();
      return resources.slice(0, limit).map(strip);
    } catch (error) {
      throw translateCosmosError(error, 'due integrations');
    }
  }
}

/**
 * Webhook routing only: a provider calls /api/webhooks/{provider}/{integrationId} without a tenant, so the
 * integration is found by its unguessable id across partitions. Callers must verify the request before
 * acting on the result.
 */
async function findIntegrationForWebhook(
  container: Container,
  integrationId: string,
): Promise<Stored<Integration> | undefined> {
  try {
    const { resources } = await container.items
      .query<Stored<Integration>>(
        { query: 'SELECT * FROM c WHERE c.id = @id', parameters: [{ name: '@id', value: integrationId }] },
        { maxItemCount: 2 },
      )
      .fetchNext();
    return resources.length === 1 ? strip(resources[0]!) : undefined;
  } catch (error) {
    throw translateCosmosError(error, 'integration');
  }
}
