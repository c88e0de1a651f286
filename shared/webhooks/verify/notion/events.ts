/**
 * Notion webhook events are signals (`type`, `entity`, no content): page events become targeted syncs of the
 * page, which the adapter then fetches. Other event families parse to no targets.
 */
import { isRecord, parseJsonObject, stringOf } from '../json';
import type { EventOperation, ParseRequest, ParseResult } from '../types';

const PAGE_OPERATIONS: Record<string, EventOperation> = {
  'page.created': 'upsert',
  'page.content_updated': 'upsert',
  'page.properties_updated': 'upsert',
  'page.moved': 'upsert',
  'page.undeleted': 'upsert',
  'page.locked': 'upsert',
  'page.unlocked': 'upsert',
  'page.deleted': 'delete',
};

export function parseNotionEvents(request: ParseRequest): ParseResult {
  const body = parseJsonObject(request.rawBody);
  const deliveryId = body && stringOf(body.id);
  if (!body || !deliveryId) return { ok: false, reason: 'malformed', detail: 'event without an id' };
  const type = stringOf(body.type) ?? '';
  const operation = PAGE_OPERATIONS[type];
  if (!operation) return { ok: true, deliveryId, events: [] };
  const pageId = isRecord(body.entity) ? stringOf(body.entity.id) : undefined;
  if (!pageId) return { ok: false, reason: 'malformed', detail: `${type} event without entity.id` };
  return { ok: true, deliveryId, events: [{ kind: 'records', entity: 'pages', ids: [pageId], operation }] };
}
