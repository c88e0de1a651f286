/**
 * A run's log: every provider HTTP call (method, URL without secrets, status, duration, attempt, the provider's
 * remaining rate budget), every rate-limiter wait, retry and failure, page by page. Polled while the run is in
 * flight: each page's lines arrive when the page ends.
 */
import type { RunLog as RunLogAnswer, RunLogItem } from '../../../../shared/admin/contracts/activity';
import { useResource } from '../../api/hooks';
import { ErrorBanner } from '../ErrorBanner';
import { Loading } from '../Loading';
import './ops.css';

const statusClass = (status: number) =>
  status === 0 || status >= 500 ? 'bad' : status === 429 || status >= 400 ? 'warn' : 'ok';

function Line({ item }: { item: RunLogItem }) {
  const request = item.request;
  return (
    <tr className={`run-log-${item.level}`} data-level={item.level}>
      <td>
        <time dateTime={item.at}>{new Date(item.at).toLocaleTimeString()}</time>
      </td>
      <td>{item.page ?? ''}</td>
      <td>{item.level}</td>
      {request ? (
        <>
          <td>{request.method}</td>
          <td className="run-log-url">
            <code>{request.url}</code>
          </td>
          <td className={`run-log-status ${statusClass(request.status)}`}>{request.status || 'none'}</td>
          <td>{request.durationMs} ms</td>
          <td>{request.attempt}</td>
          <td>{request.rateLimitRemaining ?? ''}</td>
        </>
      ) : (
        <td colSpan={6}>{item.message}</td>
      )}
    </tr>
  );
}

export function RunLog({ path, live }: { path: string; live: boolean }) {
  const log = useResource<RunLogAnswer>(path, live ? { pollMs: 2000 } : {});
  const items = log.data?.items ?? [];
  const requests = items.filter((item) => item.request).length;
  return (
    <section aria-labelledby="run-log-title">
      <h2 id="run-log-title">Log</h2>
      <ErrorBanner error={log.error} onRetry={log.reload} title="The run's log could not be loaded" />
      {log.loading && !log.data && <Loading label="Loading the log…" />}
      {log.data && items.length === 0 && (
        <p className="muted">Nothing logged yet: each page's provider calls appear when the page ends.</p>
      )}
      {items.length > 0 && (
        <>
          <p className="muted">
            {requests} provider {requests === 1 ? 'request' : 'requests'}, {items.length - requests} other lines.
          </p>
          <div className="table-wrap">
            <table className="stack run-log" aria-label="Run log">
              <thead>
                <tr>
                  <th scope="col">Time</th>
                  <th scope="col">Page</th>
                  <th scope="col">Level</th>
                  <th scope="col">Method</th>
                  <th scope="col">URL / message</th>
                  <th scope="col">Status</th>
                  <th scope="col">Duration</th>
                  <th scope="col">Attempt</th>
                  <th scope="col">Rate limit left</th>
                </tr>
              </thead>
              <tbody>
                {items.map((item, index) => (
                  <Line key={index} item={item} />
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
