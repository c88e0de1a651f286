/** A coloured status word (integration status, run status, verdicts); the word itself carries the meaning. */
const TONES: Record<string, 'ok' | 'warn' | 'bad' | 'busy' | 'neutral'> = {
  active: 'ok',
  succeeded: 'ok',
  connected: 'ok',
  healthy: 'ok',
  accepted: 'ok',
  resolved: 'ok',
  ok: 'ok',
  running: 'busy',
  queued: 'busy',
  pending: 'busy',
  open: 'warn',
  needs_reauth: 'warn',
  degraded: 'warn',
  expiring: 'warn',
  disabled: 'neutral',
  cancelled: 'neutral',
  failed: 'bad',
  error: 'bad',
  rejected: 'bad',
  down: 'bad',
  unhealthy: 'bad',
  failing: 'bad',
  stale: 'warn',
  never_synced: 'neutral',
  waiting: 'warn',
};

export function StatusBadge({ status, label }: { status: string; label?: string }) {
  const tone = TONES[status] ?? 'neutral';
  return <span className={`badge badge-${tone}`}>{label ?? status.replace(/_/g, ' ')}</span>;
}
