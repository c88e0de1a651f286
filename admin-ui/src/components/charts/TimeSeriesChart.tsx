/**
 * One time series chart as inline SVG (no chart library): bars (stacked when there are several) and lines over
 * the same buckets, a value axis, time labels and a legend, with a Chart / Table switch. The table holds exactly
 * the figures the chart draws, one row per bucket, for screen readers and for anyone who would rather read.
 */
import { useId, useState } from 'react';
import { formatNumber } from '../../format';
import { niceMax } from '../ops/SyncChart';
import './charts.css';

export interface SeriesDef {
  label: string;
  /** One value per bucket; null: nothing to show there (a percentile of no sample). */
  values: ReadonlyArray<number | null>;
  kind: 'bar' | 'line';
}

export interface TimeSeriesChartProps {
  title: string;
  /** Bucket starts, ISO times. */
  starts: readonly string[];
  bucketMs: number;
  series: readonly SeriesDef[];
  /** How a value reads (axis, tooltips, table); whole numbers by default. */
  format?: (value: number) => string;
  /** A last table row with each bar series' sum (counts; lines such as percentiles get none). */
  totals?: boolean;
  /** The value axis reaches at least this far (durations: a second, so an empty chart does not read "1 ms"). */
  minAxis?: number;
}

const WIDTH = 720;
const HEIGHT = 220;
const PAD = { left: 56, right: 30, top: 12, bottom: 28 };
/** Okabe-Ito colours: told apart with every common colour-vision deficiency. */
export const SERIES_COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#999999'];

export function colourOf(index: number): string {
  return SERIES_COLOURS[index % SERIES_COLOURS.length]!;
}

export function bucketLabel(iso: string, bucketMs: number): string {
  const date = new Date(iso);
  if (bucketMs >= 86_400_000) return date.toLocaleDateString([], { month: 'short', day: 'numeric' });
  return date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

function bucketRange(iso: string, bucketMs: number): string {
  const start = new Date(iso);
  const end = new Date(start.getTime() + bucketMs);
  return `${start.toLocaleString()} – ${bucketMs >= 86_400_000 ? end.toLocaleDateString() : end.toLocaleTimeString()}`;
}

/** The highest point drawn: the tallest stack of bars or the highest line value. */
export function peakOf(series: readonly SeriesDef[], count: number): number {
  let peak = 0;
  for (let index = 0; index < count; index++) {
    let stack = 0;
    for (const one of series) {
      const value = one.values[index] ?? 0;
      if (one.kind === 'bar') stack += value;
      else peak = Math.max(peak, value);
    }
    peak = Math.max(peak, stack);
  }
  return peak;
}

function ChartView({ title, starts, bucketMs, series, format = formatNumber, minAxis = 1 }: TimeSeriesChartProps) {
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const max = niceMax(Math.max(minAxis, peakOf(series, starts.length)));
  const slot = plotW / Math.max(1, starts.length);
  const x = (index: number) => PAD.left + index * slot;
  const y = (value: number) => PAD.top + plotH - (value / max) * plotH;
  const labelEvery = Math.max(1, Math.ceil(starts.length / 8));
  const bars = series.map((one, index) => ({ one, colour: colourOf(index) })).filter(({ one }) => one.kind === 'bar');
  const lines = series.map((one, index) => ({ one, colour: colourOf(index) })).filter(({ one }) => one.kind === 'line');
  const empty = series.every((one) => one.values.every((value) => !value));

  return (
    <div className="chart-scroll">
      <svg
        className="chart"
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-label={`${title}: ${series.map((one) => one.label).join(', ')} over ${starts.length} intervals${empty ? ', all zero' : ''}. Choose Table for every value.`}
      >
        <g className="grid">
          {[0, 0.5, 1].map((share) => (
            <line key={share} x1={PAD.left} x2={WIDTH - PAD.right} y1={y(max * share)} y2={y(max * share)} />
          ))}
        </g>
        <g className="axis">
          {[0, 0.5, 1].map((share) => (
            <text key={share} x={PAD.left - 6} y={y(max * share) + 4} textAnchor="end">
              {format(max * share)}
            </text>
          ))}
          {starts.map((start, index) =>
            index % labelEvery === 0 ? (
              <text key={start} x={x(index) + slot / 2} y={HEIGHT - 8} textAnchor="middle">
                {bucketLabel(start, bucketMs)}
              </text>
            ) : null,
          )}
        </g>
        <g>
          {starts.map((start, index) => {
            let base = 0;
            return bars.map(({ one, colour }) => {
              const value = one.values[index] ?? 0;
              if (value <= 0) return null;
              const top = y(base + value);
              const height = y(base) - top;
              base += value;
              return (
                <rect
                  key={`${one.label}-${start}`}
                  x={x(index) + slot * 0.15}
                  width={Math.max(1, slot * 0.7)}
                  y={top}
                  height={Math.max(0.5, height)}
                  fill={colour}
                >
                  <title>{`${bucketLabel(start, bucketMs)} · ${one.label}: ${format(value)}`}</title>
                </rect>
              );
            });
          })}
        </g>
        {lines.map(({ one, colour }) => {
          // A null breaks the line: no sample there, which is not the same as zero.
          const path = one.values
            .map((value, index) =>
              value === null
                ? ''
                : `${index === 0 || one.values[index - 1] === null ? 'M' : 'L'}${(x(index) + slot / 2).toFixed(1)},${y(value).toFixed(1)}`,
            )
            .join(' ');
          return (
            <g key={one.label}>
              <path d={path} fill="none" stroke={colour} strokeWidth={2} />
              {one.values.map((value, index) =>
                value === null ? null : (
                  <circle key={index} cx={x(index) + slot / 2} cy={y(value)} r={2.5} fill={colour}>
                    <title>{`${bucketLabel(starts[index]!, bucketMs)} · ${one.label}: ${format(value)}`}</title>
                  </circle>
                ),
              )}
            </g>
          );
        })}
        {empty && (
          <text x={PAD.left + plotW / 2} y={PAD.top + plotH / 2} textAnchor="middle" className="chart-empty">
            Nothing in this range
          </text>
        )}
      </svg>
    </div>
  );
}

function TableView({ title, starts, bucketMs, series, format = formatNumber, totals }: TimeSeriesChartProps) {
  const show = (value: number | null | undefined) => (value === null || value === undefined ? '—' : format(value));
  return (
    <div className="table-wrap">
      <table>
        <caption className="visually-hidden">{title}</caption>
        <thead>
          <tr>
            <th scope="col">Interval</th>
            {series.map((one) => (
              <th key={one.label} scope="col" className="numeric">
                {one.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {starts.map((start, index) => (
            <tr key={start}>
              <th scope="row">{bucketRange(start, bucketMs)}</th>
              {series.map((one) => (
                <td key={one.label} className="numeric">
                  {show(one.values[index])}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
        {totals && (
          <tfoot>
            <tr>
              <th scope="row">Total</th>
              {series.map((one) => (
                <td key={one.label} className="numeric">
                  {/* Counts add up; a line (a percentile, a level) does not. */}
                  {one.kind === 'bar' ? format(one.values.reduce<number>((sum, value) => sum + (value ?? 0), 0)) : '—'}
                </td>
              ))}
            </tr>
          </tfoot>
        )}
      </table>
    </div>
  );
}

export function TimeSeriesChart(props: TimeSeriesChartProps) {
  const [view, setView] = useState<'chart' | 'table'>('chart');
  const titleId = useId();
  return (
    <figure className="card time-series" aria-labelledby={titleId}>
      <div className="time-series-head">
        <h3 id={titleId}>{props.title}</h3>
        <div className="view-switch" role="group" aria-label={`Show ${props.title} as`}>
          {(['chart', 'table'] as const).map((option) => (
            <button
              key={option}
              type="button"
              className="small"
              aria-pressed={view === option}
              onClick={() => setView(option)}
            >
              {option === 'chart' ? 'Chart' : 'Table'}
            </button>
          ))}
        </div>
      </div>
      <ul className="legend">
        {props.series.map((one, index) => (
          <li key={one.label}>
            <span
              className={`swatch ${one.kind === 'line' ? 'swatch-line' : ''}`}
              style={{ background: colourOf(index) }}
              aria-hidden="true"
            />
            {one.label}
          </li>
        ))}
      </ul>
      {view === 'chart' ? <ChartView {...props} /> : <TableView {...props} />}
    </figure>
  );
}
