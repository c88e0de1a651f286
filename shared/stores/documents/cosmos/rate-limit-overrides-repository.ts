/**
 * The `rate-limit-overrides` container (partition /tenantId): the durable copy of the limiter's overrides,
 * one document per scope (the tenant-wide override, or one integration's). Redis holds the copy the limiter
 * reads (ratelimit/durable-overrides.ts); this one survives Redis losing its data. Only that store writes here.
 */
import type { Container } from '@azure/cosmos';
import type { OverrideDocuments, StoredOverride } from '../../../ratelimit/durable-overrides';
import type { LimitOverride, OverrideScope } from '../../../ratelimit/overrides';
import { statusOf, translateCosmosError } from './cosmos-client';

interface OverrideDocument {
  id: string;
  tenantId: string;
  integrationId?: string;
  override: LimitOverride;
  updatedAt: string;
}

/** Integration ids follow the path id rule (no "/", "\", "#", "?"), so they are valid document ids as they are. */
function documentId(scope: OverrideScope): string {
  return scope.integrationId === undefined ? 'tenant' : `integration:${scope.integrationId}`;
}

export class CosmosRateLimitOverridesRepository implements OverrideDocuments {
  constructor(private readonly container: Container) {}

  async get(scope: OverrideScope): Promise<LimitOverride | undefined> {
    try {
      const { resource } = await this.container.item(documentId(scope), scope.tenantId).read<OverrideDocument>();
      return resource?.override;
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw translateCosmosError(error, 'rate-limit override');
    }
  }

  async put(scope: OverrideScope, override: LimitOverride): Promise<void> {
    const document: OverrideDocument = {
      id: documentId(scope),
      tenantId: scope.tenantId,
      ...(scope.integrationId !== undefined ? { integrationId: scope.integrationId } : {}),
      override,
      updatedAt: new Date().toISOString(),
    };
    try {
      await this.container.items.upsert(document);
    } catch (error) {
      throw translateCosmosError(error, 'rate-limit override');
    }
  }

  async remove(scope: OverrideScope): Promise<void> {
    try {
      await this.container.item(documentId(scope), scope.tenantId).delete();
    } catch (error) {
      if (statusOf(error) !== 404) throw translateCosmosError(error, 'rate-limit override');
    }
  }

  async all(): Promise<StoredOverride[]> {
    try {
      const { resources } = await this.container.items
        .query<OverrideDocument>('SELECT c.tenantId, c.integrationId, c.override FROM c')
        .fetchAll();
      return resources.map((document) => ({
        scope: {
          tenantId: document.tenantId,
          ...(document.integrationId !== undefined ? { integrationId: document.integrationId } : {}),
        },
        override: document.override,
      }));
    } catch (error) {
      throw translateCosmosError(error, 'rate-limit overrides');
    }
  }
}
