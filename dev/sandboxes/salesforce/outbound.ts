/**
 * Outbound Messages from the Salesforce sandbox: a SOAP `notifications` envelope per record change (workflow
 * outbound messages fire on create and update, never on delete), carrying the org id, a notification Id and the
 * sObject. Salesforce signs nothing and an Outbound Message cannot carry custom headers: its only setting is the
 * endpoint URL, so with a webhook secret the sandbox puts it in that URL (`?secret=`), as an admin pastes it.
 */
import { randomBytes } from 'node:crypto';
import { WebhookEmitter } from '../common/webhooks';
import type { OrgChange } from './org';

const escapeXml = (value: string): string => value.replace(/[<>&'"]/g, (ch) => `&#${ch.charCodeAt(0)};`);

export function outboundEnvelope(
  organizationId: string,
  baseUrl: string,
  notifications: { id: string; change: OrgChange }[],
): string {
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
    secret: string | undefined,
    private readonly organizationId: string,
    private readonly baseUrl: () => string,
  ) {
    // The endpoint URL is all Salesforce sends besides the body: the secret rides in it, nothing signs.
    const endpoint = new URL(url);
    if (secret) endpoint.searchParams.set('secret', secret);
    this.emitter = new WebhookEmitter({ url: endpoint.toString(), sign: () => ({}) });
  }

  get webhooks(): WebhookEmitter {
    return this.emitter;
  }

  notify(change: OrgChange): void {
    if (change.kind === 'deleted') return;
    // An 18-character id (type ID in the Outbound Message WSDL): 04l key prefix, 5g pod, 9 counter, 4 random.
    const id = `04l5g${(this.counter++).toString(36).toUpperCase().padStart(9, '0')}${randomBytes(2).toString('hex').toUpperCase()}`;
    const body = outboundEnvelope(this.organizationId, this.baseUrl(), [{ id, change }]);
    const headers: Record<string, string> = {
      'content-type': 'text/xml; charset=utf-8',
      soapaction: '""',
      'user-agent': 'Salesforce/Sandbox',
    };
    this.emitter.emitRaw(`${change.object}.${change.kind}`, body, headers, id);
  }
}
