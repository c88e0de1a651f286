/** One integration's line on the health page: its health with the reason, dead-lettered pages and webhook endpoint health. */
import { Link } from 'react-router';
import type { IntegrationWithHealth } from '../../../../shared/admin/contracts/integrations';
import type { DeadLetterListResponse, EndpointHealthView } from '../../../../shared/admin/contracts/operations';
import { useResource } from '../../api/hooks';
import { StatusBadge } from '../StatusBadge';

export function IntegrationHealthRow({
  tenantId,
  integration,
}: {
  tenantId: string;
  integration: IntegrationWithHealth;
}) {
  const base = `tenants/${encodeURIComponent(tenantId)}/integrations/${encodeURIComponent(integration.id)}`;
  const letters = useResource<DeadLetterListResponse>(`${base}/dead-letters`, { pollMs: 30_000 });
  const webhook = useResource<EndpointHealthView>(`${base}/webhooks/health`, { pollMs: 30_000 });
  const query = `?integration=${encodeURIComponent(integration.id)}`;
  return (
    <tr data-integration-id={integration.id}>
      <th scope="row" data-label="Integration">
        {integration.name} <span className="muted">({integration.provider})</span>
      </th>
      <td data-label="Health" data-testid="health">
        <StatusBadge status={integration.health.status} />
        <div className="muted">{integration.health.reason}</div>
      </td>
      <td data-label="Dead letters" className="numeric">
        {letters.error ? (
          <span className="field-error">{letters.error.message}</span>
        ) : letters.data ? (
          <Link to={`/runs${query}`}>{letters.data.items.length}</Link>
        ) : (
          '…'
        )}
      </td>
      <td data-label="Webhook endpoint">
        {webhook.error ? (
          <span className="field-error">{webhook.error.message}</span>
        ) : webhook.data ? (
          <Link
            to={`/webhooks${query}`}
            aria-label={`Webhook endpoint of ${integration.name}: ${webhook.data.status.replace('_', ' ')}`}
          >
            <StatusBadge status={webhook.data.status} label={webhook.data.status.replace('_', ' ')} />
          </Link>
        ) : (
          '…'
        )}
        {webhook.data && webhook.data.received > 0 && (
          <span className="muted">
            {' '}
            {webhook.data.accepted}/{webhook.data.received} accepted
          </span>
        )}
      </td>
    </tr>
  );
}
