/**
 * Webhooks of one integration: the subscription at the provider (managed hooks and channels, or what to enter by
 * hand), the URL to give the provider, the signing secret (rotation with overlap, Notion's pending token),
 * endpoint health, and the delivery log with verdicts and replay.
 */
import { useSearchParams } from 'react-router';
import { IntegrationPicker } from '../components/IntegrationPicker';
import { DeliveryLog } from '../components/ops/DeliveryLog';
import { EndpointHealthFigures } from '../components/ops/EndpointHealthFigures';
import { WebhookSecretCard } from '../components/ops/WebhookSecretCard';
import { WebhookSubscriptionCard } from '../components/ops/WebhookSubscriptionCard';
import { useTenant } from '../state/session';

export default function WebhooksPage() {
  const { tenantId } = useTenant();
  const [search, setSearch] = useSearchParams();
  const integrationId = search.get('integration') ?? undefined;
  const base = integrationId
    ? `tenants/${encodeURIComponent(tenantId)}/integrations/${encodeURIComponent(integrationId)}`
    : undefined;
  return (
    <section aria-labelledby="webhooks-title">
      <div className="page-header">
        <h1 id="webhooks-title">Webhooks</h1>
      </div>
      <div className="toolbar">
        <IntegrationPicker value={integrationId} onChange={(id) => setSearch(id ? { integration: id } : {})} />
      </div>
      {!base && <p className="card">Choose an integration to see its webhook endpoint and deliveries.</p>}
      {base && (
        // Keyed by integration: forms and messages of one integration never show under another.
        <div key={base}>
          <WebhookSubscriptionCard base={base} />
          <WebhookSecretCard base={base} />
          <EndpointHealthFigures base={base} />
          <DeliveryLog base={base} />
        </div>
      )}
    </section>
  );
}
