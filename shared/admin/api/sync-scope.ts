/**
 * What an operator's sync covers beyond its mode (issue 18 §5), checked against the integration before a run
 * starts, each mistake a 400 naming its field:
 * - `entities`: resync only these of the integration's entities (in the integration's order);
 * - `since`: a backfill from an ISO-8601 time, not in the future, for providers whose reads can start at a
 *   date; it reads changes (incremental), so it cannot be combined with a full sync. How it treats the
 *   checkpoint: docs/run-controls.md.
 */
import { AppError } from '../../core/app-error';
import type { Integration } from '../../core/integration';
import type { StartSyncBody } from '../../core/sync-run';
import type { AdapterRegistry } from '../../adapters/registry';

const ISO_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

export interface SyncScope {
  entities?: string[];
  since?: string;
}

export function syncScope(
  integration: Pick<Integration, 'entities' | 'provider'>,
  body: StartSyncBody,
  now: Date,
  adapters: Pick<AdapterRegistry, 'capabilitiesOf'>,
): SyncScope {
  const scope: SyncScope = {};
  if (body.entities) {
    body.entities.forEach((entity, index) => {
      if (!integration.entities.includes(entity))
        throw new AppError(
          'bad_request',
          `entities[${index}]: unknown entity "${entity}"; this integration syncs ${integration.entities.join(', ')}`,
          { target: `entities[${index}]` },
        );
    });
    scope.entities = integration.entities.filter((entity) => body.entities!.includes(entity));
  }
  if (body.since !== undefined) {
    const ms = ISO_TIME.test(body.since) ? Date.parse(body.since) : Number.NaN;
    if (Number.isNaN(ms))
      throw new AppError('bad_request', 'since: must be an ISO-8601 date or time, e.g. 2026-01-31T00:00:00Z', {
        target: 'since',
      });
    if (ms > now.getTime()) throw new AppError('bad_request', 'since: must not be in the future', { target: 'since' });
    if (body.mode === 'full')
      throw new AppError('bad_request', 'since: a full sync reads everything; use mode "incremental" for a backfill', {
        target: 'since',
      });
    if (!adapters.capabilitiesOf(integration.provider).since)
      throw new AppError('bad_request', `since: ${integration.provider} reads cannot start at a date`, {
        target: 'since',
      });
    scope.since = new Date(ms).toISOString();
  }
  return scope;
}
