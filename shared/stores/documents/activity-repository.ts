/**
 * The activity port (container `activity`, partition /tenantId): the tenant's activity log (what runs, webhook
 * verdicts, conflicts, credentials, notifications and admins did) and the per-run logs (each page's provider
 * calls, waits and retries), told apart by `kind`. Both carry a Cosmos `ttl` (seconds), so old entries expire
 * without a sweeper. Every read goes through the tenant. Implementations: cosmos/activity-repository.ts,
 * memory/activity-repository.ts.
 */
import type { ActivityItem, ActivityType, RunLogItem } from '../../admin/contracts/activity';

export interface ActivityDoc extends ActivityItem {
  /** Sortable and unique: the time first, so newest first is id order (see activityDocId). */
  id: string;
  tenantId: string;
  kind: 'activity';
  /** Seconds until the store drops it. */
  ttl: number;
}

/** One page's share of a run's log: written once, when the page ends (one write per page, not per call). */
export interface RunLogDoc {
  /** runId, page and the page's attempt: a retried page writes its own document beside the failed one. */
  id: string;
  tenantId: string;
  kind: 'run-log';
  integrationId: string;
  runId: string;
  page: number;
  attempt: number;
  /** When the page's log was written. */
  at: string;
  items: RunLogItem[];
  ttl: number;
}

export interface ActivityFilter {
  integrationId?: string;
  type?: ActivityType;
  status?: string;
  /** ISO-8601 bounds on `at`, both inclusive. */
  from?: string;
  to?: string;
}

export interface ActivityListPage {
  items: ActivityDoc[];
  /** The id of the last item given: the next page starts below it. Absent on the last page. */
  after?: string;
}

export interface ActivityRepository {
  /** Writes the items (in as few calls as the store allows). */
  appendMany(docs: ActivityDoc[]): Promise<void>;
  /** Newest first, at most `limit`, starting below the id `after` when given. */
  list(tenantId: string, filter: ActivityFilter, page: { limit: number; after?: string }): Promise<ActivityListPage>;
  appendRunLog(doc: RunLogDoc): Promise<void>;
  /** Every page document of one run, oldest page first (bounded to `limit` documents, default 1000). */
  runLog(tenantId: string, integrationId: string, runId: string, limit?: number): Promise<RunLogDoc[]>;
}

/** `<at>~<random>`: unique, and ordering ids orders by time (ISO-8601 UTC strings of one length sort as times). */
export function activityDocId(at: string, random: string): string {
  return `${at}~${random}`;
}

/** A run's log reads page by page, a retried page after the attempt it repeats. */
export function byPageThenTime(a: RunLogDoc, b: RunLogDoc): number {
  return a.page - b.page || a.attempt - b.attempt || (a.at < b.at ? -1 : a.at > b.at ? 1 : 0);
}
