/**
 * The webhook delivery viewer. /deliveries lists an integration's deliveries, newest first, filtered by verdict
 * and event type (?integration=&verdict=&eventType=); /deliveries/:integrationId/:deliveryId shows one: its
 * verdict, event type, headers (credentials, tokens and signatures never shown: the API redacts them), the
 * payload from the archive and the runs it started, each linked to its run page.
 */
import { useState, type FormEvent } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import type { DeliveryListResponse } from '../../../shared/admin/contracts/operations';
import { useResource } from '../api/hooks';
import { ErrorBanner } from '../components/ErrorBanner';
import { IntegrationPicker } from '../components/IntegrationPicker';
import { Loading } from '../components/Loading';
import { StatusBadge } from '../components/StatusBadge';
import { DeliveryDetail } from '../components/charts/DeliveryDetail';
import { relativeTime } from '../format';
import { useTenant } from '../state/session';

export const VERDICTS = ['accepted', 'duplicate', 'rejected', 'handshake', 'challenge', 'channel_sync'] as const;
const LIST_LIMIT = 200;

export function deliveryPath(integrationId: string, deliveryId: string): string {
  return `/deliveries/${encodeURIComponent(integrationId)}/${encodeURIComponent(deliveryId)}`;
}

export default function DeliveriesPage() {
  const { integrationId, deliveryId } = useParams();
  if (integrationId && deliveryId) return <DeliveryDetail integrationId={integrationId} deliveryId={deliveryId} />;
  return <DeliveryList />;
}

function DeliveryList() {
  const { tenantId } = useTenant();
  const [search, setSearch] = useSearchParams();
  const integrationId = search.get('integration') ?? undefined;
  const verdict = search.get('verdict') ?? '';
  const eventType = search.get('eventType') ?? '';
  const [eventDraft, setEventDraft] = useState(eventType);

  const update = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(search);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    setSearch(next);
  };
  const query = new URLSearchParams({ order: 'newest', limit: String(LIST_LIMIT) });
  if (verdict) query.set('verdict', verdict);
  if (eventType) query.set('eventType', eventType);
  const path = integrationId
    ? `tenants/${encodeURIComponent(tenantId)}/integrations/${encodeURIComponent(integrationId)}/webhooks/deliveries?${query}`
    : null;
  const list = useResource<DeliveryListResponse>(path, { pollMs: 10_000 });
  const items = list.data?.items ?? [];

  const applyEventType = (event: FormEvent) => {
    event.preventDefault();
    update({ eventType: eventDraft.trim() || undefined });
  };

  return (
    <section aria-labelledby="deliveries-title">
      <div className="page-header">
        <h1 id="deliveries-title">Webhook deliveries</h1>
      </div>
      <form className="toolbar" onSubmit={applyEventType} aria-label="Filters">
        <IntegrationPicker value={integrationId} onChange={(id) => update({ integration: id })} />
        <div className="field">
          <label htmlFor="delivery-verdict">Verdict</label>
          <select id="delivery-verdict" value={verdict} onChange={(event) => update({ verdict: event.target.value })}>
            <option value="">Any verdict</option>
            {VERDICTS.map((option) => (
              <option key={option} value={option}>
                {option.replace(/_/g, ' ')}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="delivery-event-type">Event type</label>
          <input
            id="delivery-event-type"
            value={eventDraft}
            maxLength={100}
            placeholder="e.g. issues"
            onChange={(event) => setEventDraft(event.target.value)}
          />
        </div>
        <button type="submit">Apply</button>
      </form>
      {!path && <p className="card">Choose an integration to see its webhook deliveries.</p>}
      <ErrorBanner error={list.error} onRetry={list.reload} title="The deliveries could not be loaded" />
      {list.loading && !list.data && <Loading label="Loading deliveries…" />}
      {list.data && items.length === 0 && <p className="muted">No delivery matches these filters.</p>}
      {items.length > 0 && (
        <div className="table-wrap">
          <table className="stack" aria-labelledby="deliveries-title">
            <thead>
              <tr>
                <th scope="col">Received</th>
                <th scope="col">Delivery</th>
                <th scope="col">Event type</th>
                <th scope="col">Verdict</th>
                <th scope="col" className="numeric">
                  Handling
                </th>
                <th scope="col" className="numeric">
                  Runs
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((delivery) => (
                <tr key={delivery.id} data-delivery-id={delivery.deliveryId}>
                  <td data-label="Received">
                    <span title={delivery.receivedAt}>{relativeTime(delivery.receivedAt)}</span>
                  </td>
                  <td data-label="Delivery">
                    <Link to={deliveryPath(delivery.integrationId, delivery.deliveryId)}>
                      <code>{delivery.deliveryId}</code>
                    </Link>
                  </td>
                  <td data-label="Event type">{delivery.eventType ?? <span className="muted">—</span>}</td>
                  <td data-label="Verdict">
                    <StatusBadge status={delivery.verdict} />
                    {delivery.reason && <div className="muted">{delivery.reason}</div>}
                  </td>
                  <td data-label="Handling" className="numeric">
                    {delivery.handlingMs} ms
                  </td>
                  <td data-label="Runs" className="numeric">
                    {delivery.runIds?.length ?? 0}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {items.length === LIST_LIMIT && (
            <p className="muted">The newest {LIST_LIMIT} are shown; narrow the filters to see older ones.</p>
          )}
        </div>
      )}
    </section>
  );
}
