/**
 * The live run card: records per second, the page in hand (of the provider's total where the adapter reports
 * one), and, while the run waits, why and until when ("rate-limited by github until 14:03:12", "retrying page 7
 * after a provider error (HTTP 503) until …") instead of counters that look frozen.
 */
import type { RunView } from '../../../../shared/admin/contracts/operations';
import { formatNumber } from '../../format';
import { StatusBadge } from '../StatusBadge';

/** Records fetched per second since the run started (to its end, or now while it goes on). */
export function recordsPerSecond(
  run: Pick<RunView, 'counters' | 'startedAt' | 'finishedAt'>,
  now = Date.now(),
): number | undefined {
  if (!run.startedAt) return undefined;
  const end = run.finishedAt ? Date.parse(run.finishedAt) : now;
  const seconds = (end - Date.parse(run.startedAt)) / 1000;
  if (!(seconds > 0)) return undefined;
  return run.counters.fetched / seconds;
}

export function clockTime(iso: string): string {
  return new Date(iso).toLocaleTimeString('en-GB', { hour12: false });
}

export function LiveRun({ run, now = Date.now() }: { run: RunView; now?: number }) {
  const inFlight = run.status === 'queued' || run.status === 'running';
  const rate = recordsPerSecond(run, now);
  const live = run.live;
  const waiting = inFlight && live?.waiting && Date.parse(live.waiting.until) > now ? live.waiting : undefined;
  return (
    <div className="live-run" aria-label="Progress of this run" data-testid="live-run">
      <dl className="counter-grid">
        <div>
          <dt>Records per second</dt>
          <dd data-counter="rate">
            {rate === undefined ? '—' : rate < 10 ? rate.toFixed(1) : formatNumber(Math.round(rate))}
          </dd>
        </div>
        <div>
          <dt>Page</dt>
          <dd data-counter="page">
            {live ? formatNumber(live.page) : '—'}
            {live?.entity && <span className="muted"> ({live.entity})</span>}
          </dd>
        </div>
        <div>
          <dt>Provider total</dt>
          <dd data-counter="total">{live?.providerTotal !== undefined ? formatNumber(live.providerTotal) : '—'}</dd>
        </div>
      </dl>
      {waiting ? (
        <p role="status" data-testid="run-waiting">
          <StatusBadge
            status="waiting"
            label={waiting.kind === 'rate_limited' ? 'rate-limited' : waiting.kind === 'retry' ? 'retrying' : 'paced'}
          />{' '}
          {waiting.reason[0]!.toUpperCase() + waiting.reason.slice(1)} until{' '}
          <time dateTime={waiting.until}>{clockTime(waiting.until)}</time>.
        </p>
      ) : (
        inFlight && run.status === 'running' && <p className="muted">Working on page {live?.page ?? 0}.</p>
      )}
    </div>
  );
}
