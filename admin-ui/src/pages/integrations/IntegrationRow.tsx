/**
 * One integration on the Integrations page: health with its reason, connection, last sync, records held per
 * entity, open conflicts, next scheduled sync, and the actions.
 */
import { Link } from 'react-router';
import type { IntegrationListItem, IntegrationView } from '../../../../shared/admin/contracts/integrations';
import { StatusBadge } from '../../components/StatusBadge';
import { formatNumber, relativeTime } from '../../format';
import { providerLabel } from '../../providers';

export interface RowProps {
  integration: IntegrationListItem;
  busy: string | undefined;
  onSync(integration: IntegrationView): void;
  onConnect(integration: IntegrationView): void;
  onToggle(integration: IntegrationView): void;
  onDelete(integration: IntegrationView): void;
}

/** Whether the integration holds an API credential, and its state (never a value). */
function ConnectionState({ integration }: { integration: IntegrationListItem }) {
  const credential = integration.credential;
  if (credential === undefined) return null;
  if (credential === null) return <span className="muted">not connected</span>;
  if (credential.status !== 'active')
    return <StatusBadge status={credential.status} label={`credential ${credential.status.replace(/_/g, ' ')}`} />;
  return (
    <StatusBadge
      status="connected"
      label={integration.connectedAt ? `connected ${relativeTime(integration.connectedAt)}` : 'connected'}
    />
  );
}

/** Records held per entity: the total, and each entity's count. */
function RecordsHeld({ records }: { records: Record<string, number> | undefined }) {
  if (!records) return <>—</>;
  const entries = Object.entries(records);
  const total = entries.reduce((sum, [, count]) => sum + count, 0);
  return (
    <>
      <span>{formatNumber(total)}</span>
      {entries.length > 1 && (
        <div className="muted per-entity">
          {entries.map(([entity, count]) => `${entity} ${formatNumber(count)}`).join(' · ')}
        </div>
      )}
    </>
  );
}

export function IntegrationRow({ integration, busy, onSync, onConnect, onToggle, onDelete }: RowProps) {
  const run = integration.lastRun;
  const label = (action: string) => `${action} ${integration.name}`;
  const conflicts = integration.openConflicts;
  return (
    <tr data-integration-id={integration.id}>
      <td data-label="Name">
        <Link to={`/integrations/${encodeURIComponent(integration.id)}/settings`}>{integration.name}</Link>
        <div className="muted">
          {providerLabel(integration.provider)} · {integration.direction}
        </div>
      </td>
      <td data-label="Health" data-testid="health">
        <StatusBadge status={integration.health.status} />
        <div className="muted health-reason">{integration.health.reason}</div>
      </td>
      <td data-label="Connection">
        <ConnectionState integration={integration} />
      </td>
      <td data-label="Last sync" data-testid="last-sync">
        {run ? (
          <>
            <StatusBadge status={run.status} />{' '}
            <span title={run.finishedAt ?? run.startedAt ?? run.queuedAt}>
              {relativeTime(run.finishedAt ?? run.startedAt ?? run.queuedAt)}
            </span>
          </>
        ) : (
          <span className="muted">never</span>
        )}
      </td>
      <td data-label="Records held" className="numeric" data-testid="records">
        <RecordsHeld records={integration.records} />
      </td>
      <td data-label="Errors" className="numeric" data-testid="errors">
        {run ? formatNumber(run.counters.errors) : '—'}
        {run?.lastError && <div className="field-error error-inline">{run.lastError.message}</div>}
      </td>
      <td data-label="Open conflicts" className="numeric" data-testid="conflicts">
        {conflicts === undefined ? (
          '—'
        ) : conflicts === 0 ? (
          '0'
        ) : (
          <Link to={`/conflicts?integration=${encodeURIComponent(integration.id)}`}>
            {formatNumber(conflicts)}
            {integration.openConflictsMore ? '+' : ''}
          </Link>
        )}
      </td>
      <td data-label="Next sync" data-testid="next-sync">
        {integration.enabled ? (
          <span title={integration.nextSyncAt}>{relativeTime(integration.nextSyncAt)}</span>
        ) : (
          <span className="muted">not scheduled</span>
        )}
      </td>
      <td data-label="Actions">
        <div className="row-actions">
          <button
            type="button"
            className="small"
            aria-label={label('Sync now:')}
            onClick={() => onSync(integration)}
            disabled={!integration.enabled || busy === `sync:${integration.id}`}
          >
            Sync now
          </button>
          <button
            type="button"
            className="small"
            aria-label={label(integration.credential ? 'Reconnect:' : 'Connect:')}
            onClick={() => onConnect(integration)}
            disabled={busy === `connect:${integration.id}`}
          >
            {integration.credential ? 'Reconnect' : 'Connect'}
          </button>
          <button
            type="button"
            className="small"
            aria-label={label(integration.enabled ? 'Disable:' : 'Enable:')}
            onClick={() => onToggle(integration)}
            disabled={busy === `toggle:${integration.id}`}
          >
            {integration.enabled ? 'Disable' : 'Enable'}
          </button>
          <Link
            className="small button-link"
            to={`/integrations/${encodeURIComponent(integration.id)}/settings`}
            aria-label={label('Settings:')}
          >
            Settings
          </Link>
          <Link
            className="small button-link"
            to={`/integrations/${encodeURIComponent(integration.id)}/connection`}
            aria-label={label('Connection:')}
          >
            Connection
          </Link>
          <button type="button" className="small" aria-label={label('Delete:')} onClick={() => onDelete(integration)}>
            Delete
          </button>
        </div>
      </td>
    </tr>
  );
}
