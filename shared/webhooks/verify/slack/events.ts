/**
 * Slack Events API callbacks → sync targets. Messages are identified by `${channel}:${ts}` (Slack's ts is the
 * message id within a channel); user changes by user id. Commands, interactions and other event types carry
 * nothing to sync and parse to no targets.
 */
import { isRecord, stringOf, type JsonRecord } from '../json';
import type { ParseRequest, ParseResult, WebhookEvent } from '../types';
import { readSlackBody, slackDeliveryId } from './verify';

function messageEvent(event: JsonRecord): WebhookEvent | 'malformed' {
  const channel = stringOf(event.channel);
  if (!channel) return 'malformed';
  const nested = isRecord(event.message) ? event.message : undefined;
  switch (event.subtype) {
    case 'message_deleted': {
      const ts =
        stringOf(event.deleted_ts) ??
        stringOf(isRecord(event.previous_message) ? event.previous_message.ts : undefined);
      return ts ? { kind: 'records', entity: 'messages', ids: [`${channel}:${ts}`], operation: 'delete' } : 'malformed';
    }
    case 'message_changed':
    case 'message_replied': {
      const ts = stringOf(nested?.ts);
      return ts ? { kind: 'records', entity: 'messages', ids: [`${channel}:${ts}`], operation: 'upsert' } : 'malformed';
    }
    default: {
      const ts = stringOf(event.ts);
      return ts ? { kind: 'records', entity: 'messages', ids: [`${channel}:${ts}`], operation: 'upsert' } : 'malformed';
    }
  }
}

function userEvent(event: JsonRecord): WebhookEvent | 'malformed' {
  const user = isRecord(event.user) ? stringOf(event.user.id) : stringOf(event.user);
  return user ? { kind: 'records', entity: 'users', ids: [user], operation: 'upsert' } : 'malformed';
}

const HANDLERS: Record<string, (event: JsonRecord) => WebhookEvent | 'malformed'> = {
  message: messageEvent,
  user_change: userEvent,
  team_join: userEvent,
};

export function parseSlackEvents(request: ParseRequest): ParseResult {
  const body = readSlackBody(request.rawBody);
  if (!body) return { ok: false, reason: 'malformed', detail: 'body is neither a JSON object nor a form' };
  const deliveryId = slackDeliveryId(body, request.rawBody);
  if (body.format === 'form' || body.value.type !== 'event_callback') return { ok: true, deliveryId, events: [] };
  const event = body.value.event;
  if (!isRecord(event)) return { ok: false, reason: 'malformed', detail: 'event_callback without an event object' };
  const handler = typeof event.type === 'string' ? HANDLERS[event.type] : undefined;
  if (!handler) return { ok: true, deliveryId, events: [] };
  const parsed = handler(event);
  if (parsed === 'malformed')
    return { ok: false, reason: 'malformed', detail: `${String(event.type)} event without its ids` };
  return { ok: true, deliveryId, events: [parsed] };
}
