/**
 * Slack Web API facts the adapter depends on, as data: method names, page limits, and how Slack's error strings
 * (HTTP 200 with {"ok": false, "error": "…"}) map onto the adapter error taxonomy.
 */
import type { ErrorCode } from '../../core/app-error';
import { endpointPath, SLACK_PROVIDER } from '../../core/providers';

export const SLACK_FACTS = {
  entities: SLACK_PROVIDER.entities.supported,
  // Messages per history/replies call depend on the app's distribution: SLACK_READ_LIMITS in core/providers/slack.
  maxUsersLimit: 200,
  /** Edits do not move a message's ts, so incremental reads look back this far for edited messages. */
  defaultEditLookbackMs: 24 * 3600_000,
  tokenPath: endpointPath(SLACK_PROVIDER.oauth.tokenUrl),
} as const;

export type SlackEntity = (typeof SLACK_FACTS.entities)[number];

export const SLACK_ERROR_CODES: Record<string, ErrorCode> = {
  token_expired: 'auth_expired',
  not_authed: 'auth_revoked',
  invalid_auth: 'auth_revoked',
  account_inactive: 'auth_revoked',
  token_revoked: 'auth_revoked',
  invalid_refresh_token: 'auth_revoked',
  invalid_grant: 'auth_revoked',
  ratelimited: 'rate_limited',
  channel_not_found: 'not_found',
  message_not_found: 'not_found',
  user_not_found: 'not_found',
  thread_not_found: 'not_found',
  missing_scope: 'forbidden',
  not_in_channel: 'forbidden',
  is_archived: 'forbidden',
  cant_update_message: 'forbidden',
  cant_delete_message: 'forbidden',
  edit_window_closed: 'forbidden',
  restricted_action: 'forbidden',
  internal_error: 'transient',
  fatal_error: 'transient',
  service_unavailable: 'transient',
  request_timeout: 'transient',
};

/** A Slack ts ("1700000000.000100") as ISO-8601; undefined for anything else. */
export function tsToIso(ts: unknown): string | undefined {
  if (typeof ts !== 'string' || !/^\d+\.\d{6}$/.test(ts)) return undefined;
  return new Date(Math.floor(Number(ts) * 1000)).toISOString();
}

/** Compares two ts strings exactly (as microseconds), without float rounding. */
export function compareTs(a: string, b: string): number {
  const [as = '0', af = '0'] = a.split('.');
  const [bs = '0', bf = '0'] = b.split('.');
  const left = BigInt(as) * 1_000_000n + BigInt(af.padEnd(6, '0'));
  const right = BigInt(bs) * 1_000_000n + BigInt(bf.padEnd(6, '0'));
  return left < right ? -1 : left > right ? 1 : 0;
}

/** ts minus a duration, clamped at zero, in Slack's ts format. */
export function tsMinusMs(ts: string, ms: number): string {
  const [s = '0', f = '0'] = ts.split('.');
  const micros = BigInt(s) * 1_000_000n + BigInt(f.padEnd(6, '0')) - BigInt(ms) * 1000n;
  const clamped = micros < 0n ? 0n : micros;
  return `${clamped / 1_000_000n}.${String(clamped % 1_000_000n).padStart(6, '0')}`;
}
