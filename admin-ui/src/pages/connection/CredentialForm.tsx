/**
 * The integration's non-OAuth credential, write-only: the page shows its type, status and expiry (GET
 * …/credentials never returns a value) and sets or replaces it with PUT …/credentials. What was typed is
 * cleared once stored, so a secret does not stay on the page.
 */
import { useState, type FormEvent } from 'react';
import type { CredentialMetadataView } from '../../../../shared/admin/contracts/config';
import { api } from '../../api/client';
import { useResource } from '../../api/hooks';
import { ErrorBanner } from '../../components/ErrorBanner';
import { errorFor, FieldError, invalidProps } from '../../components/FieldError';
import { ActionMessages } from '../../components/ops/ActionMessages';
import { useAction } from '../../components/ops/useAction';
import { StatusBadge } from '../../components/StatusBadge';

type CredentialType = 'api_key' | 'bearer_token' | 'basic_auth';
const TYPES: Array<{ value: CredentialType; label: string }> = [
  { value: 'api_key', label: 'API key (sent in a header)' },
  { value: 'bearer_token', label: 'Bearer token' },
  { value: 'basic_auth', label: 'User name and password (HTTP Basic)' },
];

function credentialBody(type: CredentialType, values: Record<string, string>): Record<string, unknown> {
  const expiresAt = values.expiresAt ? { expiresAt: new Date(values.expiresAt).toISOString() } : {};
  if (type === 'api_key')
    return {
      type,
      key: values.secret ?? '',
      ...(values.headerName ? { headerName: values.headerName } : {}),
      ...(values.prefix ? { prefix: values.prefix } : {}),
      ...expiresAt,
    };
  if (type === 'bearer_token') return { type, token: values.secret ?? '', ...expiresAt };
  return { type, username: values.username ?? '', password: values.secret ?? '' };
}

/** The API's field for the secret input, per type (so its 400 lands next to it). */
const SECRET_FIELD: Record<CredentialType, string> = { api_key: 'key', bearer_token: 'token', basic_auth: 'password' };

export function CredentialForm({ path }: { path: string }) {
  const current = useResource<CredentialMetadataView>(`${path}/credentials`);
  const action = useAction();
  const [type, setType] = useState<CredentialType>('api_key');
  const [values, setValues] = useState<Record<string, string>>({});
  const set = (key: string) => (event: { target: { value: string } }) =>
    setValues((now) => ({ ...now, [key]: event.target.value }));
  const none = current.error?.status === 404;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void action
      .run('save', async () => {
        const stored = await api.send<CredentialMetadataView>(
          'PUT',
          `${path}/credentials`,
          credentialBody(type, values),
        );
        current.reload();
        return `Credential stored (${stored.type}, ${stored.status}).`;
      })
      .then((ok) => ok && setValues({}));
  };
  const secretError = errorFor(action.error, SECRET_FIELD[type]);
  const fieldErr = (field: string) => errorFor(action.error, field);
  return (
    <form className="card" onSubmit={submit} aria-labelledby="credential-title" noValidate>
      <h2 id="credential-title">Credential</h2>
      {current.data && (
        <dl className="facts" aria-label="Stored credential">
          <dt>Type</dt>
          <dd>{current.data.type}</dd>
          <dt>Status</dt>
          <dd>
            <StatusBadge status={current.data.status} />
            {current.data.statusReason ? ` ${current.data.statusReason}` : ''}
          </dd>
          <dt>Expires</dt>
          <dd>{current.data.expiresAt ?? current.data.accessExpiresAt ?? 'never'}</dd>
          <dt>Set</dt>
          <dd>{current.data.rotatedAt}</dd>
        </dl>
      )}
      {none && <p className="muted">No credential is stored for this integration.</p>}
      {!none && <ErrorBanner error={current.error} onRetry={current.reload} title="The credential could not be read" />}
      <p className="muted">
        Values are write-only: they are stored in the secret store and never shown again. OAuth credentials come from
        Connect on the Integrations page.
      </p>
      <div className="field">
        <label htmlFor="credential-type">Type</label>
        <select id="credential-type" value={type} onChange={(event) => setType(event.target.value as CredentialType)}>
          {TYPES.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      </div>
      {type === 'basic_auth' && (
        <div className="field">
          <label htmlFor="credential-username">User name</label>
          <input
            id="credential-username"
            autoComplete="off"
            value={values.username ?? ''}
            onChange={set('username')}
            {...invalidProps(fieldErr('username'), 'credential-username')}
          />
          <FieldError id="credential-username" message={fieldErr('username')} />
        </div>
      )}
      <div className="field">
        <label htmlFor="credential-secret">
          {type === 'basic_auth' ? 'Password' : type === 'api_key' ? 'Key' : 'Token'}
        </label>
        <input
          id="credential-secret"
          type="password"
          autoComplete="new-password"
          value={values.secret ?? ''}
          onChange={set('secret')}
          {...invalidProps(secretError, 'credential-secret')}
        />
        <FieldError id="credential-secret" message={secretError} />
      </div>
      {type === 'api_key' && (
        <div className="field">
          <label htmlFor="credential-header">
            Header <span className="hint">empty: x-api-key</span>
          </label>
          <input
            id="credential-header"
            value={values.headerName ?? ''}
            onChange={set('headerName')}
            {...invalidProps(fieldErr('headerName'), 'credential-header')}
          />
          <FieldError id="credential-header" message={fieldErr('headerName')} />
        </div>
      )}
      {type !== 'basic_auth' && (
        <div className="field">
          <label htmlFor="credential-expires">
            Expires <span className="hint">optional; the expiry report warns before it</span>
          </label>
          <input
            id="credential-expires"
            type="datetime-local"
            value={values.expiresAt ?? ''}
            onChange={set('expiresAt')}
          />
          <FieldError id="credential-expires" message={fieldErr('expiresAt')} />
        </div>
      )}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={action.busy !== undefined}>
          {action.busy ? 'Storing…' : current.data ? 'Replace credential' : 'Store credential'}
        </button>
      </div>
      <ActionMessages action={{ notice: action.notice, error: secretError ? undefined : action.error }} />
    </form>
  );
}
