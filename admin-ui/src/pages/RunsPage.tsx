/**
 * Runs: pick an integration, start a sync, watch running syncs' counters move (polled every second while a
 * run is queued or running, without a reload), read the history, open a run for its per-record errors and
 * retry it when it failed; dead-lettered sync pages with re-drive. /integrations/:integrationId/runs/:runId
 * opens one run.
 */
import { useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import type { StartSyncResponse } from '../../../shared/admin/contracts/integrations';
import type { RunListResponse, RunView } from '../../../shared/admin/contracts/operations';
import { api } from '../api/client';
import { useResource } from '../api/hooks';
import { ErrorBanner } from '../components/ErrorBanner';
import { IntegrationPicker } from '../components/IntegrationPicker';
import { Loading } from '../components/Loading';
import { ActionMessages } from '../components/ops/ActionMessages';
import { DeadLetters } from '../components/ops/DeadLetters';
import { LiveRun } from '../components/ops/LiveRun';
import { RunCounters } from '../components/ops/RunCounters';
import { RunDetail } from '../components/ops/RunDetail';
import { RunHistory } from '../components/ops/RunHistory';
import { CancelRunButton, RunControls } from '../components/ops/RunControls';
import { useAction } from '../components/ops/useAction';
import { StatusBadge } from '../components/StatusBadge';
import { relativeTime } from '../format';
import { useTenant } from '../state/session';

/** While a run is queued or running: often enough that counters visibly move. */
export const LIVE_POLL_MS = 1000;
const IDLE_POLL_MS = 5000;

const inFlight = (run: RunView) => run.status === 'running' || run.status === 'queued';

export default function RunsPage() {
  const { integrationId, runId } = useParams();
  if (integrationId && runId) return <RunDetail integrationId={integrationId} runId={runId} />;
  return <RunsOverview />;
}

function RunsOverview() {
  const { tenantId } = useTenant();
  const [search, setSearch] = useSearchParams();
  const integrationId = search.get('integration') ?? undefined;
  const base = integrationId
    ? `tenants/${encodeURIComponent(tenantId)}/integrations/${encodeURIComponent(integrationId)}`
    : null;
  const action = useAction();
  const cancels = useAction();
  const [live, setLive] = useState(false);
  // The poll speeds up while anything is in flight, so the live counters move about once a second.
  const probe = useResource<RunListResponse>(base ? `${base}/runs?limit=50` : null, {
    pollMs: live ? LIVE_POLL_MS : IDLE_POLL_MS,
  });
  const runs = probe.data?.items ?? [];
  const active = runs.filter(inFlight);
  if (live !== active.length > 0) setLive(active.length > 0);

  const start = (mode: 'incremental' | 'full') =>
    action.run(`sync:${mode}`, async () => {
      const started = await api.send<StartSyncResponse>('POST', `${base}/sync`, { mode });
      probe.reload();
      return `A ${mode} sync was started (run ${started.runId}).`;
    });

  return (
    <section aria-labelledby="runs-title">
      <div className="page-header">
        <h1 id="runs-title">Runs</h1>
      </div>
      <div className="toolbar">
        <IntegrationPicker value={integrationId} onChange={(id) => setSearch(id ? { integration: id } : {})} />
        {base && (
          <div className="form-actions">
            <button
              type="button"
              className="primary"
              onClick={() => void start('incremental')}
              disabled={action.busy !== undefined}
            >
              {action.busy === 'sync:incremental' ? 'Starting…' : 'Start incremental sync'}
            </button>
            <button type="button" onClick={() => void start('full')} disabled={action.busy !== undefined}>
              {action.busy === 'sync:full' ? 'Starting…' : 'Start full sync'}
            </button>
          </div>
        )}
      </div>
      <ActionMessages action={action} errorTitle="The sync could not be started" />
      {!base && <p className="card">Choose an integration to see its runs.</p>}
      {base && (
        <>
          <ErrorBanner error={probe.error} onRetry={probe.reload} title="Runs could not be loaded" />
          {probe.loading && !probe.data && <Loading label="Loading runs…" />}
          <RunControls base={base} onStarted={probe.reload} />
          <h2 id="live-title">Running now</h2>
          <ActionMessages action={cancels} errorTitle="The run could not be cancelled" />
          <div aria-labelledby="live-title" aria-live="polite" className="live-region">
            {probe.data && active.length === 0 && <p className="muted">No sync is running for this integration.</p>}
            {active.map((run) => (
              <article key={run.id} className="card" aria-label={`Run ${run.id}`} data-run-id={run.id}>
                <p>
                  <StatusBadge status={run.status} /> {run.mode} sync, {run.trigger}, started{' '}
                  {relativeTime(run.startedAt ?? run.queuedAt)} ·{' '}
                  <Link to={`/integrations/${encodeURIComponent(integrationId!)}/runs/${encodeURIComponent(run.id)}`}>
                    details
                  </Link>
                </p>
                <LiveRun run={run} />
                <RunCounters counters={run.counters} label={`Counters of run ${run.id}`} />
                <CancelRunButton base={base} runId={run.id} action={cancels} onDone={probe.reload} />
              </article>
            ))}
          </div>
          <h2>History</h2>
          {probe.data && <RunHistory integrationId={integrationId!} runs={runs} />}
          <DeadLetters base={base} />
        </>
      )}
    </section>
  );
}
