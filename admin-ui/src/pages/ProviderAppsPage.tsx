/**
 * Provider apps: the platform's OAuth client per provider (client id and secret, optional endpoint overrides and
 * scopes), used by every integration's Connect. GET oauth-apps says which are configured and shows the client
 * id; the secret is write-only (PUT oauth-apps/{provider}) and kept in the secret store.
 */
import { useState, type FormEvent } from 'react';
import type { OAuthAppListResponse, OAuthAppView } from '../../../shared/admin/contracts/config';
import { api } from '../api/client';
import { useResource } from '../api/hooks';
import { ErrorBanner } from '../components/ErrorBanner';
import { errorFor, FieldError, invalidProps } from '../components/FieldError';
import { Loading } from '../components/Loading';
import { ActionMessages } from '../components/ops/ActionMessages';
import { useAction } from '../components/ops/useAction';
import { StatusBadge } from '../components/StatusBadge';
import { providerLabel } from '../providers';

export default function ProviderAppsPage() {
  const apps = useResource<OAuthAppListResponse>('oauth-apps');
  const [editing, setEditing] = useState<string>();
  return (
    <section aria-labelledby="provider-apps-title">
      <div className="page-header">
        <h1 id="provider-apps-title">Provider apps</h1>
      </div>
      <p className="muted">
        The OAuth client the platform uses to connect integrations, one per provider. Secrets are write-only: stored in
        the secret store, never shown.
      </p>
      <ErrorBanner error={apps.error} onRetry={apps.reload} title="Provider apps could not be loaded" />
      {apps.loading && !apps.data && <Loading label="Loading provider apps…" />}
      {apps.data && (
        <table className="stack">
          <thead>
            <tr>
              <th scope="col">Provider</th>
              <th scope="col">Status</th>
              <th scope="col">Client id</th>
              <th scope="col">Endpoints</th>
              <th scope="col">Scopes</th>
              <th scope="col">Updated</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {apps.data.items.map((app) => (
              <tr key={app.provider}>
                <th scope="row">{providerLabel(app.provider)}</th>
                <td>
                  <StatusBadge
                    status={app.configured ? 'ok' : 'disabled'}
                    label={app.configured ? 'configured' : 'not set'}
                  />
                </td>
                <td>
                  <code>{app.clientId ?? '—'}</code>
                </td>
                <td>{[app.authorizeUrl, app.tokenUrl].filter(Boolean).join(' · ') || 'provider defaults'}</td>
                <td>{app.scopes?.join(' ') ?? 'provider defaults'}</td>
                <td>{app.updatedAt ?? '—'}</td>
                <td>
                  <button type="button" onClick={() => setEditing(app.provider)}>
                    {app.configured
                      ? `Replace ${providerLabel(app.provider)} app`
                      : `Set ${providerLabel(app.provider)} app`}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {editing && apps.data && (
        <AppForm
          key={editing}
          app={apps.data.items.find((app) => app.provider === editing)!}
          onSaved={() => {
            apps.reload();
          }}
          onClose={() => setEditing(undefined)}
        />
      )}
    </section>
  );
}

function AppForm({ app, onSaved, onClose }: { app: OAuthAppView; onSaved(): void; onClose(): void }) {
  const action = useAction();
  const [clientId, setClientId] = useState(app.clientId ?? '');
  const [clientSecret, setClientSecret] = useState('');
  const [authorizeUrl, setAuthorizeUrl] = useState(app.authorizeUrl ?? '');
  const [tokenUrl, setTokenUrl] = useState(app.tokenUrl ?? '');
  const [scopes, setScopes] = useState(app.scopes?.join(' ') ?? '');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const body = {
      clientId: clientId.trim(),
      clientSecret,
      ...(authorizeUrl.trim() ? { authorizeUrl: authorizeUrl.trim() } : {}),
      ...(tokenUrl.trim() ? { tokenUrl: tokenUrl.trim() } : {}),
      ...(scopes.trim() ? { scopes: scopes.trim().split(/\s+/) } : {}),
    };
    void action
      .run('save', async () => {
        await api.send('PUT', `oauth-apps/${encodeURIComponent(app.provider)}`, body);
        onSaved();
        return `${providerLabel(app.provider)} app saved.`;
      })
      .then((ok) => ok && setClientSecret(''));
  };
  const err = (field: string) => errorFor(action.error, field);
  const input = (id: string, field: string, label: string, value: string, set: (v: string) => void, hint?: string) => (
    <div className="field">
      <label htmlFor={id}>
        {label} {hint && <span className="hint">{hint}</span>}
      </label>
      <input id={id} value={value} onChange={(event) => set(event.target.value)} {...invalidProps(err(field), id)} />
      <FieldError id={id} message={err(field)} />
    </div>
  );
  const named = ['clientId', 'clientSecret', 'authorizeUrl', 'tokenUrl', 'scopes'].some((field) => err(field));
  return (
    <form className="card" onSubmit={submit} aria-labelledby="app-form-title" noValidate>
      <h2 id="app-form-title">{providerLabel(app.provider)} OAuth app</h2>
      {input('app-client-id', 'clientId', 'Client id', clientId, setClientId)}
      <div className="field">
        <label htmlFor="app-client-secret">
          Client secret <span className="hint">write-only; give it again to replace the app</span>
        </label>
        <input
          id="app-client-secret"
          type="password"
          autoComplete="new-password"
          value={clientSecret}
          onChange={(event) => setClientSecret(event.target.value)}
          {...invalidProps(err('clientSecret'), 'app-client-secret')}
        />
        <FieldError id="app-client-secret" message={err('clientSecret')} />
      </div>
      {input('app-authorize-url', 'authorizeUrl', 'Authorize URL', authorizeUrl, setAuthorizeUrl, 'optional override')}
      {input('app-token-url', 'tokenUrl', 'Token URL', tokenUrl, setTokenUrl, 'optional override')}
      {input('app-scopes', 'scopes', 'Scopes', scopes, setScopes, 'space-separated; empty: the provider defaults')}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={action.busy !== undefined}>
          {action.busy ? 'Saving…' : 'Save app'}
        </button>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
      <ActionMessages action={{ notice: action.notice, error: named ? undefined : action.error }} />
    </form>
  );
}
