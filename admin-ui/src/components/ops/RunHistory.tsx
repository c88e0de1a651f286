/** The run history of one integration: newest first, with counters, duration and a link to each run. */
import { Link } from 'react-router';
import type { RunView } from '../../../../shared/admin/contracts/operations';
import { formatNumber, relativeTime, shortRunId } from '../../format';
import { StatusBadge } from '../StatusBadge';

export function duration(run: Pick<RunView, 'startedAt' | 'finishedAt'>, now = Date.now()): string {
  if (!run.startedAt) return '—';
  const ms = (run.finishedAt ? Date.parse(run.finishedAt) : now) - Date.parse(run.startedAt);
  if (!(ms >= 0)) return '—';
  if (ms < 1000) return `${ms} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.round(ms / 60_000)} min`;
}

export function RunHistory({ integrationId, runs }: { integrationId: string; runs: RunView[] }) {
  if (runs.length === 0) return <p className="card">No runs yet. Start a sync above.</p>;
  return (
    <div className="table-wrap">
      <table className="stack">
        <caption className="visually-hidden">Runs of this integration, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Run</th>
            <th scope="col">Status</th>
            <th scope="col">Mode</th>
            <th scope="col">Queued</th>
            <th scope="col">Took</th>
            <th scope="col" className="numeric">
              Fetched
            </th>
            <th scope="col" className="numeric">
              Created
            </th>
            <th scope="col" className="numeric">
              Updated
            </th>
            <th scope="col" className="numeric">
              Unchanged
            </th>
            <th scope="col" className="numeric">
              Deleted
            </th>
            <th scope="col" className="numeric">
              Conflicts
            </th>
            <th scope="col" className="numeric">
              Errors
            </th>
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => (
            <tr key={run.id} data-run-id={run.id}>
              <td data-label="Run">
                <Link
                  to={`/integrations/${encodeURIComponent(integrationId)}/runs/${encodeURIComponent(run.id)}`}
                  aria-label={`Run ${run.id} details`}
                >
                  <code title={run.id}>{shortRunId(run.id, integrationId)}</code>
                </Link>
                {run.retryOf && <span className="muted"> (retry)</span>}
              </td>
              <td data-label="Status">
                <StatusBadge status={run.status} />
              </td>
              <td data-label="Mode">
                {run.mode} · {run.trigger}
              </td>
              <td data-label="Queued">
                <span title={run.queuedAt}>{relativeTime(run.queuedAt)}</span>
              </td>
              <td data-label="Took">{duration(run)}</td>
              <td data-label="Fetched" className="numeric">
                {formatNumber(run.counters.fetched)}
              </td>
              <td data-label="Created" className="numeric">
                {formatNumber(run.counters.created)}
              </td>
              <td data-label="Updated" className="numeric">
                {formatNumber(run.counters.updated)}
              </td>
              <td data-label="Unchanged" className="numeric">
                {formatNumber(run.counters.unchanged)}
              </td>
              <td data-label="Deleted" className="numeric">
                {formatNumber(run.counters.deleted)}
              </td>
              <td data-label="Conflicts" className="numeric">
                {formatNumber(run.counters.conflicts)}
              </td>
              <td data-label="Errors" className="numeric">
                {formatNumber(run.counters.errors)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
