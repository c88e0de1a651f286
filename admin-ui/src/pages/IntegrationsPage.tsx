/**
 * Integrations of the current tenant: health with its reason, connection, last sync and its errors (polled, so
 * a running sync moves on its own), records held per entity, open conflicts, the next scheduled sync, a search
 * box, and the actions: create, connect (OAuth), sync now, enable / disable, settings, delete (confirmed).
 */
import { useState } from 'react';
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
import { providerLabel } from '../providers';
import { useTenant } from '../state/session';
import { rememberMountForOAuthCallback } from '../base-path';
import { CreateIntegrationForm } from './integrations/CreateIntegrationForm';
import { IntegrationRow } from './integrations/IntegrationRow';

/** A search matches the name, provider, id or health of an integration, case-insensitively. */
export function matchesSearch(integration: IntegrationListItem, search: string): boolean {
  const words = search.trim().toLowerCase().split(/\s+/).filter(Boolean);
  const text = [
    integration.name,
    integration.provider,
    providerLabel(integration.provider),
    integration.id,
    integration.health.status.replace('_', ' '),
  ]
    .join(' ')
    .toLowerCase();
  return words.every((word) => text.includes(word));
}

/** Fast enough to watch a sync's counters move; slow enough not to matter to the API's rate limit. */
const POLL_MS = 2000;

export default function IntegrationsPage() {
  const { tenantId } = useTenant();
  const base = `tenants/${encodeURIComponent(tenantId)}/integrations`;
  const { data, error, loading, reload } = useResource<IntegrationList>(
    `${base}?include=lastRun,credential,records,conflicts`,
    {
      pollMs: POLL_MS,
    },
  );
  const [creating, setCreating] = useState(false);
  const [notice, setNotice] = useState<string>();
  const [actionError, setActionError] = useState<ApiError>();
  const [busy, setBusy] = useState<string>();
  const [deleting, setDeleting] = useState<IntegrationView>();
  const [search, setSearch] = useState('');
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
      // Same tab: the provider's consent page sends the person back to /api/oauth/callback, which links back to
      // this mount (the cookie says which).
      rememberMountForOAuthCallback(document);
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

  const all = data?.items ?? [];
  const items = all.filter((integration) => matchesSearch(integration, search));
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
          existing={all}
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
      {all.length > 0 && (
        <div className="toolbar">
          <div className="field">
            <label htmlFor="integration-search">Search</label>
            <input
              id="integration-search"
              type="search"
              value={search}
              placeholder="name, provider, id or health"
              onChange={(event) => setSearch(event.target.value)}
            />
          </div>
          {search && (
            <p className="muted" role="status">
              {items.length} of {all.length} integrations
            </p>
          )}
        </div>
      )}
      {data && all.length === 0 && (
        <p className="card">No integrations in tenant “{tenantId}” yet. Create one with “New integration”.</p>
      )}
      {all.length > 0 && items.length === 0 && <p className="card">No integration matches “{search}”.</p>}
      {items.length > 0 && (
        <div className="table-wrap">
          <table className="stack">
            <caption className="muted table-note">
              Refreshes every {POLL_MS / 1000} s. Records held are the shards each integration keeps, per entity; errors
              are those of the latest run.
            </caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Health</th>
                <th scope="col">Connection</th>
                <th scope="col">Last sync</th>
                <th scope="col" className="numeric">
                  Records held
                </th>
                <th scope="col" className="numeric">
                  Errors
                </th>
                <th scope="col" className="numeric">
                  Open conflicts
                </th>
                <th scope="col">Next sync</th>
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
