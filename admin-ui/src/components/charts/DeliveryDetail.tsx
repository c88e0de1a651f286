/**
 * One webhook delivery: what arrived (verdict, event type, handling time, headers and payload as archived, with
 * every credential, token and signature already replaced by the API) and what it started (its runs, linked to
 * their run pages). Rejected deliveries were never archived: the page says so instead of a payload.
 */
import { Link } from 'react-router';
import type { DeliveryDetailResponse } from '../../../../shared/admin/contracts/charts';
import { useResource } from '../../api/hooks';
import { formatNumber, relativeTime } from '../../format';
import { useTenant } from '../../state/session';
import { ErrorBanner } from '../ErrorBanner';
import { Loading } from '../Loading';
import { StatusBadge } from '../StatusBadge';
import './charts.css';

export function DeliveryDetail({ integrationId, deliveryId }: { integrationId: string; deliveryId: string }) {
  const { tenantId } = useTenant();
  const detail = useResource<DeliveryDetailResponse>(
    `tenants/${encodeURIComponent(tenantId)}/integrations/${encodeURIComponent(integrationId)}/webhooks/deliveries/${encodeURIComponent(deliveryId)}`,
  );
  const data = detail.data;
  const receipt = data?.receipt;
  return (
    <section aria-labelledby="delivery-title">
      <p>
        <Link to={`/deliveries?integration=${encodeURIComponent(integrationId)}`}>← All deliveries</Link>
      </p>
      <div className="page-header">
        <h1 id="delivery-title">
          Delivery <code>{deliveryId}</code>
        </h1>
      </div>
      <ErrorBanner error={detail.error} onRetry={detail.reload} title="The delivery could not be loaded" />
      {detail.loading && !data && <Loading label="Loading the delivery…" />}
      {data && receipt && (
        <>
          <div className="card">
            <dl className="facts">
              <dt>Verdict</dt>
              <dd>
                <StatusBadge status={receipt.verdict} />
                {receipt.reason && <span className="muted"> {receipt.reason}</span>}
              </dd>
              <dt>Event type</dt>
              <dd data-testid="event-type">{data.eventType ?? '—'}</dd>
              <dt>Provider</dt>
              <dd>{receipt.provider}</dd>
              <dt>Received</dt>
              <dd>
                <span title={receipt.receivedAt}>{relativeTime(receipt.receivedAt)}</span> (
                {new Date(receipt.receivedAt).toLocaleString()})
              </dd>
              <dt>Handling time</dt>
              <dd>{receipt.handlingMs} ms</dd>
              {receipt.duplicates ? (
                <>
                  <dt>Duplicate copies</dt>
                  <dd>{receipt.duplicates}</dd>
                </>
              ) : null}
            </dl>
          </div>

          <h2 id="delivery-runs">Runs it started</h2>
          {data.runs.length === 0 ? (
            <p className="muted">None.</p>
          ) : (
            <ul aria-labelledby="delivery-runs">
              {data.runs.map((run) => (
                <li key={run.runId}>
                  <Link
                    to={`/integrations/${encodeURIComponent(receipt.integrationId)}/runs/${encodeURIComponent(run.runId)}`}
                  >
                    <code>{run.runId}</code>
                  </Link>{' '}
                  {run.status ? <StatusBadge status={run.status} /> : <span className="muted">(run removed)</span>}
                </li>
              ))}
            </ul>
          )}

          <h2 id="delivery-headers">Headers</h2>
          {data.headers ? (
            <div className="table-wrap">
              <table className="header-table" aria-labelledby="delivery-headers">
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Value</th>
                  </tr>
                </thead>
                <tbody>
                  {Object.entries(data.headers)
                    .sort(([a], [b]) => a.localeCompare(b))
                    .map(([name, value]) => (
                      <tr key={name}>
                        <th scope="row">{name}</th>
                        <td>{value}</td>
                      </tr>
                    ))}
                </tbody>
              </table>
              <p className="muted">Credentials, tokens and signatures are never shown: they read [redacted].</p>
            </div>
          ) : (
            <p className="muted">{data.payloadUnavailable ?? 'Not archived.'}</p>
          )}

          <h2 id="delivery-payload">Payload</h2>
          {data.payload ? (
            <>
              <p className="muted">
                {formatNumber(data.payload.bytes)} bytes
                {data.payload.contentType ? `, ${data.payload.contentType}` : ''}, SHA-256{' '}
                <code>{data.payload.sha256.slice(0, 16)}…</code>
              </p>
              <pre className="payload" aria-labelledby="delivery-payload" tabIndex={0}>
                {data.payload.text ?? data.payload.base64 ?? '(not shown: it holds a secret)'}
              </pre>
            </>
          ) : (
            <p className="muted">{data.payloadUnavailable ?? 'Not archived.'}</p>
          )}
        </>
      )}
    </section>
  );
}
