/**
 * Google notifications → sync targets. Neither channel messages nor Pub/Sub pushes name records, so every
 * target is an incremental sync: Calendar channels → `events`, Drive channels → `files`, Gmail pushes → `messages`.
 */
import { isRecord, parseJsonObject, stringOf } from '../json';
import type { ParseRequest, ParseResult, WebhookEvent } from '../types';
import { GOOGLE_CHANNEL_HEADERS, googleChannelDeliveryId } from './channel';

function parseChannel(request: ParseRequest, channelId: string): ParseResult {
  const messageNumber = request.headers(GOOGLE_CHANNEL_HEADERS.messageNumber);
  const state = request.headers(GOOGLE_CHANNEL_HEADERS.resourceState);
  if (!messageNumber || !state)
    return { ok: false, reason: 'malformed', detail: 'channel message without number or state' };
  const deliveryId = googleChannelDeliveryId(channelId, messageNumber);
  if (state === 'sync') return { ok: true, deliveryId, events: [] };
  const uri = request.headers(GOOGLE_CHANNEL_HEADERS.resourceUri) ?? '';
  const entity = uri.includes('/drive/') ? 'files' : 'events';
  return { ok: true, deliveryId, events: [{ kind: 'incremental', entity }] };
}

function parsePubSub(request: ParseRequest): ParseResult {
  const body = parseJsonObject(request.rawBody);
  const message = body && isRecord(body.message) ? body.message : undefined;
  const deliveryId = message && (stringOf(message.messageId) ?? stringOf(message.message_id));
  if (!message || !deliveryId) return { ok: false, reason: 'malformed', detail: 'not a Pub/Sub push envelope' };
  const data = stringOf(message.data);
  const decoded = data ? parseJsonObject(Buffer.from(data, 'base64')) : undefined;
  const attributes = isRecord(message.attributes) ? message.attributes : {};
  const events: WebhookEvent[] = [];
  if (decoded && stringOf(decoded.emailAddress) && decoded.historyId !== undefined)
    events.push({ kind: 'incremental', entity: 'messages' });
  else if (stringOf(attributes.entity)) events.push({ kind: 'incremental', entity: attributes.entity as string });
  return { ok: true, deliveryId, events };
}

export function parseGoogleEvents(request: ParseRequest): ParseResult {
  const channelId = request.headers(GOOGLE_CHANNEL_HEADERS.id);
  return channelId ? parseChannel(request, channelId) : parsePubSub(request);
}
