/**
 * jsforce 3 judges the Salesforce sandbox's OAuth endpoints (OAuth2: code exchange, refresh with a form body
 * answering instance_url, an expired session as 401 INVALID_SESSION_ID and jsforce's own refresh on it, an org that
 * moved, invalid_grant once revoked), and an Outbound Message is checked against the published Outbound Message
 * WSDL's element names with fast-xml-parser (there is no official verifier library), then by our verifier.
 */
import { Connection, OAuth2 } from 'jsforce';
import { XMLParser } from 'fast-xml-parser';
import { startSalesforceSandbox, type SalesforceSandbox } from '../../dev/sandboxes/salesforce';
import { SANDBOX_CLIENT } from '../../dev/sandboxes/common/oauth';
import { verifySalesforce } from '../../shared/webhooks/verify/salesforce/verify';
import { requestOf } from '../webhooks/helpers';
import { startReceiver } from './support/recording-proxy';

const VERSION = '60.0';
const SECRET = 'outbound-secret-5b1d';
const REDIRECT = 'http://localhost:7071/api/oauth/callback';

let sandbox: SalesforceSandbox;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let conn: Connection;

beforeAll(async () => {
  receiver = await startReceiver(() => ({ status: 200, body: '' }));
  sandbox = await startSalesforceSandbox({
    records: 20,
    webhookUrl: `${receiver.url}/api/webhooks/salesforce`,
    webhookSecret: SECRET,
  });
});
afterAll(async () => {
  await sandbox.stop();
  await receiver.stop();
});

describe('Salesforce sandbox OAuth judged by jsforce OAuth2', () => {
  const oauth2 = () =>
    new OAuth2({
      loginUrl: sandbox.url,
      clientId: SANDBOX_CLIENT.clientId,
      clientSecret: SANDBOX_CLIENT.clientSecret,
      redirectUri: REDIRECT,
    });

  it('exchanges a code (the id URL names the org) and refreshes with a form body, answering instance_url', async () => {
    const client = new Connection({ oauth2: oauth2(), version: VERSION });
    const consent = await fetch(client.oauth2.getAuthorizationUrl({ state: 's1' }), { redirect: 'manual' });
    expect(consent.status).toBe(302);
    const code = new URL(consent.headers.get('location')!).searchParams.get('code')!;
    const user = await client.authorize(code);
    expect(user).toMatchObject({ organizationId: '00D5g000004SandAAA', id: '0055g00000SandUAAQ' });
    expect(client.instanceUrl).toBe(sandbox.url);
    expect(client.refreshToken).toMatch(/^5Aep861/);
    expect((await client.query('SELECT Id FROM Account LIMIT 1')).totalSize).toBe(1);

    const refreshed = await oauth2().refreshToken(client.refreshToken!);
    expect(refreshed).toMatchObject({
      access_token: expect.any(String),
      instance_url: sandbox.url,
      token_type: 'Bearer',
      id: expect.stringContaining('/id/00D5g000004SandAAA/'),
    });
    expect(refreshed.access_token).not.toBe(client.accessToken);
    // Without refresh-token rotation (the org default) a refresh answer has no refresh_token.
    expect(refreshed.refresh_token).toBeUndefined();
  });

  it('sees an expired session as 401 INVALID_SESSION_ID, and with a refresh token refreshes on it by itself', async () => {
    const issued = sandbox.control.issueToken();
    const plain = new Connection({ instanceUrl: sandbox.url, accessToken: issued.accessToken, version: VERSION });
    const refreshing = new Connection({
      oauth2: oauth2(),
      instanceUrl: sandbox.url,
      accessToken: issued.accessToken,
      refreshToken: issued.refreshToken,
      version: VERSION,
    });
    const refreshes: string[] = [];
    refreshing.on('refresh', (accessToken: string) => refreshes.push(accessToken));
    sandbox.control.expireAccessTokens();
    await expect(plain.query('SELECT Id FROM Account LIMIT 1')).rejects.toMatchObject({
      errorCode: 'INVALID_SESSION_ID',
      message: 'Session expired or invalid',
    });
    expect((await refreshing.query('SELECT Id FROM Account LIMIT 1')).totalSize).toBe(1);
    expect(refreshes).toHaveLength(1);
    expect(refreshing.accessToken).toBe(refreshes[0]);
  });

  it('follows an org that moved: the next refresh names the new instance_url and jsforce calls it', async () => {
    const issued = sandbox.control.issueToken();
    const moved = await sandbox.moveInstance();
    const refreshed = await oauth2().refreshToken(issued.refreshToken);
    expect(refreshed.instance_url).toBe(moved);
    const client = new Connection({
      instanceUrl: refreshed.instance_url,
      accessToken: refreshed.access_token,
      version: VERSION,
    });
    const before = sandbox.instanceCalls()[moved] ?? 0;
    expect((await client.query('SELECT Id FROM Account LIMIT 1')).totalSize).toBe(1);
    expect(sandbox.instanceCalls()[moved]).toBe(before + 1);
    sandbox.nameInstance(sandbox.url);
  });

  it('refuses a revoked refresh token with invalid_grant, as jsforce names it', async () => {
    const issued = sandbox.control.issueToken();
    sandbox.control.revokeRefreshTokens();
    await expect(oauth2().refreshToken(issued.refreshToken)).rejects.toMatchObject({
      name: 'invalid_grant',
      message: 'expired access/refresh token',
    });
    await expect(
      new OAuth2({
        loginUrl: sandbox.url,
        clientId: 'someone-else',
        clientSecret: 'x',
        redirectUri: REDIRECT,
      }).refreshToken(sandbox.control.issueToken().refreshToken),
    ).rejects.toMatchObject({ name: 'invalid_client_id' });
  });
});

describe('Salesforce sandbox Outbound Messages judged by the Outbound Message WSDL', () => {
  // The OAuth tests expired every access token: this part works with a fresh session.
  beforeAll(() => {
    conn = new Connection({
      instanceUrl: sandbox.url,
      accessToken: sandbox.control.issueToken().accessToken,
      version: VERSION,
    });
  });
  const OUTBOUND_NS = 'http://soap.sforce.com/2005/09/outbound';
  const SOAP_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
  const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';

  it('posts a SOAP notifications envelope with the documented elements; our verifier accepts it with the URL secret and the org', async () => {
    await sandbox.control.flushWebhooks();
    const before = receiver.received.length;
    const created = (await conn.sobject('Opportunity').create({
      Name: 'Outbound deal',
      StageName: 'Prospecting',
      CloseDate: '2030-01-01',
    })) as { id: string };
    await sandbox.control.flushWebhooks();
    const delivery = receiver.received.slice(before).find((request) => request.body.includes(created.id));
    expect(delivery).toBeDefined();
    expect(delivery!.method).toBe('POST');
    expect(delivery!.headers['content-type']).toMatch(/^text\/xml; charset=utf-8$/i);
    expect(delivery!.headers.soapaction).toBeDefined();
    // The Outbound Message's only setting is its endpoint URL: the shared secret rides in it, no header signs.
    expect(delivery!.url.pathname).toBe('/api/webhooks/salesforce');
    expect(delivery!.url.searchParams.get('secret')).toBe(SECRET);

    const xml = delivery!.body.toString('utf8');
    const document = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false }).parse(
      xml,
    );
    const envelope = document['soapenv:Envelope'];
    expect(envelope['@xmlns:soapenv']).toBe(SOAP_NS);
    expect(envelope['@xmlns:xsi']).toBe(XSI_NS);
    const notifications = envelope['soapenv:Body'].notifications;
    expect(notifications['@xmlns']).toBe(OUTBOUND_NS);
    // WSDL sequence: OrganizationId, ActionId, SessionId (nillable), EnterpriseUrl, PartnerUrl, Notification (1..100).
    expect(Object.keys(notifications).filter((key) => !key.startsWith('@'))).toEqual([
      'OrganizationId',
      'ActionId',
      'SessionId',
      'EnterpriseUrl',
      'PartnerUrl',
      'Notification',
    ]);
    expect(notifications.OrganizationId).toMatch(/^00D[A-Za-z0-9]{15}$/);
    expect(notifications.ActionId).toMatch(/^04k[A-Za-z0-9]{15}$/);
    expect(notifications.SessionId['@xsi:nil']).toBe('true');
    expect(notifications.EnterpriseUrl).toMatch(/\/services\/Soap\/c\/\d+\.\d+\/00D/);
    expect(notifications.PartnerUrl).toMatch(/\/services\/Soap\/u\/\d+\.\d+\/00D/);
    const notification = notifications.Notification;
    expect(Object.keys(notification)).toEqual(['Id', 'sObject']);
    expect(notification.Id).toMatch(/^04l[A-Za-z0-9]{15}$/);
    expect(notification.sObject['@xsi:type']).toBe('sf:Opportunity');
    expect(notification.sObject['@xmlns:sf']).toBe('urn:sobject.enterprise.soap.sforce.com');
    expect(notification.sObject['sf:Id']).toBe(created.id);
    expect(notification.sObject['sf:Name']).toBe('Outbound deal');

    const verify = (secret: string | undefined, organizationId = notifications.OrganizationId as string) =>
      verifySalesforce(requestOf(delivery!.body, {}, [SECRET], Date.now()), {
        organizationId,
        auth: { kind: 'shared_secret', candidate: secret },
      });
    expect(verify(SECRET)).toMatchObject({ ok: true, deliveryId: notification.Id, itemIds: [notification.Id] });
    expect(verify('not-the-secret')).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verify(SECRET, '00D5g000009OtherAAA')).toEqual({ ok: false, reason: 'wrong_organization' });
  });

  it('sends nothing for a delete (Outbound Messages fire on create and update only)', async () => {
    const created = (await conn.sobject('Account').create({ Name: 'Deleted later' })) as { id: string };
    await sandbox.control.flushWebhooks();
    const before = receiver.received.length;
    await conn.sobject('Account').destroy(created.id);
    await sandbox.control.flushWebhooks();
    expect(receiver.received.slice(before)).toEqual([]);
  });
});
