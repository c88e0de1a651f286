/**
 * How the integration's webhooks are verified, for the providers that need settings beyond the secret: the
 * Salesforce organisation id (and where the org puts the shared secret, or the HMAC header of an Apex callout),
 * and Google Pub/Sub push (the token's audience and service account) or Drive/Calendar channel tokens. Stored
 * on the integration as `webhook` (PATCH); the API's 400 names the field (`webhook.organizationId`).
 */
import { useState, type FormEvent } from 'react';
import type { IntegrationView } from '../../../../shared/admin/contracts/integrations';
import { api, asApiError, type ApiError } from '../../api/client';
import { ErrorBanner } from '../../components/ErrorBanner';
import { errorFor, FieldError, invalidProps } from '../../components/FieldError';

type Stored = Record<string, unknown> & { provider?: string };

function Field({
  id,
  label,
  hint,
  value,
  onChange,
  error,
}: {
  id: string;
  label: string;
  hint?: string;
  value: string;
  onChange(next: string): void;
  error: string | undefined;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>
        {label} {hint && <span className="hint">{hint}</span>}
      </label>
      <input id={id} value={value} onChange={(event) => onChange(event.target.value)} {...invalidProps(error, id)} />
      <FieldError id={id} message={error} />
    </div>
  );
}

export function WebhookVerifierForm({
  integration,
  path,
  onSaved,
}: {
  integration: IntegrationView;
  path: string;
  onSaved(next: IntegrationView): void;
}) {
  const stored = (integration.webhook ?? {}) as Stored;
  const auth = (stored.auth ?? {}) as { kind?: string; source?: { in?: string; name?: string }; header?: string };
  const [organizationId, setOrganizationId] = useState(String(stored.organizationId ?? ''));
  const [authKind, setAuthKind] = useState(
    auth.kind === 'hmac' ? 'hmac' : auth.source?.in === 'header' ? 'header' : 'url',
  );
  const [headerName, setHeaderName] = useState(auth.source?.name ?? auth.header ?? '');
  const [mode, setMode] = useState(String(stored.mode ?? 'pubsub'));
  const [audience, setAudience] = useState(String(stored.audience ?? ''));
  const [serviceAccountEmail, setServiceAccountEmail] = useState(String(stored.serviceAccountEmail ?? ''));
  const [error, setError] = useState<ApiError>();
  const [saved, setSaved] = useState(false);

  if (integration.provider !== 'salesforce' && integration.provider !== 'google')
    return (
      <div className="card">
        <h2>Webhook verification</h2>
        <p className="muted">
          {integration.provider} webhooks are verified with the webhook secret alone (Webhooks page); nothing else to
          set.
        </p>
      </div>
    );

  const body = (): Record<string, unknown> => {
    if (integration.provider === 'salesforce') {
      const authBody =
        authKind === 'hmac'
          ? { kind: 'hmac', ...(headerName ? { header: headerName } : {}) }
          : {
              kind: 'shared_secret',
              source: authKind === 'header' ? { in: 'header', name: headerName } : { in: 'url' },
            };
      return { provider: 'salesforce', organizationId: organizationId.trim(), auth: authBody };
    }
    return mode === 'channel'
      ? { provider: 'google', mode: 'channel' }
      : {
          provider: 'google',
          mode: 'pubsub',
          audience: audience.trim(),
          serviceAccountEmail: serviceAccountEmail.trim(),
        };
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    setSaved(false);
    try {
      onSaved(await api.send<IntegrationView>('PATCH', path, { webhook: body() }));
      setSaved(true);
    } catch (thrown) {
      setError(asApiError(thrown));
    }
  };
  const err = (field: string) => errorFor(error, `webhook.${field}`);
  const shown = ['organizationId', 'auth', 'audience', 'serviceAccountEmail', 'mode'].some((field) => err(field));
  return (
    <form className="card" onSubmit={submit} aria-labelledby="verifier-title" noValidate>
      <h2 id="verifier-title">Webhook verification</h2>
      {integration.provider === 'salesforce' && (
        <>
          <Field
            id="sf-organization-id"
            label="Salesforce organisation id"
            hint="00D…, 15 or 18 characters: deliveries from another org are refused."
            value={organizationId}
            onChange={setOrganizationId}
            error={err('organizationId')}
          />
          <div className="field">
            <label htmlFor="sf-auth">How the org proves itself</label>
            <select id="sf-auth" value={authKind} onChange={(event) => setAuthKind(event.target.value)}>
              <option value="url">Shared secret in the endpoint URL (Outbound Messages)</option>
              <option value="header">Shared secret in a header</option>
              <option value="hmac">HMAC signature header (Apex callout)</option>
            </select>
          </div>
          {authKind !== 'url' && (
            <Field
              id="sf-header"
              label="Header name"
              hint={authKind === 'hmac' ? 'empty: the default signature header' : 'the header that carries the secret'}
              value={headerName}
              onChange={setHeaderName}
              error={err('auth')}
            />
          )}
        </>
      )}
      {integration.provider === 'google' && (
        <>
          <div className="field">
            <label htmlFor="google-mode">Deliveries come from</label>
            <select id="google-mode" value={mode} onChange={(event) => setMode(event.target.value)}>
              <option value="pubsub">Pub/Sub push (signed OIDC token)</option>
              <option value="channel">Drive / Calendar channels (channel token)</option>
            </select>
          </div>
          {mode === 'pubsub' && (
            <>
              <Field
                id="pubsub-audience"
                label="Pub/Sub audience"
                hint="The audience set on the push subscription."
                value={audience}
                onChange={setAudience}
                error={err('audience')}
              />
              <Field
                id="pubsub-service-account"
                label="Push service account"
                hint="The service account email the push subscription signs as."
                value={serviceAccountEmail}
                onChange={setServiceAccountEmail}
                error={err('serviceAccountEmail')}
              />
            </>
          )}
        </>
      )}
      {error && !shown && <ErrorBanner error={error} title="Not saved" />}
      <div className="form-actions">
        <button type="submit" className="primary">
          Save webhook verification
        </button>
        {saved && (
          <span role="status" className="notice">
            Saved.
          </span>
        )}
      </div>
    </form>
  );
}
