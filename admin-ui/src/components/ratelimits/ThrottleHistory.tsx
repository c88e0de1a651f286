/**
 * Throttling over time, from the usage figures the page already polls (GET …/rate-limits/usage): per sample,
 * the longest wait a call would have now and the lowest adaptive factor (below 1 after the provider answered
 * 429 or signalled its budget was low). Kept in the page for the last samples; a sparkline and a table.
 */
import { useEffect, useState } from 'react';
import type { RateLimitUsageResponse } from '../../../../shared/admin/contracts/operations';

export interface ThrottleSample {
  at: string;
  waitMs: number;
  factor: number;
  /** The level that waits longest. */
  level?: string;
}

const MAX_SAMPLES = 60;

export function sampleOf(usage: RateLimitUsageResponse): ThrottleSample {
  let waitMs = 0;
  let factor = 1;
  let level: string | undefined;
  for (const entry of usage.levels) {
    if (entry.kind !== 'rate') continue;
    if (entry.waitMs > waitMs) {
      waitMs = entry.waitMs;
      level = entry.operation ? `${entry.level} ${entry.operation}` : entry.level;
    }
    factor = Math.min(factor, entry.factor);
  }
  return { at: usage.at, waitMs, factor, ...(level ? { level } : {}) };
}

function Sparkline({ values, label }: { values: number[]; label: string }) {
  const width = 240;
  const height = 40;
  const max = Math.max(1, ...values);
  const step = values.length > 1 ? width / (values.length - 1) : width;
  const points = values.map(
    (value, index) => `${(index * step).toFixed(1)},${(height - (value / max) * height).toFixed(1)}`,
  );
  return (
    <svg width={width} height={height} role="img" aria-label={label} className="sparkline">
      <polyline points={points.join(' ')} fill="none" stroke="currentColor" strokeWidth="2" />
    </svg>
  );
}

export function ThrottleHistory({ usage }: { usage: RateLimitUsageResponse | undefined }) {
  const [samples, setSamples] = useState<ThrottleSample[]>([]);
  useEffect(() => {
    if (!usage) return;
    const sample = sampleOf(usage);
    setSamples((now) => (now.at(-1)?.at === sample.at ? now : [...now, sample].slice(-MAX_SAMPLES)));
  }, [usage]);
  const throttled = samples.filter((sample) => sample.waitMs > 0 || sample.factor < 1);
  return (
    <div className="card">
      <h2>Throttling over time</h2>
      <p className="muted">
        Sampled from the usage figures while this page is open ({samples.length} samples). A wait means calls are held
        back now; a factor below 1 means the limiter slowed down after the provider answered 429 or reported a low
        budget.
      </p>
      <Sparkline values={samples.map((sample) => sample.waitMs)} label="Longest wait per sample" />
      <Sparkline values={samples.map((sample) => 1 - sample.factor)} label="Slow-down after 429s per sample" />
      {throttled.length === 0 ? (
        <p>No throttle wait and no 429 slow-down in these samples.</p>
      ) : (
        <div className="table-wrap">
          <table className="stack" aria-label="Throttled samples">
            <thead>
              <tr>
                <th scope="col">At</th>
                <th scope="col">Longest wait (ms)</th>
                <th scope="col">Level</th>
                <th scope="col">Factor</th>
              </tr>
            </thead>
            <tbody>
              {throttled.slice(-15).map((sample) => (
                <tr key={sample.at}>
                  <td>{sample.at}</td>
                  <td>{sample.waitMs}</td>
                  <td>{sample.level ?? '—'}</td>
                  <td>{sample.factor.toFixed(2)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
