/**
 * What the integrations list and the integration read add to each stored integration: its health (always), and
 * on request (`include=`) its newest run, its API credential's state, the records it holds per entity and its
 * open conflicts. One set of reads per integration, in parallel.
 */
import type { Integration } from '../../core/integration';
import type { Stored } from '../../core/stored';
import { credentialRef } from '../../app/integration-credentials';
import { integrationHealth } from '../../core/integration-health';
import { HEALTH_RUNS_READ } from '../../sync/runs/health';
import type { AdminContext } from './context';
import type { CredentialSummary, IntegrationListItem } from '../contracts/integrations';

export const LIST_INCLUDES = ['lastRun', 'credential', 'records', 'conflicts'] as const;
export type ListInclude = (typeof LIST_INCLUDES)[number];

/** Open conflicts counted per integration; more shows as "100+". */
const CONFLICTS_COUNTED = 100;

export async function integrationOverview(
  ctx: AdminContext,
  integration: Stored<Integration>,
  include: ReadonlySet<ListInclude>,
): Promise<IntegrationListItem> {
  const { tenantId, id } = integration;
  const services = ctx.services;
  const [runs, metadata, records, conflicts] = await Promise.all([
    services.runs.list(tenantId, id, HEALTH_RUNS_READ),
    // The integration's status carries needs_reauth (markNeedsReauth); the credential's own state adds to it
    // when it is read anyway.
    include.has('credential') ? services.credentials.service.metadata(credentialRef(integration, 'api')) : undefined,
    include.has('records') ? services.shards.countByEntity(tenantId, id, integration.entities) : undefined,
    include.has('conflicts')
      ? services.conflicts.list(tenantId, { status: 'open', integrationId: id }, CONFLICTS_COUNTED + 1)
      : undefined,
  ]);
  const health = integrationHealth({
    integration,
    runs,
    now: services.now(),
    ...(metadata ? { credentialStatus: metadata.status } : {}),
  });
  const credential: CredentialSummary | null = metadata
    ? { type: metadata.type, status: metadata.status, ...(metadata.expiresAt ? { expiresAt: metadata.expiresAt } : {}) }
    : null;
  return {
    ...integration,
    health,
    ...(include.has('lastRun') && runs[0] ? { lastRun: runs[0] } : {}),
    ...(include.has('credential') ? { credential } : {}),
    ...(records ? { records } : {}),
    ...(conflicts
      ? {
          openConflicts: Math.min(conflicts.length, CONFLICTS_COUNTED),
          ...(conflicts.length > CONFLICTS_COUNTED ? { openConflictsMore: true } : {}),
        }
      : {}),
  };
}

export function parseIncludes(value: string | null): Set<ListInclude> {
  const asked = (value ?? '').split(',').map((part) => part.trim());
  return new Set(LIST_INCLUDES.filter((include) => asked.includes(include)));
}
