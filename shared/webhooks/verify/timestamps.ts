/** The replay window shared by timestamped schemes (Slack, Standard Webhooks): checked in both directions. */

export const DEFAULT_TIMESTAMP_TOLERANCE_MS = 5 * 60 * 1000;

export type TimestampVerdict = 'fresh' | 'stale_timestamp' | 'future_timestamp' | 'malformed';

/** `value` is a Unix time in whole seconds, as both Slack and Standard Webhooks send it. */
export function checkTimestamp(value: string, nowMs: number, toleranceMs: number): TimestampVerdict {
  if (!/^\d{1,12}$/.test(value)) return 'malformed';
  const sentMs = Number(value) * 1000;
  if (sentMs < nowMs - toleranceMs) return 'stale_timestamp';
  if (sentMs > nowMs + toleranceMs) return 'future_timestamp';
  return 'fresh';
}
