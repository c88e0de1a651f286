/**
 * Activity: what happened in the tenant, newest first: runs that ended, webhook verdicts, conflicts, credentials,
 * notifications and every admin change with who made it (the audit trail). Filters by integration, type, status
 * and date range live in the URL (so a filtered view can be shared); "Older entries" follows the API's
 * continuation token. Entries link to their run, the integration's webhook deliveries or the conflicts.
 */
import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { ACTIVITY_TYPES, type ActivityItem, type ActivityPage as Page } from '../../../shared/admin/contracts/activity';
import { useResource } from '../api/hooks';
import { ErrorBanner } from '../components/ErrorBanner';
import { IntegrationPicker } from '../components/IntegrationPicker';
import { Loading } from '../components/Loading';
import { StatusBadge } from '../components/StatusBadge';
import { relativeTime } from '../format';
import { useTenant } from '../state/session';
import '../components/ops/ops.css';

const FILTERS = ['integrationId', 'type', 'status', 'from', 'to'] as const;

/** The API path for the filters in the URL and the page being shown. */
export function activityPath(tenantId: string, search: URLSearchParams, token?: string): string {
  const query = new URLSearchParams();
  for (const name of FILTERS) {
    const value = search.get(name);
    if (value) query.set(name, value);
  }
  if (token) query.set('continuationToken', token);
  const text = query.toString();
  return `tenants/${encodeURIComponent(tenantId)}/activity${text ? `?${text}` : ''}`;
}

function EntryLinks({ item }: { item: ActivityItem }) {
  const integration = encodeURIComponent(item.integrationId);
  return (
    <>
      {item.runId && item.integrationId && (
        <Link to={`/integrations/${integration}/runs/${encodeURIComponent(item.runId)}`}>run {item.runId}</Link>
      )}
      {item.type === 'webhook' && item.integrationId && item.deliveryId && (
        <Link to={`/deliveries/${integration}/${encodeURIComponent(item.deliveryId)}`}>latest delivery</Link>
      )}
      {item.type === 'webhook' && item.integrationId && (
        <Link to={`/deliveries?integration=${integration}`}>deliveries</Link>
      )}
      {item.type === 'conflict' && <Link to="/conflicts">conflicts</Link>}
    </>
  );
}

function Filters() {
  const [search, setSearch] = useSearchParams();
  const [status, setStatus] = useState(search.get('status') ?? '');
  const set = (name: (typeof FILTERS)[number], value: string) => {
    const next = new URLSearchParams(search);
    if (value) next.set(name, value);
    else next.delete(name);
    setSearch(next);
  };
  const submitStatus = (event: FormEvent) => {
    event.preventDefault();
    set('status', status.trim());
  };
  return (
    <div className="toolbar activity-filters">
      <IntegrationPicker
        allowAll
        value={search.get('integrationId') ?? ''}
        onChange={(id) => set('integrationId', id)}
      />
      <div className="field">
        <label htmlFor="activity-type">Type</label>
        <select
          id="activity-type"
          value={search.get('type') ?? ''}
          onChange={(event) => set('type', event.target.value)}
        >
          <option value="">All types</option>
          {ACTIVITY_TYPES.map((type) => (
            <option key={type} value={type}>
              {type}
            </option>
          ))}
        </select>
      </div>
      <form className="field" onSubmit={submitStatus}>
        <label htmlFor="activity-status">Status</label>
        <input
          id="activity-status"
          value={status}
          placeholder="e.g. failed"
          size={12}
          onChange={(event) => setStatus(event.target.value)}
          onBlur={() => set('status', status.trim())}
        />
      </form>
      <div className="field">
        <label htmlFor="activity-from">From</label>
        <input
          id="activity-from"
          type="date"
          value={search.get('from') ?? ''}
          onChange={(event) => set('from', event.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor="activity-to">To</label>
        <input
          id="activity-to"
          type="date"
          value={search.get('to') ?? ''}
          onChange={(event) => set('to', event.target.value)}
        />
      </div>
    </div>
  );
}

export default function ActivityPage() {
  const { tenantId } = useTenant();
  const [search] = useSearchParams();
  // The tokens of the pages before the one shown (the first page has none), so "Newer entries" can go back.
  const [tokens, setTokens] = useState<string[]>([]);
  const filterKey = activityPath(tenantId, search);
  const [shownFor, setShownFor] = useState(filterKey);
  if (shownFor !== filterKey) {
    setShownFor(filterKey);
    setTokens([]);
  }
  const current = tokens[tokens.length - 1];
  const page = useResource<Page>(activityPath(tenantId, search, current));
  const items = page.data?.items ?? [];

  return (
    <section aria-labelledby="activity-title">
      <div className="page-header">
        <h1 id="activity-title">Activity</h1>
      </div>
      <p className="muted">
        Runs, webhook verdicts, conflicts, credentials, notifications and every admin change (with who made it), newest
        first.
      </p>
      <Filters />
      <ErrorBanner error={page.error} onRetry={page.reload} title="The activity could not be loaded" />
      {page.loading && !page.data && <Loading label="Loading activity…" />}
      {page.data && items.length === 0 && <p className="card">Nothing happened that matches these filters.</p>}
      {items.length > 0 && (
        <div className="table-wrap">
          <table className="stack activity-table" aria-label="Activity">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Type</th>
                <th scope="col">Integration</th>
                <th scope="col">Status</th>
                <th scope="col">What happened</th>
                <th scope="col">By</th>
                <th scope="col">Links</th>
              </tr>
            </thead>
            <tbody>
              {items.map((item, index) => (
                <tr key={`${item.at}-${index}`} data-type={item.type}>
                  <td>
                    <time dateTime={item.at} title={item.at}>
                      {relativeTime(item.at)}
                    </time>
                  </td>
                  <td>{item.type}</td>
                  <td>
                    {item.integrationId ? (
                      item.integrationName || item.integrationId
                    ) : (
                      <span className="muted">tenant</span>
                    )}
                  </td>
                  <td>
                    <StatusBadge status={item.status} />
                  </td>
                  <td>{item.summary}</td>
                  <td>{item.actor ?? <span className="muted">engine</span>}</td>
                  <td className="activity-links">
                    <EntryLinks item={item} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className="form-actions">
        {tokens.length > 0 && (
          <button type="button" onClick={() => setTokens(tokens.slice(0, -1))}>
            Newer entries
          </button>
        )}
        {page.data?.continuationToken && (
          <button type="button" onClick={() => setTokens([...tokens, page.data!.continuationToken!])}>
            Older entries
          </button>
        )}
      </div>
    </section>
  );
}
