/**
 * Health of the tenant's sync: an overall verdict from the app's dependencies (public /api/health) and the
 * integrations' health together, each integration's health with its reason, dead-lettered pages and webhook
 * endpoint health, credentials near or past expiry, and records synced and errors over time.
 */
import { useEffect, useState } from 'react';
import type { IntegrationList } from '../../../shared/admin/contracts/integrations';
import type {
  ExpiryFindingView,
  ExpiryReportResponse,
  SyncMetricsResponse,
} from '../../../shared/admin/contracts/operations';
import { useResource } from '../api/hooks';
import { ErrorBanner } from '../components/ErrorBanner';
import { Loading } from '../components/Loading';
import { IntegrationHealthRow } from '../components/ops/IntegrationHealthRow';
import { overallHealth } from '../components/ops/overall-health';
import { SyncChart } from '../components/ops/SyncChart';
import { useHealthReport } from '../components/ops/useHealthReport';
import { StatusBadge } from '../components/StatusBadge';
import { relativeTime } from '../format';
import { useTenant } from '../state/session';

const RANGES = [
  { id: '24h', label: 'Last 24 hours', spanMs: 24 * 3600_000, bucket: '1h' },
  { id: '6h', label: 'Last 6 hours', spanMs: 6 * 3600_000, bucket: '15m' },
  { id: '7d', label: 'Last 7 days', spanMs: 7 * 24 * 3600_000, bucket: '6h' },
  { id: '30d', label: 'Last 30 days', spanMs: 30 * 24 * 3600_000, bucket: '1d' },
] as const;

export default function HealthPage() {
  const { tenantId } = useTenant();
  const tenantBase = `tenants/${encodeURIComponent(tenantId)}`;
  return (
    <section aria-labelledby="health-title">
      <div className="page-header">
        <h1 id="health-title">Health</h1>
      </div>
      <HealthOverview tenantId={tenantId} />
      <Expiries base={tenantBase} />
      <Activity base={tenantBase} />
    </section>
  );
}

/** The overall verdict needs both the dependencies and the integrations: one load of each, shared. */
function HealthOverview({ tenantId }: { tenantId: string }) {
  const health = useHealthReport(15_000);
  const list = useResource<IntegrationList>(`tenants/${encodeURIComponent(tenantId)}/integrations`, { pollMs: 30_000 });
  const overall = health.data || list.data ? overallHealth(health.data, list.data?.items) : undefined;
  return (
    <>
      {overall && (
        <div className="card" data-testid="overall-health">
          <p>
            Overall: <StatusBadge status={overall.status} />
            {overall.reasons.length > 0 && <> {overall.reasons.join('; ')}.</>}
          </p>
        </div>
      )}
      <Dependencies health={health} />
      <Integrations tenantId={tenantId} list={list} />
    </>
  );
}

function Dependencies({ health }: { health: ReturnType<typeof useHealthReport> }) {
  return (
    <div className="card">
      <h2>Dependencies</h2>
      <ErrorBanner error={health.error} onRetry={health.reload} title="Health could not be read" />
      {!health.data && !health.error && <Loading label="Checking dependencies…" />}
      {health.data && (
        <>
          <p>
            Dependencies: <StatusBadge status={health.data.status} />
          </p>
          <div className="table-wrap">
            <table className="stack">
              <caption className="visually-hidden">Dependency checks</caption>
              <thead>
                <tr>
                  <th scope="col">Dependency</th>
                  <th scope="col">State</th>
                  <th scope="col" className="numeric">
                    Answered in
                  </th>
                  <th scope="col">Problem</th>
                </tr>
              </thead>
              <tbody>
                {health.data.checks.map((check) => (
                  <tr key={check.name}>
                    <th scope="row" data-label="Dependency">
                      {check.name}
                    </th>
                    <td data-label="State">
                      <StatusBadge status={check.ok ? 'ok' : 'down'} />
                    </td>
                    <td data-label="Answered in" className="numeric">
                      {check.latencyMs} ms
                    </td>
                    <td data-label="Problem">{check.error ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </div>
  );
}

function Integrations({ tenantId, list }: { tenantId: string; list: ReturnType<typeof useResource<IntegrationList>> }) {
  const items = list.data?.items ?? [];
  return (
    <div className="card">
      <h2>Integrations</h2>
      <ErrorBanner error={list.error} onRetry={list.reload} title="Integrations could not be loaded" />
      {list.loading && !list.data && <Loading label="Loading integrations…" />}
      {list.data && items.length === 0 && <p className="muted">No integrations in this tenant.</p>}
      {items.length > 0 && (
        <div className="table-wrap">
          <table className="stack">
            <caption className="visually-hidden">
              Health, dead-lettered pages and webhook endpoint health per integration
            </caption>
            <thead>
              <tr>
                <th scope="col">Integration</th>
                <th scope="col">Health</th>
                <th scope="col" className="numeric">
                  Dead letters
                </th>
                <th scope="col">Webhook endpoint (24 h)</th>
              </tr>
            </thead>
            <tbody>
              {items.map((integration) => (
                <IntegrationHealthRow key={integration.id} tenantId={tenantId} integration={integration} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function describeFinding(finding: ExpiryFindingView): string {
  switch (finding.kind) {
    case 'expired':
      return `expired ${relativeTime(finding.expiresAt)}`;
    case 'expiring':
      return `expires ${relativeTime(finding.expiresAt)}`;
    case 'too_old':
      return `not rotated for ${Math.round(finding.ageMs / 86_400_000)} days (policy: ${Math.round(finding.maxAgeMs / 86_400_000)})`;
    case 'needs_reauth':
      return `needs to be reconnected${finding.reason ? `: ${finding.reason}` : ''}`;
  }
}

function Expiries({ base }: { base: string }) {
  const report = useResource<ExpiryReportResponse>(`${base}/credentials/expiry`, { pollMs: 60_000 });
  const items = report.data?.items ?? [];
  return (
    <div className="card">
      <h2>Credential expiries</h2>
      <ErrorBanner error={report.error} onRetry={report.reload} title="Credential expiries could not be loaded" />
      {report.loading && !report.data && <Loading label="Loading credential expiries…" />}
      {report.data && items.length === 0 && (
        <p className="muted">No credential is near expiry, expired or waiting for a reconnect.</p>
      )}
      {items.length > 0 && (
        <ul>
          {items.map((finding, index) => (
            <li key={`${finding.ref.integrationId}:${finding.ref.name}:${finding.kind}:${index}`}>
              <StatusBadge
                status={finding.kind === 'expiring' || finding.kind === 'too_old' ? 'degraded' : 'failed'}
                label={finding.kind.replace('_', ' ')}
              />{' '}
              {finding.ref.integrationId} / {finding.ref.name} ({finding.type}): {describeFinding(finding)}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function Activity({ base }: { base: string }) {
  const [rangeId, setRangeId] = useState<(typeof RANGES)[number]['id']>('24h');
  const range = RANGES.find((candidate) => candidate.id === rangeId)!;
  // The range ends at the next whole minute and moves on each minute: a stable path between ticks, so the
  // poll reuses it, and new runs come into view without a reload.
  const nextMinute = () => Math.ceil((Date.now() + 1) / 60_000) * 60_000;
  const [to, setTo] = useState(nextMinute);
  useEffect(() => {
    const timer = setInterval(() => setTo(nextMinute()), 60_000);
    return () => clearInterval(timer);
  }, []);
  const from = new Date(to - range.spanMs).toISOString();
  const metrics = useResource<SyncMetricsResponse>(
    `${base}/metrics/sync?from=${encodeURIComponent(from)}&to=${encodeURIComponent(new Date(to).toISOString())}&bucket=${range.bucket}`,
    { pollMs: 30_000 },
  );
  return (
    <div className="card">
      <div className="page-header">
        <h2 style={{ margin: 0, marginRight: 'auto' }}>Records synced and errors</h2>
        <div className="field" style={{ margin: 0 }}>
          <label htmlFor="activity-range" className="visually-hidden">
            Time range
          </label>
          <select
            id="activity-range"
            value={rangeId}
            onChange={(event) => setRangeId(event.target.value as typeof rangeId)}
          >
            {RANGES.map((candidate) => (
              <option key={candidate.id} value={candidate.id}>
                {candidate.label}
              </option>
            ))}
          </select>
        </div>
      </div>
      <ErrorBanner error={metrics.error} onRetry={metrics.reload} title="Sync figures could not be loaded" />
      {metrics.loading && !metrics.data && <Loading label="Loading sync figures…" />}
      {metrics.data && (
        <>
          {metrics.data.truncated && (
            <p className="warning">More runs than can be read at once: the figures undercount.</p>
          )}
          <SyncChart
            buckets={metrics.data.buckets}
            bucketMs={metrics.data.bucketMs}
            title={`${range.label}, per ${range.bucket}`}
          />
        </>
      )}
    </div>
  );
}
