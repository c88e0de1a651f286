/**
 * Generic (Standard Webhooks) payloads → sync targets, by the specification's recommended shape
 * `{"type": "<entity>.<action>", "data": {"id": …}}`. An event with no id asks for an incremental sync.
 */
import { idOf, isRecord, parseJsonObject, stringOf } from '../json';
import type { EventOperation, ParseRequest, ParseResult, WebhookEvent } from '../types';
import { STANDARD_WEBHOOK_HEADERS } from './verify';

const DELETE_ACTIONS = new Set(['deleted', 'removed', 'archived']);
const UPSERT_ACTIONS = new Set(['created', 'updated', 'changed', 'restored', 'upserted']);

function operationFor(action: string): EventOperation {
  if (DELETE_ACTIONS.has(action)) return 'delete';
  if (UPSERT_ACTIONS.has(action)) return 'upsert';
  return 'unknown';
}

function idsOf(data: unknown): string[] {
  if (!isRecord(data)) return [];
  if (Array.isArray(data.ids)) return data.ids.map(idOf).filter((id): id is string => id !== undefined);
  const id = idOf(data.id);
  return id ? [id] : [];
}

export function parseGenericEvents(request: ParseRequest): ParseResult {
  const deliveryId = request.headers(STANDARD_WEBHOOK_HEADERS.id);
  const body = parseJsonObject(request.rawBody);
  if (!deliveryId || !body)
    return { ok: false, reason: 'malformed', detail: 'no webhook-id or body is not a JSON object' };
  const type = stringOf(body.type);
  const dot = type ? type.lastIndexOf('.') : -1;
  if (!type || dot <= 0) return { ok: true, deliveryId, events: [] };
  const entity = type.slice(0, dot);
  const ids = idsOf(body.data);
  const event: WebhookEvent =
    ids.length > 0
      ? { kind: 'records', entity, ids, operation: operationFor(type.slice(dot + 1)) }
      : { kind: 'incremental', entity };
  return { ok: true, deliveryId, events: [event] };
}
