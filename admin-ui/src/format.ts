/** Small display helpers shared by pages. */

/** "3 min ago", "in 2 h", or the date for anything older than a week. */
export function relativeTime(iso: string | undefined, now: number = Date.now()): string {
  if (!iso) return '—';
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return iso;
  // The sign comes from the difference itself: a time 0.4 s ago rounds to -0 seconds, which is not "< 0" and
  // once read as the future ("succeeded in a moment").
  const past = then <= now;
  const abs = Math.round(Math.abs(then - now) / 1000);
  const say = (value: number, unit: string) => (past ? `${value} ${unit} ago` : `in ${value} ${unit}`);
  if (abs < 45) return past ? 'just now' : 'in a moment';
  if (abs < 3600) return say(Math.round(abs / 60), 'min');
  if (abs < 86_400) return say(Math.round(abs / 3600), 'h');
  if (abs < 7 * 86_400) return say(Math.round(abs / 86_400), 'd');
  return new Date(then).toLocaleDateString();
}

export function formatNumber(value: number | undefined): string {
  return value === undefined ? '—' : value.toLocaleString('en-US');
}

/**
 * A run id short enough for a table and still telling runs apart. Scheduled runs are `sched-<integration>-<slot
 * ms>`: cutting them to 8 characters left `sched-de` for every one of them, so the integration's id (known from
 * where the run is shown) is left out and the slot kept (`sched-…-1767225600000`). Other ids (UUIDs) are shown
 * whole; the full id is always in the title attribute where this is used.
 */
export function shortRunId(runId: string, integrationId?: string): string {
  if (integrationId) {
    const inner = `-${integrationId}-`;
    const at = runId.indexOf(inner);
    if (at > 0) return `${runId.slice(0, at)}-…-${runId.slice(at + inner.length)}`;
  }
  return runId;
}
