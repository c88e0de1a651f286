/**
 * Outbound Messages from the Salesforce sandbox: a SOAP `notifications` envelope per record change (workflow
 * outbound messages fire on create and update, never on delete), carrying the org id, a notification Id and the
 * sObject. Salesforce itself signs nothing; with a webhook secret the sandbox adds the HMAC-SHA256 hex header an
 * org can be set up to send (x-salesforce-signature), which is how the receiver authenticates it.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { WebhookEmitter } from '../common/webhooks';
import type { OrgChange } from './org';

const escapeXml = (value: string): string => value.replace(/[<>&'"]/g, (ch) => `&#${ch.charCodeAt(0)};`);

export function outboundEnvelope(organizationId: string, baseUrl: string, notifications: { id: string; change: OrgChange }[]): string {
  const items = notifications
    .map(({ id, change }) => {
      const fields = Object.entries(change.row)
        .filter(([, value]) => value !== null && value !== undefined)
        .map(([name, value]) => `<sf:${name}>${escapeXml(String(value))}</sf:${name}>`)
        .join('');
      return `<Notification><Id>${id}</Id><sObject xsi:type="sf:${change.object}" xmlns:sf="urn:sobject.enterprise.soap.sforce.com">${fields}</sObject></Notification>`;
    })
    .join('');
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    '<soapenv:Body><notifications xmlns="http://soap.sforce.com/2005/09/outbound">' +
    `<OrganizationId>${organizationId}</OrganizationId><ActionId>04k5g000000SandAAA</ActionId><SessionId xsi:nil="true"/>` +
    `<EnterpriseUrl>${escapeXml(baseUrl)}/services/Soap/c/60.0/${organizationId.slice(0, 15)}</EnterpriseUrl>` +
    `<PartnerUrl>${escapeXml(baseUrl)}/services/Soap/u/60.0/${organizationId.slice(0, 15)}</PartnerUrl>` +
    `${items}</notifications></soapenv:Body></soapenv:Envelope>`
  );
}

export class OutboundMessenger {
  private readonly emitter: WebhookEmitter;
  private counter = 0;

  constructor(
    url: string,
    private readonly secret: string | undefined,
    private readonly organizationId: string,
    private readonly baseUrl: () => string,
  ) {
    // Signing happens in emitRaw's headers: the body is XML, not the JSON the emitter's `emit` writes.
    this.emitter = new WebhookEmitter({ url, sign: () => ({}) });
  }

  get webhooks(): WebhookEmitter {
    return this.emitter;
  }

  notify(change: OrgChange): void {
    if (change.kind === 'deleted') return;
    const id = `04l5g${(this.counter++).toString(36).toUpperCase().padStart(8, '0')}${randomBytes(2).toString('hex').toUpperCase()}`.slice(0, 18);
    const body = outboundEnvelope(this.organizationId, this.baseUrl(), [{ id, change }]);
    const headers: Record<string, string> = { 'content-type': 'text/xml; charset=utf-8', soapaction: '""', 'user-agent': 'Salesforce/Sandbox' };
    if (this.secret) headers['x-salesforce-signature'] = createHmac('sha256', this.secret).update(body).digest('hex');
    this.emitter.emitRaw(`${change.object}.${change.kind}`, body, headers, id);
  }
}
