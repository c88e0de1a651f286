/**
 * What deleting an integration removes besides its document (issue 18 §5), so nothing of it stays readable: its
 * webhook subscriptions at the provider (while its credential can still remove them), its provider grant where
 * the provider has a revocation endpoint (credential-revocation.ts), its sync state (checkpoints, record states,
 * outbound ledgers), every credential it has in the secret store (the API credential, webhook secrets, a pending
 * Notion token), and with `?purge=shards` its shards. A shard other integrations' records were merged into stays
 * for them and only loses this integration's references. Each step is idempotent, so a DELETE that failed half
 * way is simply repeated.
 */
import type { Integration } from '../../core/integration';
import type { Shard } from '../../core/shard';
import type { AppServices } from '../../app/services';
import { credentialRef, type CredentialPurpose } from '../../app/integration-credentials';
import type { Logger } from '../../platform/observability/logger';
import { forgetIntegration } from '../../webhooks/subscriptions/manager';
import { subscriptionDeps } from '../../webhooks/subscriptions/wiring';
import { revokeProviderGrant, type RevocationOutcome } from './credential-revocation';

export interface CleanupSummary {
  revocation: RevocationOutcome;
  syncStateDeleted: number;
  credentialsDeleted: number;
  shardsDeleted: number;
  shardsDetached: number;
}

const PURPOSES: CredentialPurpose[] = ['api', 'webhook', 'webhook-pending'];

export async function removeIntegrationData(
  services: AppServices,
  logger: Logger,
  integration: Integration,
  options: { purgeShards: boolean },
): Promise<CleanupSummary> {
  // Hooks and channels at the provider go first, while the integration's credential can still remove them.
  await forgetIntegration(subscriptionDeps(services, logger), integration);
  const revocation = await revokeProviderGrant(services, integration);
  if (revocation.status === 'failed')
    logger.warn('provider grant of a deleted integration could not be revoked', {
      integrationId: integration.id,
      provider: integration.provider,
      reason: revocation.reason,
    });
  const state = await services.syncState.deleteIntegration(integration.id);
  const shards = options.purgeShards
    ? await purgeShards(services, integration, state.shardIds)
    : { deleted: 0, detached: 0 };
  const refs = new Map(PURPOSES.map((purpose) => [credentialRef(integration, purpose).name, purpose]));
  const listed = await services.credentials.service.list({
    tenantId: integration.tenantId,
    integrationId: integration.id,
  });
  const names = new Set([...refs.keys(), ...listed.map((metadata) => metadata.ref.name)]);
  let credentialsDeleted = 0;
  for (const name of names)
    if (
      await services.credentials.service.delete({ tenantId: integration.tenantId, integrationId: integration.id, name })
    )
      credentialsDeleted++;
  return {
    revocation,
    syncStateDeleted: state.deleted,
    credentialsDeleted,
    shardsDeleted: shards.deleted,
    shardsDetached: shards.detached,
  };
}

async function purgeShards(
  services: Pick<AppServices, 'shards' | 'now'>,
  integration: Integration,
  shardIds: string[],
): Promise<{ deleted: number; detached: number }> {
  let deleted = 0;
  let detached = 0;
  for (let start = 0; start < shardIds.length; start += 100) {
    const found = await services.shards.getMany(integration.tenantId, shardIds.slice(start, start + 100));
    const keep: Shard[] = [];
    const drop: string[] = [];
    for (const shard of found.values()) {
      const others = shard.externalRefs.filter((ref) => ref.integrationId !== integration.id);
      if (others.length === 0) drop.push(shard.id);
      else
        keep.push({
          ...shard,
          externalRefs: others,
          links: shard.links.filter((link) => link.integrationId !== integration.id),
          updatedAt: services.now().toISOString(),
        });
    }
    if (keep.length > 0) await services.shards.upsertMany(keep);
    deleted += await services.shards.deleteMany(integration.tenantId, drop);
    detached += keep.length;
  }
  return { deleted, detached };
}
