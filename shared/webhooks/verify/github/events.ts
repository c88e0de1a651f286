/**
 * GitHub events → sync targets. Only issues and issue comments are synced; `ping` and every other event type
 * parse to no targets rather than an error, so new subscriptions never make the receiver fail.
 */
import { contentId } from '../crypto';
import { isRecord, parseJsonObject } from '../json';
import { commentRecordId, issueId } from '../../../adapters/github/ids';
import type { EventOperation, ParseRequest, ParseResult, WebhookEvent } from '../types';
import { GITHUB_DELIVERY_HEADER, GITHUB_EVENT_HEADER } from './verify';

/**
 * Event header value → the entity it changes and the adapter's record id for it (the same ids the GitHub
 * adapter reads and writes: "owner/repo#number" for issues, "owner/repo#comment-id" for comments).
 */
const SYNCED_EVENTS: Record<
  string,
  { entity: string; field: string; recordId(repository: string, record: Record<string, unknown>): string | undefined }
> = {
  issues: {
    entity: 'issues',
    field: 'issue',
    recordId: (repository, issue) => (typeof issue.number === 'number' ? issueId(repository, issue.number) : undefined),
  },
  issue_comment: {
    entity: 'issue_comments',
    field: 'comment',
    recordId: (repository, comment) =>
      typeof comment.id === 'number' ? commentRecordId(repository, comment.id) : undefined,
  },
};

// A transferred issue left this repository: for the local copy it is gone, like a deleted one.
const DELETING_ACTIONS = new Set(['deleted', 'transferred']);

function operationFor(action: unknown): EventOperation {
  if (typeof action !== 'string') return 'unknown';
  return DELETING_ACTIONS.has(action) ? 'delete' : 'upsert';
}

export function parseGithubEvents(request: ParseRequest): ParseResult {
  const payload = parseJsonObject(request.rawBody);
  if (!payload) return { ok: false, reason: 'malformed', detail: 'body is not a JSON object' };
  const deliveryId = request.headers(GITHUB_DELIVERY_HEADER) || contentId(request.rawBody);
  const eventName = request.headers(GITHUB_EVENT_HEADER) ?? '';
  const synced = SYNCED_EVENTS[eventName];
  if (!synced) return { ok: true, deliveryId, events: [] };
  const record = payload[synced.field];
  const repository =
    isRecord(payload.repository) && typeof payload.repository.full_name === 'string'
      ? payload.repository.full_name
      : undefined;
  const id = isRecord(record) && repository ? synced.recordId(repository, record) : undefined;
  if (!id)
    return {
      ok: false,
      reason: 'malformed',
      detail: `${eventName} event without repository.full_name or ${synced.field} id`,
    };
  const events: WebhookEvent[] = [
    { kind: 'records', entity: synced.entity, ids: [id], operation: operationFor(payload.action) },
  ];
  return { ok: true, deliveryId, events };
}
