/**
 * The activity log and the per-run log (issue 18 §3), as the admin API answers them and the admin UI reads them.
 * Types only: the UI imports this file directly.
 */

export const ACTIVITY_TYPES = ['run', 'webhook', 'conflict', 'credential', 'notification', 'config'] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];

/** One thing that happened in a tenant: a run ended, a webhook verdict, an admin change (the audit trail), … */
export interface ActivityItem {
  /** When it happened (ISO-8601). */
  at: string;
  type: ActivityType;
  integrationId: string;
  integrationName: string;
  /** What came of it: "succeeded", "failed", "accepted", "rejected", "opened", "resolved", "changed", "sent", … */
  status: string;
  summary: string;
  runId?: string;
  deliveryId?: string;
  /** The admin principal behind an admin change. */
  actor?: string;
}

/** GET …/activity */
export interface ActivityPage {
  items: ActivityItem[];
  continuationToken?: string;
}

export type RunLogLevel = 'debug' | 'info' | 'warn' | 'error';

/** One provider HTTP call, its URL without any credential, token, signature or secret query parameter. */
export interface RunLogRequest {
  method: string;
  url: string;
  /** The provider's HTTP status; 0 when no answer came (network error, timeout). */
  status: number;
  durationMs: number;
  /** 1 for the first try of the call; more for the same call sent again (after a token refresh, or a retried page). */
  attempt: number;
  rateLimitRemaining?: number;
}

export interface RunLogItem {
  at: string;
  level: RunLogLevel;
  message: string;
  page?: number;
  request?: RunLogRequest;
}

/** GET …/integrations/{integrationId}/runs/{runId}/log */
export interface RunLog {
  items: RunLogItem[];
}
