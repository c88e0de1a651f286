/**
 * Connection settings of one integration (issue 18 §6): base URL and provider options, its non-OAuth
 * credential (write-only) and its webhook verification settings: everything an operator used to need curl for.
 */
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import type { IntegrationView } from '../../../shared/admin/contracts/integrations';
import { useResource } from '../api/hooks';
import { ErrorBanner } from '../components/ErrorBanner';
import { Loading } from '../components/Loading';
import { StatusBadge } from '../components/StatusBadge';
import { providerLabel } from '../providers';
import { useTenant } from '../state/session';
import { CredentialForm } from './connection/CredentialForm';
import { ProviderForm } from './connection/ProviderForm';
import { WebhookVerifierForm } from './connection/WebhookVerifierForm';

export default function ConnectionSettingsPage() {
  const { integrationId = '' } = useParams();
  const { tenantId } = useTenant();
  const path = `tenants/${encodeURIComponent(tenantId)}/integrations/${encodeURIComponent(integrationId)}`;
  const { data, error, loading, reload } = useResource<IntegrationView>(path);
  const [saved, setSaved] = useState<IntegrationView>();
  const integration = saved && saved.id === data?.id ? saved : data;
  return (
    <section aria-labelledby="connection-title">
      <p>
        <Link to="/integrations">← Integrations</Link>
        {' · '}
        <Link to={`/integrations/${encodeURIComponent(integrationId)}/settings`}>Sync settings</Link>
      </p>
      <div className="page-header">
        <h1 id="connection-title">{integration ? `${integration.name}: connection` : 'Connection settings'}</h1>
        {integration && (
          <>
            <span className="muted">{providerLabel(integration.provider)}</span>
            <StatusBadge status={integration.status} />
          </>
        )}
      </div>
      <ErrorBanner error={error} onRetry={reload} title="The integration could not be loaded" />
      {loading && !integration && <Loading label="Loading the integration…" />}
      {integration && (
        <div key={integration.id}>
          <ProviderForm integration={integration} path={path} onSaved={setSaved} />
          <CredentialForm path={path} />
          <WebhookVerifierForm integration={integration} path={path} onSaved={setSaved} />
        </div>
      )}
    </section>
  );
}
