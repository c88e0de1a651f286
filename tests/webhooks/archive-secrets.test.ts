/**
 * Secrets stay out of the webhook archive (Azurite, through the real receiver): a Salesforce shared secret in
 * the header the integration is configured to carry it in, tokens in headers named like credentials, and any
 * header value holding the integration's secret. Replay still works from the redacted archive.
 */
import { adminApi } from '../../functions/AdminApi';
import { webhookReceiver } from '../../functions/WebhookReceiver';
import { newIntegration } from '../../shared/core/integration';
import { REDACTED } from '../../shared/platform/observability/logger';
import { signGithub } from '../../dev/webhook-signing';
import type { WebhookSecretSource } from '../../shared/webhooks/intake/secrets';
import { bodyOf, httpRequest, invocation } from '../support/invoke';
import { createTestServices, TEST_ADMIN_KEY, type TestServices } from '../support/test-services';

const SF_SECRET = 'sf-shared-secret-4c1d9e77a2';
const GH_SECRET = 'gh-webhook-secret-90b1f3';
const GITLAB_TOKEN = 'abcdef0123456789glpat';
const ORG = '00D5e000000Ab1cEAC';
const secrets: WebhookSecretSource = {
  secretsFor: async (integration) => [integration.provider === 'salesforce' ? SF_SECRET : GH_SECRET],
  storePendingToken: async () => undefined,
};

let t: TestServices;
beforeAll(async () => {
  t = await createTestServices({}, { webhookSecrets: secrets });
  const now = new Date();
  await t.services.integrations.create(
    newIntegration(
      't-as',
      'sf-1',
      {
        provider: 'salesforce',
        name: 'sf',
        webhook: {
          provider: 'salesforce',
          organizationId: ORG,
          auth: { kind: 'shared_secret', source: { in: 'header', name: 'X-Acme-Shared' } },
        },
      },
      { intervalMinutes: 60 },
      now,
    ),
  );
  await t.services.integrations.create(
    newIntegration('t-as', 'gh-1', { provider: 'github', name: 'gh' }, { intervalMinutes: 60 }, now),
  );
});
afterAll(async () => t.services.close());

function outboundMessage(notificationId: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
 <soapenv:Body>
  <notifications xmlns="http://soap.sforce.com/2005/09/outbound">
   <OrganizationId>${ORG}</OrganizationId>
   <ActionId>04k5e000000Xy9zAAC</ActionId>
   <Notification>
    <Id>${notificationId}</Id>
    <sObject xsi:type="sf:Account" xmlns:sf="urn:sobject.enterprise.soap.sforce.com"><sf:Id>0015e000001AbcdAAA</sf:Id></sObject>
   </Notification>
  </notifications>
 </soapenv:Body>
</soapenv:Envelope>`;
}

async function post(provider: string, integrationId: string, body: string, headers: Record<string, string>) {
  const response = await webhookReceiver.handler(
    httpRequest('POST', `webhooks/${provider}/${integrationId}`, {
      rawBody: body,
      headers,
      params: { provider, integrationId },
    }),
    invocation('WebhookReceiver'),
    t.services,
  );
  return response.status ?? 200;
}

async function archivedText(integrationId: string, deliveryId: string): Promise<string> {
  const receipt = await t.services.deliveryLog.get(integrationId, deliveryId);
  expect(receipt?.archiveBlob).toBeDefined();
  return (await t.services.blob.get(receipt!.archiveBlob!))!.toString('utf8');
}

it('archives a Salesforce delivery without the shared secret carried in its configured header', async () => {
  const status = await post('salesforce', 'sf-1', outboundMessage('04l5e000000AAAAAA1'), {
    'content-type': 'text/xml',
    'x-acme-shared': SF_SECRET,
    'x-forwarded-note': `relay of ${SF_SECRET}`,
  });
  expect(status).toBe(200);
  const text = await archivedText('sf-1', '04l5e000000AAAAAA1');
  expect(text).not.toContain(SF_SECRET);
  const headers = JSON.parse(text).headers as Record<string, string>;
  expect(headers).toMatchObject({
    'x-acme-shared': REDACTED,
    'x-forwarded-note': REDACTED,
    'content-type': 'text/xml',
  });
});

it('archives a GitHub delivery without tokens in credential-named headers or the signature, and replays it', async () => {
  const body = JSON.stringify({
    action: 'edited',
    issue: { id: 41, number: 41 },
    repository: { full_name: 'acme/app' },
  });
  const signature = signGithub(body, GH_SECRET);
  const headers = {
    'x-hub-signature-256': signature,
    'x-github-delivery': 'as-1',
    'x-github-event': 'issues',
    'x-gitlab-token': GITLAB_TOKEN,
    'x-auth-token': 'short-tok',
    'x-request-id': 'req-1',
  };
  expect(await post('github', 'gh-1', body, headers)).toBe(200);
  const text = await archivedText('gh-1', 'as-1');
  for (const leaked of [GITLAB_TOKEN, 'short-tok', signature, GH_SECRET]) expect(text).not.toContain(leaked);
  expect(JSON.parse(text).headers).toMatchObject({
    'x-gitlab-token': REDACTED,
    'x-auth-token': REDACTED,
    'x-hub-signature-256': REDACTED,
    'x-github-event': 'issues',
    'x-github-delivery': 'as-1',
    'x-request-id': 'req-1',
  });

  // Replay reads the event name and delivery id from the archive; it does not verify the signature again.
  const response = await adminApi.handler(
    httpRequest('POST', 'admin/tenants/t-as/integrations/gh-1/webhooks/as-1/replay', {
      headers: { 'x-api-key': TEST_ADMIN_KEY },
      params: { path: 'tenants/t-as/integrations/gh-1/webhooks/as-1/replay' },
    }),
    invocation('AdminApi'),
    t.services,
  );
  expect(response.status).toBe(202);
  expect((bodyOf(response) as { runIds: string[] }).runIds).toHaveLength(1);
});

it('keeps the secrets out of the receipts and the log lines too', async () => {
  const receipts = await t.services.deliveryLog.list('t-as', 'sf-1', {});
  const text =
    JSON.stringify(receipts) +
    JSON.stringify(await t.services.deliveryLog.list('t-as', 'gh-1', {})) +
    t.logLines.join('\n');
  for (const leaked of [SF_SECRET, GH_SECRET, GITLAB_TOKEN]) expect(text).not.toContain(leaked);
});
