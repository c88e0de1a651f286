/**
 * Salesforce Outbound Messages on the wire: reading the SOAP `notifications` envelope (up to 100 notifications,
 * each with its notification Id and an sObject with type and Id) and building the `<Ack>true</Ack>` answer
 * without which Salesforce retries the whole message for up to 24 hours.
 */
import { createHash } from 'node:crypto';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { isRecord, stringOf, type JsonRecord } from '../json';

export const SALESFORCE_MAX_NOTIFICATIONS = 100;
export const SALESFORCE_ACK_CONTENT_TYPE = 'text/xml; charset=utf-8';

export interface SalesforceNotification {
  /** The notification id: stable across Salesforce's retries of the same notification. */
  id: string;
  /** The sObject type (Account, Contact, Opportunity, …) from `xsi:type`. */
  sObjectType: string;
  sObjectId: string;
}

export interface OutboundMessage {
  organizationId: string;
  actionId?: string;
  notifications: SalesforceNotification[];
}

export type OutboundMessageParse = { ok: true; message: OutboundMessage } | { ok: false; detail: string };

const parser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (name) => name === 'Notification',
});

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return stringOf(value.trim());
  if (isRecord(value)) return text(value['#text']);
  return undefined;
}

function notificationOf(raw: unknown): SalesforceNotification | string {
  if (!isRecord(raw)) return 'Notification is not an element';
  const id = text(raw.Id);
  const sObject = raw.sObject;
  if (!id || !isRecord(sObject)) return 'Notification without Id or sObject';
  // xsi:type="sf:Account": the prefix names the namespace, the rest is the type.
  const declared = stringOf(sObject['@_type']);
  const sObjectType = declared?.slice(declared.indexOf(':') + 1);
  const sObjectId = text(sObject.Id);
  if (!sObjectType || !/^[A-Za-z][A-Za-z0-9_]*$/.test(sObjectType) || !sObjectId) return 'sObject without type or Id';
  return { id, sObjectType, sObjectId };
}

export function parseOutboundMessage(rawBody: Buffer): OutboundMessageParse {
  const xml = rawBody.toString('utf8');
  // Salesforce never sends a DTD; refusing one rules out entity expansion tricks before any parsing.
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) return { ok: false, detail: 'DTDs are not accepted' };
  if (XMLValidator.validate(xml) !== true) return { ok: false, detail: 'body is not well-formed XML' };
  let document: unknown;
  try {
    document = parser.parse(xml);
  } catch {
    return { ok: false, detail: 'body is not well-formed XML' };
  }
  const envelope = isRecord(document) ? document.Envelope : undefined;
  const body = isRecord(envelope) ? envelope.Body : undefined;
  const notifications: unknown = isRecord(body) ? body.notifications : undefined;
  if (!isRecord(notifications)) return { ok: false, detail: 'no SOAP notifications element' };
  const organizationId = text(notifications.OrganizationId);
  if (!organizationId) return { ok: false, detail: 'notifications without OrganizationId' };
  const items: unknown[] = Array.isArray(notifications.Notification) ? notifications.Notification : [];
  if (items.length === 0) return { ok: false, detail: 'notifications without a Notification' };
  if (items.length > SALESFORCE_MAX_NOTIFICATIONS)
    return { ok: false, detail: `more than ${SALESFORCE_MAX_NOTIFICATIONS} notifications` };
  const parsed: SalesforceNotification[] = [];
  for (const item of items) {
    const notification = notificationOf(item);
    if (typeof notification === 'string') return { ok: false, detail: notification };
    parsed.push(notification);
  }
  const actionId = text((notifications as JsonRecord).ActionId);
  return { ok: true, message: { organizationId, ...(actionId ? { actionId } : {}), notifications: parsed } };
}

/** One id for the whole message: the same set of notifications retried is the same delivery. */
export function salesforceDeliveryId(notificationIds: string[]): string {
  if (notificationIds.length === 1) return notificationIds[0] as string;
  const digest = createHash('sha256')
    .update([...notificationIds].sort().join(','))
    .digest('hex')
    .slice(0, 32);
  return `sfdc:${digest}`;
}

/** The body Salesforce needs to stop retrying; send it with SALESFORCE_ACK_CONTENT_TYPE and status 200. */
export function salesforceAck(): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">' +
    '<soapenv:Body><notificationsResponse xmlns="http://soap.sforce.com/2005/09/outbound">' +
    '<Ack>true</Ack></notificationsResponse></soapenv:Body></soapenv:Envelope>'
  );
}
