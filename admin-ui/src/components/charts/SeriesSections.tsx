/**
 * The charts of the Charts page, one group per source: sync runs (records synced and failed runs per
 * integration, run duration), webhooks (volume and verdicts, rejections by reason, handling time) and provider
 * rate limits (429 answers and throttle waits per provider). Each draws what one admin API answer holds.
 */
import type {
  RateLimitMetricsResponse,
  RunMetricsResponse,
  WebhookMetricsResponse,
} from '../../../../shared/admin/contracts/charts';
import { formatNumber } from '../../format';
import { TimeSeriesChart } from './TimeSeriesChart';

/** "850 ms", "12.5 s", "4.2 min", "1.5 h": a duration as people say it. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  if (ms < 3600_000) return `${(ms / 60_000).toFixed(1)} min`;
  return `${(ms / 3600_000).toFixed(1)} h`;
}

const nameOf = (series: { integrationId: string; name?: string }) => series.name ?? series.integrationId;

function Truncated({ truncated }: { truncated: boolean }) {
  return truncated ? (
    <p className="muted" role="note">
      More documents matched than one answer reads: the figures undercount. Choose a shorter range.
    </p>
  ) : null;
}

export function RunCharts({ data }: { data: RunMetricsResponse }) {
  const { starts, bucketMs } = data;
  return (
    <>
      <Truncated truncated={data.truncated} />
      <div className="chart-grid">
        <TimeSeriesChart
          title="Records synced per integration"
          starts={starts}
          bucketMs={bucketMs}
          totals
          series={data.integrations.map((series) => ({ label: nameOf(series), values: series.synced, kind: 'bar' }))}
        />
        <TimeSeriesChart
          title="Failed runs per integration"
          starts={starts}
          bucketMs={bucketMs}
          totals
          series={data.integrations.map((series) => ({
            label: nameOf(series),
            values: series.failedRuns,
            kind: 'bar',
          }))}
        />
        <TimeSeriesChart
          title="Run duration"
          starts={starts}
          bucketMs={bucketMs}
          format={formatDuration}
          minAxis={1000}
          series={[
            { label: 'Median (p50)', values: data.duration.p50Ms, kind: 'line' },
            { label: 'p99', values: data.duration.p99Ms, kind: 'line' },
            { label: 'Longest', values: data.duration.maxMs, kind: 'line' },
          ]}
        />
      </div>
    </>
  );
}

export function WebhookCharts({ data }: { data: WebhookMetricsResponse }) {
  const { starts, bucketMs } = data;
  const reasons = Object.keys(data.rejectedByReason).sort();
  return (
    <>
      <Truncated truncated={data.truncated} />
      <div className="chart-grid">
        <TimeSeriesChart
          title="Webhook deliveries by verdict"
          starts={starts}
          bucketMs={bucketMs}
          totals
          series={[
            { label: 'Accepted', values: data.accepted, kind: 'bar' },
            { label: 'Duplicate', values: data.duplicates, kind: 'bar' },
            { label: 'Rejected', values: data.rejected, kind: 'bar' },
            { label: 'Handshake / challenge', values: data.other, kind: 'bar' },
          ]}
        />
        <TimeSeriesChart
          title="Rejected deliveries by reason"
          starts={starts}
          bucketMs={bucketMs}
          totals
          series={
            reasons.length > 0
              ? reasons.map((reason) => ({ label: reason, values: data.rejectedByReason[reason]!, kind: 'bar' }))
              : [{ label: 'Rejected', values: data.rejected, kind: 'bar' }]
          }
        />
        <TimeSeriesChart
          title="Webhook handling time"
          starts={starts}
          bucketMs={bucketMs}
          format={formatDuration}
          minAxis={1000}
          series={[
            { label: 'Median (p50)', values: data.handlingP50Ms, kind: 'line' },
            { label: 'p99', values: data.handlingP99Ms, kind: 'line' },
          ]}
        />
      </div>
      <p className="muted">
        {formatNumber(data.received.reduce((sum, value) => sum + value, 0))} deliveries received in this range.
      </p>
    </>
  );
}

export function ThrottleCharts({ data }: { data: RateLimitMetricsResponse }) {
  const { starts, bucketMs } = data;
  if (data.providers.length === 0)
    return <p className="muted">No provider answered 429 and no call had to wait in this range.</p>;
  return (
    <div className="chart-grid">
      <TimeSeriesChart
        title="429 answers per provider"
        starts={starts}
        bucketMs={bucketMs}
        totals
        series={data.providers.map((series) => ({
          label: series.provider,
          values: series.responses429,
          kind: 'bar',
        }))}
      />
      <TimeSeriesChart
        title="Throttle waits per provider"
        starts={starts}
        bucketMs={bucketMs}
        totals
        series={data.providers.map((series) => ({
          label: series.provider,
          values: series.throttleWaits,
          kind: 'bar',
        }))}
      />
      <TimeSeriesChart
        title="Time spent waiting per provider"
        starts={starts}
        bucketMs={bucketMs}
        format={formatDuration}
        minAxis={1000}
        totals
        series={data.providers.map((series) => ({
          label: series.provider,
          values: series.throttleWaitMs,
          kind: 'bar',
        }))}
      />
    </div>
  );
}
