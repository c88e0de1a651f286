/**
 * The integrations port (documents `integrations`, partition /tenantId). Every tenant-facing call takes the
 * tenantId and reads within that partition, so tenant A can never see or change tenant B's integrations. The
 * cross-tenant scans (the scheduler's due work and outbound scan, platform monitors, webhook routing) are named
 * as such. Implementations: cosmos/integrations-repository.ts, memory/integrations-repository.ts.
 */
import type { Integration } from '../../core/integration';
import type { Stored } from '../../core/stored';

export interface IntegrationsRepository {
  /** Fails with conflict when the id is taken in the tenant. */
  create(integration: Integration): Promise<Stored<Integration>>;
  /** Undefined when absent or when it belongs to another tenant. */
  get(tenantId: string, integrationId: string): Promise<Stored<Integration> | undefined>;
  /** The tenant's integrations, oldest first, at most `limit` (default 500). */
  list(tenantId: string, limit?: number): Promise<Stored<Integration>[]>;
  /** Replace guarded by the ETag read earlier: a concurrent change fails with precondition_failed. */
  replace(integration: Stored<Integration>): Promise<Stored<Integration>>;
  /** False when there was nothing to delete. */
  delete(tenantId: string, integrationId: string): Promise<boolean>;
  /**
   * Webhook routing only: a provider calls /api/webhooks/{provider}/{integrationId} without a tenant, so the
   * integration is found by its unguessable id across tenants (undefined unless exactly one has it). Callers
   * must verify the request before acting on the result. May answer from a cache of a few seconds.
   */
  findForWebhook(integrationId: string): Promise<Stored<Integration> | undefined>;
  /** Cross-tenant, for SyncScheduler's outbound scan only: enabled, active integrations that push, by id. */
  findPushingAcrossTenants(limit: number): Promise<Stored<Integration>[]>;
  /** Cross-tenant, for platform monitors (webhook endpoint health): every integration, bounded. */
  listAcrossTenants(limit: number): Promise<Stored<Integration>[]>;
  /** Cross-tenant, for SyncScheduler only: enabled, active integrations whose next sync time has come, soonest first. */
  findDueAcrossTenants(now: Date, limit: number): Promise<Stored<Integration>[]>;
}
