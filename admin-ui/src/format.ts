/** Small display helpers shared by pages. */

/** "3 min ago", "in 2 h", or the date for anything older than a week. */
export function relativeTime(iso: string | undefined, now: number = Date.now()): string {
  if (!iso) return '—';
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return iso;
  const seconds = Math.round((then - now) / 1000);
  const abs = Math.abs(seconds);
  const say = (value: number, unit: string) => (seconds < 0 ? `${value} ${unit} ago` : `in ${value} ${unit}`);
  if (abs < 45) return seconds < 0 ? 'just now' : 'in a moment';
  if (abs < 3600) return say(Math.round(abs / 60), 'min');
  if (abs < 86_400) return say(Math.round(abs / 3600), 'h');
  if (abs < 7 * 86_400) return say(Math.round(abs / 86_400), 'd');
  return new Date(then).toLocaleDateString();
}

export function formatNumber(value: number | undefined): string {
  return value === undefined ? '—' : value.toLocaleString('en-US');
}
