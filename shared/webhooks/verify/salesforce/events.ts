/**
 * Salesforce notifications → sync targets: one target per sObject type with the record Ids it names. Outbound
 * Messages fire on create and update (never on delete), so every target is an upsert.
 */
import type { ParseRequest, ParseResult, WebhookEvent } from '../types';
import { parseOutboundMessage, salesforceDeliveryId } from './soap';

export function parseSalesforceEvents(request: ParseRequest): ParseResult {
  const parsed = parseOutboundMessage(request.rawBody);
  if (!parsed.ok) return { ok: false, reason: 'malformed', detail: parsed.detail };
  const idsByType = new Map<string, Set<string>>();
  for (const notification of parsed.message.notifications) {
    const ids = idsByType.get(notification.sObjectType) ?? new Set<string>();
    ids.add(notification.sObjectId);
    idsByType.set(notification.sObjectType, ids);
  }
  const events: WebhookEvent[] = [...idsByType].map(([entity, ids]) => ({
    kind: 'records',
    entity,
    ids: [...ids],
    operation: 'upsert',
  }));
  return { ok: true, deliveryId: salesforceDeliveryId(parsed.message.notifications.map((n) => n.id)), events };
}
