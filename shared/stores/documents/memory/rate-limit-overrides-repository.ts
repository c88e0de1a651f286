/** The rate limiter's durable overrides in memory (tests): one entry per scope, as in Cosmos. */
import type { OverrideDocuments, StoredOverride } from '../../../ratelimit/durable-overrides';
import type { LimitOverride, OverrideScope } from '../../../ratelimit/overrides';

const keyOf = (scope: OverrideScope) => `${scope.tenantId}\u0000${scope.integrationId ?? ''}`;

export class MemoryRateLimitOverridesRepository implements OverrideDocuments {
  private readonly entries = new Map<string, StoredOverride>();

  async get(scope: OverrideScope): Promise<LimitOverride | undefined> {
    return this.entries.get(keyOf(scope))?.override;
  }

  async put(scope: OverrideScope, override: LimitOverride): Promise<void> {
    this.entries.set(keyOf(scope), {
      scope: {
        tenantId: scope.tenantId,
        ...(scope.integrationId !== undefined ? { integrationId: scope.integrationId } : {}),
      },
      override,
    });
  }

  async remove(scope: OverrideScope): Promise<void> {
    this.entries.delete(keyOf(scope));
  }

  async all(): Promise<StoredOverride[]> {
    return [...this.entries.values()];
  }
}
