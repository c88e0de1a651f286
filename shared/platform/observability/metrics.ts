/**
 * Counters operators watch (records synced, errors, retries, dead letters, webhook verdicts). Kept in memory
 * per instance and exposed through the health/admin API; in Azure they also go to Application Insights
 * as OpenTelemetry metrics when telemetry is enabled.
 */
import { metrics as otelMetrics, type Counter } from '@opentelemetry/api';

export type MetricName =
  | 'records_synced'
  | 'record_errors'
  | 'sync_runs_started'
  | 'sync_runs_failed'
  | 'sync_runs_resumed'
  | 'page_retries'
  | 'dead_letters'
  | 'webhook_verdicts'
  | 'scheduler_claims'
  /** Queue-triggered invocations by function, where they ran (host, worker-<n>) and outcome (local host). */
  | 'queue_invocations';

export class Metrics {
  private readonly values = new Map<string, number>();
  private readonly otelCounters = new Map<MetricName, Counter>();

  increment(name: MetricName, by = 1, labels: Record<string, string> = {}): void {
    const key = labelKey(name, labels);
    this.values.set(key, (this.values.get(key) ?? 0) + by);
    let counter = this.otelCounters.get(name);
    if (!counter) {
      counter = otelMetrics.getMeter('integration-sync-engine').createCounter(name);
      this.otelCounters.set(name, counter);
    }
    counter.add(by, labels);
  }

  get(name: MetricName, labels: Record<string, string> = {}): number {
    return this.values.get(labelKey(name, labels)) ?? 0;
  }

  snapshot(): Record<string, number> {
    return Object.fromEntries(this.values);
  }
}

function labelKey(name: string, labels: Record<string, string>): string {
  // Label names are identifiers: ordered by code unit (the default sort), not by locale, which cost more than
  // the rest of counting on the webhook path (every delivery counts its verdict).
  const keys = Object.keys(labels);
  if (keys.length === 0) return name;
  if (keys.length > 1) keys.sort();
  let key = `${name}{`;
  for (let i = 0; i < keys.length; i++) key += `${i ? ',' : ''}${keys[i]}=${labels[keys[i]!]}`;
  return `${key}}`;
}
