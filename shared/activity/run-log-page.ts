/**
 * One page's share of a run's log, gathered in memory while the page runs (every provider call with its status
 * and duration, every limiter wait, the retry or failure that ended it) and written as ONE document when the page
 * ends: a write per page, never a write per call, so logging does not slow a sync down.
 */
import type { ProviderCall, ProviderCallObserver } from '../adapters/contract';
import type { RunLogItem, RunLogLevel } from '../admin/contracts/activity';
import type { ActivityRepository, RunLogDoc } from '../stores/documents/activity-repository';

/** A page that makes more calls than this keeps the first ones and a line saying how many were left out. */
export const MAX_ITEMS_PER_PAGE = 500;

export interface RunLogTarget {
  tenantId: string;
  integrationId: string;
  runId: string;
  page: number;
  /** 1 for the page's first delivery, more for a page retried after a failure. */
  attempt: number;
}

export class RunLogPage implements ProviderCallObserver {
  private readonly items: RunLogItem[] = [];
  private dropped = 0;

  constructor(
    readonly target: RunLogTarget,
    private readonly now: () => Date,
  ) {}

  get size(): number {
    return this.items.length;
  }

  onRequest(call: ProviderCall): void {
    const level: RunLogLevel = call.status === 0 || call.status >= 500 || call.status === 429 ? 'warn' : 'info';
    const answer = call.status === 0 ? `no answer (${call.failure ?? 'network error'})` : `${call.status}`;
    this.add({
      level,
      message: `${call.operation}: ${call.method} ${answer} in ${call.durationMs} ms`,
      request: {
        method: call.method,
        url: call.url,
        status: call.status,
        durationMs: call.durationMs,
        // A retried page sends its calls again: the call's attempt counts the page's earlier attempts too.
        attempt: call.attempt + this.target.attempt - 1,
        ...(call.rateLimitRemaining !== undefined ? { rateLimitRemaining: call.rateLimitRemaining } : {}),
      },
    });
  }

  onWait(operation: string, waitedMs: number): void {
    this.add({ level: 'info', message: `${operation}: waited ${waitedMs} ms for the rate limiter` });
  }

  log(level: RunLogLevel, message: string): void {
    this.add({ level, message });
  }

  /** The page's document, or undefined when nothing was logged. */
  document(retentionDays: number): RunLogDoc | undefined {
    if (this.items.length === 0) return undefined;
    const { tenantId, integrationId, runId, page, attempt } = this.target;
    const items =
      this.dropped > 0
        ? [
            ...this.items,
            {
              at: this.now().toISOString(),
              level: 'warn' as const,
              message: `${this.dropped} more lines of this page were not kept (at most ${MAX_ITEMS_PER_PAGE} a page)`,
              page,
            },
          ]
        : this.items;
    return {
      id: `${runId}~${page}~${attempt}`,
      tenantId,
      kind: 'run-log',
      integrationId,
      runId,
      page,
      attempt,
      at: this.now().toISOString(),
      items,
      ttl: retentionDays * 86_400,
    };
  }

  /** One write; a failure is the caller's to log (the page's outcome never depends on its log). */
  async write(repository: Pick<ActivityRepository, 'appendRunLog'>, retentionDays: number): Promise<void> {
    const doc = this.document(retentionDays);
    if (doc) await repository.appendRunLog(doc);
  }

  private add(item: Omit<RunLogItem, 'at' | 'page'>): void {
    if (this.items.length >= MAX_ITEMS_PER_PAGE) {
      this.dropped++;
      return;
    }
    this.items.push({ at: this.now().toISOString(), ...item, page: this.target.page });
  }
}
