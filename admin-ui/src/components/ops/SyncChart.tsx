/**
 * Records synced (bars) and errors (line) per time bucket, drawn as inline SVG, with the same figures as a
 * table for screen readers and anyone who prefers numbers. No chart library: a few rectangles and a path.
 */
import type { SyncMetricsBucket } from '../../../../shared/admin/contracts/operations';
import { formatNumber } from '../../format';
import './ops.css';

const WIDTH = 720;
const HEIGHT = 220;
const PAD = { left: 44, right: 44, top: 12, bottom: 28 };

/** A "nice" axis maximum (1, 2 or 5 times a power of ten) at or above the value. */
export function niceMax(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 5, 10].map((step) => step * power).find((candidate) => candidate >= value)!;
}

/** Axis ticks at 0, half and full, leaving out a half that is not a whole number (counts are whole). */
export function ticks(max: number): number[] {
  return Number.isInteger(max / 2) ? [0, 0.5, 1] : [0, 1];
}

function bucketLabel(iso: string, bucketMs: number): string {
  const date = new Date(iso);
  return bucketMs >= 86_400_000
    ? date.toLocaleDateString([], { month: 'short', day: 'numeric' })
    : date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

export function SyncChart({
  buckets,
  bucketMs,
  title,
}: {
  buckets: SyncMetricsBucket[];
  bucketMs: number;
  title: string;
}) {
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const syncedMax = niceMax(Math.max(0, ...buckets.map((bucket) => bucket.synced)));
  const errorsMax = niceMax(Math.max(0, ...buckets.map((bucket) => bucket.errors)));
  const slot = plotW / Math.max(1, buckets.length);
  const x = (index: number) => PAD.left + index * slot;
  const ySynced = (value: number) => PAD.top + plotH - (value / syncedMax) * plotH;
  const yErrors = (value: number) => PAD.top + plotH - (value / errorsMax) * plotH;
  const labelEvery = Math.max(1, Math.ceil(buckets.length / 8));
  const errorPath = buckets
    .map(
      (bucket, index) =>
        `${index === 0 ? 'M' : 'L'}${(x(index) + slot / 2).toFixed(1)},${yErrors(bucket.errors).toFixed(1)}`,
    )
    .join(' ');
  const totalSynced = buckets.reduce((sum, bucket) => sum + bucket.synced, 0);
  const totalErrors = buckets.reduce((sum, bucket) => sum + bucket.errors, 0);

  return (
    <figure className="card" style={{ margin: '0 0 1rem' }}>
      <figcaption>
        <strong>{title}</strong>
        <ul className="legend">
          <li>
            <span className="swatch swatch-synced" aria-hidden="true" />
            Records synced (created + updated + deleted), left axis: {formatNumber(totalSynced)} in all
          </li>
          <li>
            <span className="swatch swatch-errors" aria-hidden="true" />
            Errors, right axis: {formatNumber(totalErrors)} in all
          </li>
        </ul>
      </figcaption>
      <div className="chart-scroll">
        <svg
          className="chart"
          viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
          role="img"
          aria-label={`${title}: ${formatNumber(totalSynced)} records synced and ${formatNumber(totalErrors)} errors in ${buckets.length} intervals; the table below has every value.`}
        >
          <g className="grid">
            {[0, 0.5, 1].map((share) => (
              <line
                key={share}
                x1={PAD.left}
                x2={WIDTH - PAD.right}
                y1={PAD.top + plotH * (1 - share)}
                y2={PAD.top + plotH * (1 - share)}
              />
            ))}
          </g>
          <g className="axis">
            {ticks(syncedMax).map((share) => (
              <text key={`l${share}`} x={PAD.left - 6} y={PAD.top + plotH * (1 - share) + 4} textAnchor="end">
                {formatNumber(syncedMax * share)}
              </text>
            ))}
            {ticks(errorsMax).map((share) => (
              <text key={`r${share}`} x={WIDTH - PAD.right + 6} y={PAD.top + plotH * (1 - share) + 4}>
                {formatNumber(errorsMax * share)}
              </text>
            ))}
            {buckets.map((bucket, index) =>
              index % labelEvery === 0 ? (
                <text key={bucket.start} x={x(index) + slot / 2} y={HEIGHT - 8} textAnchor="middle">
                  {bucketLabel(bucket.start, bucketMs)}
                </text>
              ) : null,
            )}
          </g>
          <g>
            {buckets.map((bucket, index) => (
              <rect
                key={bucket.start}
                className="bar-synced"
                x={x(index) + slot * 0.15}
                width={Math.max(1, slot * 0.7)}
                y={ySynced(bucket.synced)}
                height={Math.max(0, PAD.top + plotH - ySynced(bucket.synced))}
              >
                <title>{`${bucketLabel(bucket.start, bucketMs)}: ${bucket.synced} synced, ${bucket.errors} errors`}</title>
              </rect>
            ))}
          </g>
          {buckets.length > 0 && <path className="line-errors" d={errorPath} />}
          {buckets.map((bucket, index) =>
            bucket.errors > 0 ? (
              <circle
                key={bucket.start}
                className="dot-errors"
                cx={x(index) + slot / 2}
                cy={yErrors(bucket.errors)}
                r={3}
              />
            ) : null,
          )}
        </svg>
      </div>
      <details>
        <summary>Show as a table</summary>
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">{title}</caption>
            <thead>
              <tr>
                <th scope="col">From</th>
                <th scope="col" className="numeric">
                  Runs
                </th>
                <th scope="col" className="numeric">
                  Failed runs
                </th>
                <th scope="col" className="numeric">
                  Records synced
                </th>
                <th scope="col" className="numeric">
                  Errors
                </th>
                <th scope="col" className="numeric">
                  Conflicts
                </th>
              </tr>
            </thead>
            <tbody>
              {buckets.map((bucket) => (
                <tr key={bucket.start}>
                  <th scope="row">{new Date(bucket.start).toLocaleString()}</th>
                  <td className="numeric">{bucket.runs}</td>
                  <td className="numeric">{bucket.failedRuns}</td>
                  <td className="numeric">{bucket.synced}</td>
                  <td className="numeric">{bucket.errors}</td>
                  <td className="numeric">{bucket.conflicts}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
