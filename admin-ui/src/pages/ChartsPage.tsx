/**
 * Charts: what happened over time, as pictures with the same figures as tables. Sync runs (records synced and
 * failed runs per integration, run duration), webhooks (verdicts, rejections by reason, handling time) and
 * provider rate limits (429 answers, throttle waits). The range and the integration live in the URL
 * (?range=24h|7d|30d&integration=), so a view can be shared.
 */
import { useMemo, useState, type ReactNode } from 'react';
import { useSearchParams } from 'react-router';
import type {
  RateLimitMetricsResponse,
  RunMetricsResponse,
  WebhookMetricsResponse,
} from '../../../shared/admin/contracts/charts';
import { useResource, type Resource } from '../api/hooks';
import { ErrorBanner } from '../components/ErrorBanner';
import { IntegrationPicker } from '../components/IntegrationPicker';
import { Loading } from '../components/Loading';
import { RunCharts, ThrottleCharts, WebhookCharts } from '../components/charts/SeriesSections';
import { useTenant } from '../state/session';

export const RANGES = {
  '24h': { label: 'Last 24 hours', spanMs: 24 * 3600_000, bucket: '1h' },
  '7d': { label: 'Last 7 days', spanMs: 7 * 24 * 3600_000, bucket: '6h' },
  '30d': { label: 'Last 30 days', spanMs: 30 * 24 * 3600_000, bucket: '1d' },
} as const;
type RangeKey = keyof typeof RANGES;

const isRange = (value: string | null): value is RangeKey => value !== null && value in RANGES;

/** The query of a range ending now (to the next whole minute, so repeated renders ask the same thing). */
export function rangeQuery(key: RangeKey, now: number): string {
  const to = Math.ceil(now / 60_000) * 60_000;
  const { spanMs, bucket } = RANGES[key];
  return `from=${new Date(to - spanMs).toISOString()}&to=${new Date(to).toISOString()}&bucket=${bucket}`;
}

function Section<T>({
  id,
  title,
  resource,
  children,
}: {
  id: string;
  title: string;
  resource: Resource<T>;
  children: (data: T) => ReactNode;
}) {
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      <ErrorBanner error={resource.error} onRetry={resource.reload} title={`${title} could not be loaded`} />
      {resource.loading && !resource.data && <Loading label={`Loading ${title.toLowerCase()}…`} />}
      {resource.data && children(resource.data)}
    </section>
  );
}

export default function ChartsPage() {
  const { tenantId } = useTenant();
  const [search, setSearch] = useSearchParams();
  const range: RangeKey = isRange(search.get('range')) ? (search.get('range') as RangeKey) : '24h';
  const integrationId = search.get('integration') ?? '';
  const [refreshed, setRefreshed] = useState(() => Date.now());
  const query = useMemo(() => rangeQuery(range, refreshed), [range, refreshed]);
  const base = `tenants/${encodeURIComponent(tenantId)}/metrics`;
  const scoped = integrationId ? `${query}&integrationId=${encodeURIComponent(integrationId)}` : query;
  const runs = useResource<RunMetricsResponse>(`${base}/runs?${scoped}`);
  const webhooks = useResource<WebhookMetricsResponse>(`${base}/webhooks?${scoped}`);
  const limits = useResource<RateLimitMetricsResponse>(`${base}/rate-limits?${query}`);

  const update = (changes: Record<string, string>) => {
    const next = new URLSearchParams(search);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    setSearch(next);
  };

  return (
    <section aria-labelledby="charts-title">
      <div className="page-header">
        <h1 id="charts-title">Charts</h1>
      </div>
      <div className="toolbar">
        <div className="field">
          <label htmlFor="chart-range">Range</label>
          <select id="chart-range" value={range} onChange={(event) => update({ range: event.target.value })}>
            {Object.entries(RANGES).map(([key, { label }]) => (
              <option key={key} value={key}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <IntegrationPicker value={integrationId} allowAll onChange={(id) => update({ integration: id })} />
        <button type="button" onClick={() => setRefreshed(Date.now())}>
          Refresh
        </button>
      </div>
      <Section id="charts-runs" title="Sync runs" resource={runs}>
        {(data) => <RunCharts data={data} />}
      </Section>
      <Section id="charts-webhooks" title="Webhooks" resource={webhooks}>
        {(data) => <WebhookCharts data={data} />}
      </Section>
      <Section id="charts-rate-limits" title="Provider rate limits (all integrations)" resource={limits}>
        {(data) => <ThrottleCharts data={data} />}
      </Section>
    </section>
  );
}
