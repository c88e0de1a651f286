/**
 * One run: its counters (polled every second while it is in flight), its last error, the per-record errors,
 * and a retry when it failed. A retried run links to its retry, and a retry to the run it repeats.
 */
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import type { RetryRunResponse, RunView } from '../../../../shared/admin/contracts/operations';
import { api } from '../../api/client';
import { useResource } from '../../api/hooks';
import { relativeTime, shortRunId } from '../../format';
import { useIntegrationNames } from '../../api/useIntegrationNames';
import { LiveRun } from './LiveRun';
import { useTenant } from '../../state/session';
import { ErrorBanner } from '../ErrorBanner';
import { Loading } from '../Loading';
import { StatusBadge } from '../StatusBadge';
import { ActionMessages } from './ActionMessages';
import { RunCounters } from './RunCounters';
import { duration } from './RunHistory';
import { useAction } from './useAction';
import { RunLog } from './RunLog';

const LIVE_POLL_MS = 1000;

export function RunDetail({ integrationId, runId }: { integrationId: string; runId: string }) {
  const { tenantId } = useTenant();
  const navigate = useNavigate();
  const action = useAction();
  const integrationName = useIntegrationNames();
  const runsPath = `tenants/${encodeURIComponent(tenantId)}/integrations/${encodeURIComponent(integrationId)}/runs`;
  const [settled, setSettled] = useState(false);
  // Polled while the run is in flight; a finished run does not change any more.
  const first = useResource<RunView>(
    `${runsPath}/${encodeURIComponent(runId)}`,
    settled ? {} : { pollMs: LIVE_POLL_MS },
  );
  const run = first.data;
  const finished = run !== undefined && run.status !== 'queued' && run.status !== 'running' && run.id === runId;
  if (finished !== settled) setSettled(finished);
  const runLink = (id: string) => `/integrations/${encodeURIComponent(integrationId)}/runs/${encodeURIComponent(id)}`;

  const retry = () =>
    action.run('retry', async () => {
      const answer = await api.send<RetryRunResponse>('POST', `${runsPath}/${encodeURIComponent(runId)}/retry`);
      navigate(runLink(answer.runId));
      return `Retry started: run ${answer.runId}.`;
    });

  return (
    <section aria-labelledby="run-title">
      <p>
        <Link to={`/runs?integration=${encodeURIComponent(integrationId)}`}>← All runs of this integration</Link>
      </p>
      <div className="page-header">
        <h1 id="run-title">
          Run <code title={runId}>{shortRunId(runId, integrationId)}</code> of {integrationName(integrationId)}
        </h1>
        {/* A configuration error fails every retry the same way: the setting is what to change, not the run. */}
        {run?.status === 'failed' && run.lastError?.code === 'configuration' && (
          <Link className="button-link primary" to={`/integrations/${encodeURIComponent(integrationId)}/settings`}>
            Fix the setting
            {run.lastError.target ? ` ${run.lastError.target.replace(/^options\./, 'providerOptions.')}` : ''}
          </Link>
        )}
        {run?.status === 'failed' && !run.retriedBy && run.lastError?.code !== 'configuration' && (
          <button type="button" className="primary" onClick={() => void retry()} disabled={action.busy === 'retry'}>
            {action.busy === 'retry' ? 'Retrying…' : 'Retry this run'}
          </button>
        )}
      </div>
      <ActionMessages action={action} errorTitle="The run could not be retried" />
      <ErrorBanner error={first.error} onRetry={first.reload} title="The run could not be loaded" />
      {first.loading && !run && <Loading label="Loading the run…" />}
      {run && (
        <>
          <p>
            <StatusBadge status={run.status} /> {run.mode} sync, triggered by {run.trigger}; queued{' '}
            <span title={run.queuedAt}>{relativeTime(run.queuedAt)}</span>, took {duration(run)}.
          </p>
          {run.retryOf && (
            <p>
              Retry of <Link to={runLink(run.retryOf)}>run {shortRunId(run.retryOf, integrationId)}</Link>.
            </p>
          )}
          {run.retriedBy && (
            <p>
              Retried as <Link to={runLink(run.retriedBy)}>run {shortRunId(run.retriedBy, integrationId)}</Link>.
            </p>
          )}
          {run.ids && run.ids.length > 0 && (
            <p className="muted">
              Targeted at {run.entity ?? 'records'}: {run.ids.slice(0, 20).join(', ')}
              {run.ids.length > 20 ? ` and ${run.ids.length - 20} more` : ''}
            </p>
          )}
          <div aria-live="polite">
            <LiveRun run={run} />
            <RunCounters counters={run.counters} label="Counters of this run" />
          </div>
          {run.lastError && (
            <div className="error-banner" role="note">
              <strong>Last error ({run.lastError.code}):</strong> {run.lastError.message}
              {run.lastError.target && (
                <>
                  {' '}
                  (field <code>{run.lastError.target}</code>)
                </>
              )}
            </div>
          )}
          <h2>Record errors</h2>
          <RecordErrors errors={run.recordErrors ?? []} />
          <RunLog path={`${runsPath}/${encodeURIComponent(runId)}/log`} live={!finished} />
        </>
      )}
    </section>
  );
}

function RecordErrors({ errors }: { errors: NonNullable<RunView['recordErrors']> }) {
  if (errors.length === 0) return <p className="muted">No record failed in this run.</p>;
  return (
    <div className="table-wrap">
      <table className="stack">
        <caption className="visually-hidden">Records that failed in this run</caption>
        <thead>
          <tr>
            <th scope="col">Page</th>
            <th scope="col">Record</th>
            <th scope="col">Field</th>
            <th scope="col">Code</th>
            <th scope="col">Why</th>
          </tr>
        </thead>
        <tbody>
          {errors.map((error, index) => (
            <tr key={`${error.page}:${error.recordId}:${index}`}>
              <td data-label="Page">{error.page}</td>
              <td data-label="Record">
                <code>{error.recordId}</code>
              </td>
              <td data-label="Field">{error.field ? <code>{error.field}</code> : '—'}</td>
              <td data-label="Code">{error.code}</td>
              <td data-label="Why">{error.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
