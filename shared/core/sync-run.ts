/**
 * A sync run: one mode over one integration, started by the scheduler, an operator or a webhook, with the
 * counters operators watch. Stored in `sync-runs` (partition /integrationId); readable while it goes on.
 */
import { z } from 'zod';
import { sha256Hex } from './sha256';

export const SYNC_MODES = ['incremental', 'full', 'targeted'] as const;
export type SyncMode = (typeof SYNC_MODES)[number];
export type RunTrigger = 'schedule' | 'manual' | 'webhook' | 'redrive';
export type RunStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

/** A run in one of these states has ended: nothing more is fetched or written for it. */
export function runHasEnded(status: RunStatus): boolean {
  return status === 'succeeded' || status === 'failed' || status === 'cancelled';
}

/** POST …/sync: the mode, and optionally only some entities and a backfill date (checked against the integration). */
export const startSyncSchema = z
  .object({
    mode: z.enum(['incremental', 'full']),
    entities: z.array(z.string().min(1)).min(1).optional(),
    since: z.string().min(1).optional(),
  })
  .strict();
export type StartSyncBody = z.infer<typeof startSyncSchema>;

export interface RunCounters {
  fetched: number;
  created: number;
  updated: number;
  unchanged: number;
  deleted: number;
  conflicts: number;
  errors: number;
  pages: number;
}

export interface SyncRun {
  id: string;
  integrationId: string;
  tenantId: string;
  mode: SyncMode;
  trigger: RunTrigger;
  status: RunStatus;
  counters: RunCounters;
  queuedAt: string;
  startedAt?: string;
  finishedAt?: string;
  lastError?: { code: string; message: string; target?: string };
  /** Counters of each committed page, by page number (the totals above are their sum). */
  pageCounters?: Record<string, RunCounters>;
  /** The latest record-level errors (bounded): the record, the field and why. */
  recordErrors?: Array<{ page: number; recordId: string; field?: string; code: string; message: string }>;
  traceId: string;
  /** What a targeted run was started for, kept so that a retry repeats it. */
  entity?: string;
  ids?: string[];
  /** A retry: the failed run it repeats; on the failed run, the retry that was started for it. */
  retryOf?: string;
  retriedBy?: string;
  /** Last sign of life: a page started or committed, or the time a rescheduled page is due. The stale-run sweeper reads it. */
  heartbeatAt?: string;
  /** The checkpoint to resume from: the page enqueued after the last committed one (its message id is run id + page). */
  resume?: { page: number; entity?: string; cursor?: string };
  /** How often the stale-run sweeper re-enqueued this run. */
  resumes?: number;
  /** An operator cancelled the run (status `cancelled`): who, and when. */
  cancelledBy?: string;
  /** A backfill: the run reads each entity's changes from this time (ISO-8601) instead of its checkpoint. */
  since?: string;
  /** A resync of some entities only (the integration's entities otherwise), kept so that a retry repeats it. */
  entities?: string[];
  /** What the run is doing now, for the live run card (written by shared/sync/runs/progress.ts only). */
  live?: RunLive;
}

/**
 * The page in hand, the provider's total where the adapter reports one, and why the run waits (a rate limit, a
 * retry after a provider error, the provider's pace) and until when, so a paused run does not look frozen.
 */
export interface RunLive {
  page: number;
  entity?: string;
  pageStartedAt: string;
  /** Records the provider says the entity holds (only where the adapter reports one). */
  providerTotal?: number;
  waiting?: RunWait;
}

export interface RunWait {
  kind: 'rate_limited' | 'retry' | 'pace';
  /** One sentence: "rate-limited by github", "retrying page 7 after a provider error (HTTP 503)". */
  reason: string;
  /** When the run goes on (ISO-8601). */
  until: string;
}

export function emptyCounters(): RunCounters {
  return { fetched: 0, created: 0, updated: 0, unchanged: 0, deleted: 0, conflicts: 0, errors: 0, pages: 0 };
}

/** The body of a `sync-inbound` message: one page of one run. */
export interface SyncJobMessage {
  kind: 'sync-page';
  runId: string;
  tenantId: string;
  integrationId: string;
  mode: SyncMode;
  page: number;
  entity?: string;
  cursor?: string;
  /** Targeted syncs (webhooks): the provider ids to fetch. */
  ids?: string[];
  /** Failed attempts of this page so far (rescheduled copies carry it). */
  attempt?: number;
  /** A backfill from this time (ISO-8601): the first page of each entity reads from it, not from the checkpoint. */
  since?: string;
  /** Only these entities, in this order (the integration's entities otherwise). */
  entities?: string[];
}

export const syncJobMessageSchema = z.object({
  kind: z.literal('sync-page'),
  runId: z.string().min(1),
  tenantId: z.string().min(1),
  integrationId: z.string().min(1),
  mode: z.enum(SYNC_MODES),
  page: z.number().int().min(0),
  entity: z.string().optional(),
  cursor: z.string().optional(),
  ids: z.array(z.string()).optional(),
  attempt: z.number().int().min(0).optional(),
  since: z.string().optional(),
  entities: z.array(z.string()).optional(),
});

/**
 * Why a `sync-inbound` message of a page is sent. Every page message id is built by `pageMessageId`: the queue's
 * duplicate detection drops a second message with the same id inside its window, so each reason has its own
 * scheme, and the same reason always yields the same id.
 * - `page`: the first page of a run and each next page (`<run>:<page>`): a redelivered page enqueues its
 *   successor once, and a repeated start of the same run enqueues its first page once.
 * - `resume`: the stale-run sweeper re-enqueueing a run's next page (`<run>:<page>:resume<n>`, n = the run's
 *   resumes so far), so a resume is never mistaken for the lost original.
 * - `retry`: a scheduled copy after a failure (`<run>:<page>:a<attempt>.<lineage>`, lineage = the first 12 hex
 *   of the SHA-256 of the delivered message's id): the same delivery reschedules the same copy, while a
 *   re-driven message (a new id) gets a new copy whose fresh budget counts from attempt 1 again.
 */
export type PageMessageReason =
  | { kind: 'page' }
  | { kind: 'resume'; resumes: number }
  | { kind: 'retry'; attempt: number; deliveredMessageId: string };

export function pageMessageId(runId: string, page: number, reason: PageMessageReason = { kind: 'page' }): string {
  switch (reason.kind) {
    case 'page':
      return `${runId}:${page}`;
    case 'resume':
      return `${runId}:${page}:resume${reason.resumes}`;
    case 'retry':
      return `${runId}:${page}:a${reason.attempt}.${sha256Hex(reason.deliveredMessageId).slice(0, 12)}`;
  }
}

/** The body of a `sync-outbound` message: one changed shard to push. */
export const outboundJobMessageSchema = z.object({
  kind: z.literal('push-shard'),
  tenantId: z.string().min(1),
  integrationId: z.string().min(1),
  shardId: z.string().min(1),
  etag: z.string().optional(),
  /** Failed attempts so far (rescheduled copies carry it). */
  attempt: z.number().int().min(0).optional(),
});
export type OutboundJobMessage = z.infer<typeof outboundJobMessageSchema>;
