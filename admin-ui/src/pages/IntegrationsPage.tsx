/**
 * Integrations of the current tenant: status, provider, direction, last sync with its counters and errors
 * (polled, so a running sync's numbers move on their own), and the actions: create, connect (OAuth), sync now,
 * enable / disable, settings, delete (confirmed).
 */
import { useState } from 'react';
import { Link } from 'react-router';
import type {
  IntegrationList,
  IntegrationListItem,
  IntegrationView,
  OAuthStartResponse,
  StartSyncResponse,
} from '../../../shared/admin/contracts/integrations';
import { api, asApiError, type ApiError } from '../api/client';
import { useResource } from '../api/hooks';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { ErrorBanner } from '../components/ErrorBanner';
import { Loading } from '../components/Loading';
import { StatusBadge } from '../components/StatusBadge';
import { formatNumber, relativeTime } from '../format';
import { providerLabel } from '../providers';
import { useTenant } from '../state/session';
import { CreateIntegrationForm } from './integrations/CreateIntegrationForm';

/** Fast enough to watch a sync's counters move; slow enough not to matter to the API's rate limit. */
const POLL_MS = 2000;

export default function IntegrationsPage() {
  const { tenantId } = useTenant();
  const base = `tenants/${encodeURIComponent(tenantId)}/integrations`;
  const { data, error, loading, reload } = useResource<IntegrationList>(`${base}?include=lastRun,credential`, {
    pollMs: POLL_MS,
  });
  const [creating, setCreating] = useState(false);
  const [notice, setNotice] = useState<string>();
  const [actionError, setActionError] = useState<ApiError>();
  const [busy, setBusy] = useState<string>();
  const [deleting, setDeleting] = useState<IntegrationView>();
  const [purgeShards, setPurgeShards] = useState(false);

  const act = async (key: string, action: () => Promise<string | undefined>) => {
    setBusy(key);
    setActionError(undefined);
    setNotice(undefined);
    try {
      const message = await action();
      if (message) setNotice(message);
      reload();
    } catch (thrown) {
      setActionError(asApiError(thrown));
    } finally {
      setBusy(undefined);
    }
  };

  const syncNow = (integration: IntegrationView) =>
    act(`sync:${integration.id}`, async () => {
      const started = await api.send<StartSyncResponse>('POST', `${base}/${encodeURIComponent(integration.id)}/sync`, {
        mode: 'incremental',
      });
      return `Sync of “${integration.name}” started (run ${started.runId}).`;
    });

  const connect = (integration: IntegrationView) =>
    act(`connect:${integration.id}`, async () => {
      const started = await api.send<OAuthStartResponse>(
        'POST',
        `${base}/${encodeURIComponent(integration.id)}/oauth/start`,
      );
      // Same tab: the provider's consent page sends the person back to /api/oauth/callback, which links here.
      window.location.assign(started.authorizeUrl);
      return `Opening ${providerLabel(integration.provider)} to connect “${integration.name}”…`;
    });

  const toggle = (integration: IntegrationView) =>
    act(`toggle:${integration.id}`, async () => {
      await api.send('PATCH', `${base}/${encodeURIComponent(integration.id)}`, { enabled: !integration.enabled });
      return `“${integration.name}” ${integration.enabled ? 'disabled' : 'enabled'}.`;
    });

  const remove = (integration: IntegrationView) =>
    act(`delete:${integration.id}`, async () => {
      await api.send('DELETE', `${base}/${encodeURIComponent(integration.id)}${purgeShards ? '?purge=shards' : ''}`);
      setDeleting(undefined);
      return `“${integration.name}” deleted.`;
    });

  const items = data?.items ?? [];
  return (
    <section aria-labelledby="integrations-title">
      <div className="page-header">
        <h1 id="integrations-title">Integrations</h1>
        {!creating && (
          <button type="button" className="primary" onClick={() => setCreating(true)}>
            New integration
          </button>
        )}
      </div>
      {creating && (
        <CreateIntegrationForm
          tenantId={tenantId}
          existing={items}
          onCancel={() => setCreating(false)}
          onCreated={(created) => {
            setCreating(false);
            setNotice(`“${created.name}” created. Connect it to give it access to ${providerLabel(created.provider)}.`);
            reload();
          }}
        />
      )}
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      <ErrorBanner error={actionError} title="That did not work" />
      <ErrorBanner error={error} onRetry={reload} title="Integrations could not be loaded" />
      {loading && !data && <Loading label="Loading integrations…" />}
      {data && items.length === 0 && (
        <p className="card">No integrations in tenant “{tenantId}” yet. Create one with “New integration”.</p>
      )}
      {items.length > 0 && (
        <div className="table-wrap">
          <table className="stack">
            <caption className="muted table-note">
              Refreshes every {POLL_MS / 1000} s. Records and errors are those of the latest run.
            </caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Provider</th>
                <th scope="col">Direction</th>
                <th scope="col">Status</th>
                <th scope="col">Last sync</th>
                <th scope="col" className="numeric">
                  Records
                </th>
                <th scope="col" className="numeric">
                  Errors
                </th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {items.map((integration) => (
                <IntegrationRow
                  key={integration.id}
                  integration={integration}
                  busy={busy}
                  onSync={syncNow}
                  onConnect={connect}
                  onToggle={toggle}
                  onDelete={setDeleting}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ConfirmDialog
        open={deleting !== undefined}
        title={`Delete “${deleting?.name ?? ''}”?`}
        confirmLabel="Delete integration"
        danger
        busy={busy?.startsWith('delete:')}
        onCancel={() => setDeleting(undefined)}
        onConfirm={() => deleting && void remove(deleting)}
      >
        <p>
          Its schedule, mappings, settings, credentials, webhook subscriptions and sync state are removed, and its OAuth
          grant is revoked at the provider where it can be. This cannot be undone.
        </p>
        <label>
          <input type="checkbox" checked={purgeShards} onChange={(event) => setPurgeShards(event.target.checked)} />{' '}
          Also delete the records (shards) it synced
        </label>
      </ConfirmDialog>
    </section>
  );
}

interface RowProps {
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

function IntegrationRow({ integration, busy, onSync, onConnect, onToggle, onDelete }: RowProps) {
  const run = integration.lastRun;
  const records = run ? run.counters.created + run.counters.updated + run.counters.unchanged : undefined;
  const label = (action: string) => `${action} ${integration.name}`;
  return (
    <tr data-integration-id={integration.id}>
      <td data-label="Name">
        <Link to={`/integrations/${encodeURIComponent(integration.id)}/settings`}>{integration.name}</Link>
      </td>
      <td data-label="Provider">{providerLabel(integration.provider)}</td>
      <td data-label="Direction">{integration.direction}</td>
      <td data-label="Status">
        <StatusBadge status={integration.status} /> <ConnectionState integration={integration} />
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
      <td data-label="Records" className="numeric" data-testid="records">
        {records === undefined ? (
          '—'
        ) : (
          <span
            title={
              run
                ? `fetched ${run.counters.fetched}, created ${run.counters.created}, updated ${run.counters.updated}, unchanged ${run.counters.unchanged}`
                : undefined
            }
          >
            {formatNumber(records)}
          </span>
        )}
      </td>
      <td data-label="Errors" className="numeric" data-testid="errors">
        {run ? formatNumber(run.counters.errors) : '—'}
        {run?.lastError && <div className="field-error error-inline">{run.lastError.message}</div>}
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
