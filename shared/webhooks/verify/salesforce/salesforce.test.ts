import { XMLParser } from 'fast-xml-parser';
import { requestOf } from '../../../../tests/webhooks/helpers';
import { signSalesforce } from '../../../../dev/webhook-signing';
import { parseSalesforceEvents } from './events';
import { parseOutboundMessage, salesforceAck, SALESFORCE_MAX_NOTIFICATIONS } from './soap';
import { sameOrganization, verifySalesforce, type SalesforceAuth } from './verify';

const ORG = '00D5e000000Ab1cEAC';
const SECRET = 'per-integration-secret-7f3a';
const NOW = Date.UTC(2026, 10, 25, 12);

interface Item {
  id: string;
  type: string;
  recordId: string;
}

function envelope(items: Item[], org = ORG): string {
  const notifications = items
    .map(
      (item) => `
   <Notification>
    <Id>${item.id}</Id>
    <sObject xsi:type="sf:${item.type}" xmlns:sf="urn:sobject.enterprise.soap.sforce.com">
     <sf:Id>${item.recordId}</sf:Id>
     <sf:Name>Acme &amp; Sons</sf:Name>
    </sObject>
   </Notification>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
 <soapenv:Body>
  <notifications xmlns="http://soap.sforce.com/2005/09/outbound">
   <OrganizationId>${org}</OrganizationId>
   <ActionId>04k5e000000Xy9zAAC</ActionId>
   <SessionId xsi:nil="true"/>
   <EnterpriseUrl>https://example.my.salesforce.com/services/Soap/c/60.0/00D5e000000Ab1c</EnterpriseUrl>
   <PartnerUrl>https://example.my.salesforce.com/services/Soap/u/60.0/00D5e000000Ab1c</PartnerUrl>${notifications}
  </notifications>
 </soapenv:Body>
</soapenv:Envelope>`;
}

const TWO = envelope([
  { id: '04l5e000000AAAAAA1', type: 'Account', recordId: '0015e000001AbcdAAA' },
  { id: '04l5e000000AAAAAA2', type: 'Contact', recordId: '0035e000002EfghAAA' },
]);

const sharedSecret = (candidate: string | undefined): SalesforceAuth => ({ kind: 'shared_secret', candidate });

describe('parseOutboundMessage', () => {
  it('reads the organization, the action and every notification with its sObject type and Id', () => {
    expect(parseOutboundMessage(Buffer.from(TWO))).toEqual({
      ok: true,
      message: {
        organizationId: ORG,
        actionId: '04k5e000000Xy9zAAC',
        notifications: [
          { id: '04l5e000000AAAAAA1', sObjectType: 'Account', sObjectId: '0015e000001AbcdAAA' },
          { id: '04l5e000000AAAAAA2', sObjectType: 'Contact', sObjectId: '0035e000002EfghAAA' },
        ],
      },
    });
  });

  it('accepts 100 notifications and refuses 101', () => {
    const items = (n: number) =>
      Array.from({ length: n }, (_, i) => ({
        id: `04l${String(i).padStart(15, '0')}`,
        type: 'Opportunity',
        recordId: `006${String(i).padStart(15, '0')}`,
      }));
    const hundred = parseOutboundMessage(Buffer.from(envelope(items(SALESFORCE_MAX_NOTIFICATIONS))));
    expect(hundred.ok && hundred.message.notifications).toHaveLength(100);
    expect(parseOutboundMessage(Buffer.from(envelope(items(101))))).toMatchObject({ ok: false });
  });

  it('reports broken XML, a DTD, a foreign document and missing fields without throwing', () => {
    const cases = [
      TWO.slice(0, TWO.length - 30),
      '<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY a "aaaa">]><x>&a;</x>',
      '<html><body>hi</body></html>',
      TWO.replace(/<OrganizationId>.*<\/OrganizationId>/, ''),
      TWO.replace('xsi:type="sf:Account"', ''),
      TWO.replace('<Id>04l5e000000AAAAAA1</Id>', ''),
      envelope([]),
      '',
      '{"json":true}',
    ];
    for (const xml of cases) expect(parseOutboundMessage(Buffer.from(xml))).toMatchObject({ ok: false });
  });
});

describe('verifySalesforce', () => {
  it('accepts the right org and secret; one notification is its own delivery id, several share a stable one', () => {
    const result = verifySalesforce(requestOf(TWO, {}, [SECRET], NOW), {
      organizationId: ORG,
      auth: sharedSecret(SECRET),
    });
    expect(result).toMatchObject({
      ok: true,
      outcome: { kind: 'event' },
      secretIndex: 0,
      itemIds: ['04l5e000000AAAAAA1', '04l5e000000AAAAAA2'],
    });
    expect(result.ok && result.deliveryId).toMatch(/^sfdc:[0-9a-f]{32}$/);
    // Salesforce may resend the same notifications in another order: same delivery.
    const reordered = TWO.replace('AAAAAA1', 'TMP').replace('AAAAAA2', 'AAAAAA1').replace('TMP', 'AAAAAA2');
    const again = verifySalesforce(requestOf(reordered, {}, [SECRET], NOW), {
      organizationId: ORG,
      auth: sharedSecret(SECRET),
    });
    expect(again.ok && result.ok && again.deliveryId === result.deliveryId).toBe(true);
    const one = envelope([{ id: '04l5e000000AAAAAA9', type: 'Account', recordId: '0015e000001AbcdAAA' }]);
    expect(
      verifySalesforce(requestOf(one, {}, [SECRET], NOW), { organizationId: ORG, auth: sharedSecret(SECRET) }),
    ).toMatchObject({ deliveryId: '04l5e000000AAAAAA9' });
  });

  it('rejects a wrong or missing secret, honours rotation', () => {
    const verify = (auth: SalesforceAuth, secrets = [SECRET]) =>
      verifySalesforce(requestOf(TWO, {}, secrets, NOW), { organizationId: ORG, auth });
    expect(verify(sharedSecret('guess'))).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verify(sharedSecret(SECRET + 'x'))).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verify(sharedSecret(undefined))).toEqual({ ok: false, reason: 'missing_signature' });
    expect(verify(sharedSecret(SECRET), ['new-secret', SECRET])).toMatchObject({ ok: true, secretIndex: 1 });
    expect(verify(sharedSecret('third'), ['new-secret', SECRET])).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verify(sharedSecret(''), [''])).toEqual({ ok: false, reason: 'missing_signature' });
    expect(verify(sharedSecret(SECRET), [])).toEqual({ ok: false, reason: 'no_secret_configured' });
  });

  it('rejects another org, including one that shares only a prefix; 15- and 18-character ids of one org match', () => {
    const other = envelope(
      [{ id: '04l5e000000AAAAAA1', type: 'Account', recordId: '0015e000001AbcdAAA' }],
      '00D5e000000Zz9yEAC',
    );
    expect(
      verifySalesforce(requestOf(other, {}, [SECRET], NOW), { organizationId: ORG, auth: sharedSecret(SECRET) }),
    ).toEqual({ ok: false, reason: 'wrong_organization' });
    expect(
      verifySalesforce(requestOf(TWO, {}, [SECRET], NOW), {
        organizationId: ORG.slice(0, 15),
        auth: sharedSecret(SECRET),
      }),
    ).toMatchObject({ ok: true });
    expect(sameOrganization('00D5e000000Ab1cEAC', '00D5e000000Ab1cEAD')).toBe(false);
    expect(sameOrganization('00D5e000000Ab1C', '00D5e000000Ab1cEAC')).toBe(false);
    expect(sameOrganization('00D5e', '00D5e')).toBe(false);
  });

  it('authenticates before parsing: an unauthenticated body is rejected as such, an authenticated broken one is malformed', () => {
    expect(
      verifySalesforce(requestOf('<broken', {}, [SECRET], NOW), { organizationId: ORG, auth: sharedSecret('guess') }),
    ).toEqual({ ok: false, reason: 'bad_signature' });
    expect(
      verifySalesforce(requestOf('<broken', {}, [SECRET], NOW), { organizationId: ORG, auth: sharedSecret(SECRET) }),
    ).toEqual({ ok: false, reason: 'malformed' });
  });

  it('supports an HMAC header, hex or base64, under a configurable name', () => {
    const hex = signSalesforce(TWO, SECRET);
    expect(hex).toMatch(/^[0-9a-f]{64}$/);
    const hmac: SalesforceAuth = { kind: 'hmac' };
    expect(
      verifySalesforce(requestOf(TWO, { 'X-Salesforce-Signature': hex }, [SECRET], NOW), {
        organizationId: ORG,
        auth: hmac,
      }),
    ).toMatchObject({ ok: true });
    expect(
      verifySalesforce(requestOf(TWO + ' ', { 'X-Salesforce-Signature': hex }, [SECRET], NOW), {
        organizationId: ORG,
        auth: hmac,
      }),
    ).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifySalesforce(requestOf(TWO, {}, [SECRET], NOW), { organizationId: ORG, auth: hmac })).toEqual({
      ok: false,
      reason: 'missing_signature',
    });
    const b64: SalesforceAuth = { kind: 'hmac', header: 'X-Org-Signature', encoding: 'base64' };
    const signature = signSalesforce(TWO, SECRET, 'base64');
    expect(
      verifySalesforce(requestOf(TWO, { 'X-Org-Signature': signature }, ['new', SECRET], NOW), {
        organizationId: ORG,
        auth: b64,
      }),
    ).toMatchObject({ ok: true, secretIndex: 1 });
    expect(
      verifySalesforce(requestOf(TWO, { 'X-Org-Signature': hex }, [SECRET], NOW), { organizationId: ORG, auth: b64 }),
    ).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('fails closed without an expected organization', () => {
    expect(
      verifySalesforce(requestOf(TWO, {}, [SECRET], NOW), { organizationId: '', auth: sharedSecret(SECRET) }),
    ).toEqual({ ok: false, reason: 'misconfigured' });
  });
});

describe('parseSalesforceEvents', () => {
  it('groups record ids by sObject type, without duplicates', () => {
    const body = envelope([
      { id: '04l000000000000001', type: 'Account', recordId: '001000000000000001' },
      { id: '04l000000000000002', type: 'Opportunity', recordId: '006000000000000001' },
      { id: '04l000000000000003', type: 'Account', recordId: '001000000000000002' },
      { id: '04l000000000000004', type: 'Account', recordId: '001000000000000001' },
    ]);
    expect(parseSalesforceEvents(requestOf(body, {}, [], NOW))).toMatchObject({
      ok: true,
      events: [
        { kind: 'records', entity: 'Account', ids: ['001000000000000001', '001000000000000002'], operation: 'upsert' },
        { kind: 'records', entity: 'Opportunity', ids: ['006000000000000001'], operation: 'upsert' },
      ],
    });
    expect(parseSalesforceEvents(requestOf('<a><b></a>', {}, [], NOW))).toMatchObject({
      ok: false,
      reason: 'malformed',
    });
  });
});

describe('salesforceAck', () => {
  it('is a SOAP envelope whose notificationsResponse says Ack true', () => {
    const document = new XMLParser({ removeNSPrefix: true }).parse(salesforceAck());
    expect(document.Envelope.Body.notificationsResponse.Ack).toBe(true);
    expect(salesforceAck()).toContain('xmlns="http://soap.sforce.com/2005/09/outbound"');
  });
});
