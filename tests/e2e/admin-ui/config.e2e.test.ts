/**
 * The configuration pages in headless Chromium against the local host in demo mode (issue 18 §6): an
 * integration's Connection page (base URL and provider options with the API's errors next to the field, a
 * write-only credential, Salesforce and Pub/Sub webhook verification), Provider apps (OAuth client per provider),
 * Notifications (a channel, a test message that reaches a local receiver, a rule, the delivery log) and the
 * rate-limit override form starting from the provider's real defaults. Secrets typed into the pages never come
 * back: not in the page, not in any GET answer. Saves a screenshot of each page.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startAdminUi, type AdminUiHarness } from './harness';

jest.setTimeout(300_000);

const TENANT = 'tenants/demo';

let ui: AdminUiHarness;
let receiver: Server;
const received: string[] = [];

beforeAll(async () => {
  ui = await startAdminUi();
  receiver = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      received.push(body);
      response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
}, 300_000);
afterAll(async () => {
  await new Promise((resolve) => receiver?.close(resolve));
  await ui?.stop();
});

/** Every GET a person could make about the configuration, as one text: a secret must be in none of them. */
async function everyGet(integrationIds: string[]): Promise<string> {
  const paths = [
    'oauth-apps',
    `${TENANT}/notifications/channels`,
    `${TENANT}/notifications/rules`,
    `${TENANT}/notifications/deliveries`,
    ...integrationIds.flatMap((id) => [
      `${TENANT}/integrations/${id}`,
      `${TENANT}/integrations/${id}/credentials`,
      `${TENANT}/integrations/${id}/rate-limits`,
    ]),
  ];
  const answers = await Promise.all(
    paths.map((path) =>
      ui.api(path).then(
        (body) => JSON.stringify(body),
        (error: Error) => error.message,
      ),
    ),
  );
  return answers.join('\n');
}

describe('admin UI: configuration without curl', () => {
  let integrationId: string;
  const CREDENTIAL_SECRET = 'credential-secret-value-5b2e91';
  const APP_SECRET = 'provider-app-secret-a7c3d0';

  beforeAll(async () => {
    const created = await ui.api(`${TENANT}/integrations`, {
      method: 'POST',
      body: { provider: 'github', name: 'Config test', providerOptions: { repositories: ['acme/widgets'] } },
    });
    integrationId = created.id;
  });

  it('Connection: base URL and provider options with errors next to the field, a write-only credential', async () => {
    const page = ui.page;
    await ui.open(`/integrations/${integrationId}/connection`);
    await page.getByRole('heading', { level: 1, name: 'Config test: connection' }).waitFor();
    // A plain-http base URL is refused by the API, which names the field; the page shows it under the input.
    await page.getByLabel(/^Base URL/).fill('http://api.github.com');
    await page.getByRole('button', { name: 'Save provider settings' }).click();
    await page.locator('#base-url-error').waitFor();
    expect(await page.getByLabel(/^Base URL/).getAttribute('aria-invalid')).toBe('true');
    await page.getByLabel(/^Base URL/).fill('');
    await page.getByLabel(/^Repositories/).fill('acme/widgets\nacme/gadgets');
    await page.getByRole('button', { name: 'Save provider settings' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    const stored = await ui.api(`${TENANT}/integrations/${integrationId}`);
    expect(stored.providerOptions.repositories).toEqual(['acme/widgets', 'acme/gadgets']);

    await page.getByText('No credential is stored for this integration.').waitFor();
    await page.getByLabel('Type').selectOption('api_key');
    await page.getByLabel('Key', { exact: true }).fill(CREDENTIAL_SECRET);
    await page.getByLabel(/^Header/).fill('x-custom-key');
    await page.getByRole('button', { name: 'Store credential' }).click();
    await page.getByRole('status').filter({ hasText: 'Credential stored (api_key, active).' }).waitFor();
    const facts = page.getByRole('definition').filter({ hasText: 'api_key' });
    await facts.waitFor();
    expect(await page.getByLabel('Key', { exact: true }).inputValue()).toBe('');
    await ui.screenshot('connection');
    expect(await page.content()).not.toContain(CREDENTIAL_SECRET);
    expect(await everyGet([integrationId])).not.toContain(CREDENTIAL_SECRET);
  });

  it('Connection: Salesforce organisation id and Pub/Sub audience and service account', async () => {
    const page = ui.page;
    await ui.open('/integrations/demo-salesforce/connection');
    await page.getByLabel(/^Salesforce organisation id/).fill('not-an-org');
    await page.getByRole('button', { name: 'Save webhook verification' }).click();
    await page.locator('#sf-organization-id-error').waitFor();
    await page.getByLabel(/^Salesforce organisation id/).fill('00D000000000001AAA');
    await page.getByRole('button', { name: 'Save webhook verification' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).last().waitFor();
    expect((await ui.api(`${TENANT}/integrations/demo-salesforce`)).webhook).toEqual({
      provider: 'salesforce',
      organizationId: '00D000000000001AAA',
      auth: { kind: 'shared_secret', source: { in: 'url' } },
    });
    await ui.screenshot('connection-salesforce');

    await ui.open('/integrations/demo-google/connection');
    // Demo mode's Google integration takes channel notifications; switch it to Pub/Sub push.
    await page.getByLabel('Deliveries come from').selectOption('pubsub');
    await page.getByLabel(/^Pub\/Sub audience/).fill('https://sync.example.test/api/webhooks/google/demo-google');
    await page.getByLabel(/^Push service account/).fill('not-an-email');
    await page.getByRole('button', { name: 'Save webhook verification' }).click();
    await page.locator('#pubsub-service-account-error').waitFor();
    await page.getByLabel(/^Push service account/).fill('push@project.iam.gserviceaccount.com');
    await page.getByRole('button', { name: 'Save webhook verification' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).last().waitFor();
    expect((await ui.api(`${TENANT}/integrations/demo-google`)).webhook).toMatchObject({
      provider: 'google',
      mode: 'pubsub',
      audience: 'https://sync.example.test/api/webhooks/google/demo-google',
      serviceAccountEmail: 'push@project.iam.gserviceaccount.com',
    });
    await ui.screenshot('connection-google');
  });

  it('Provider apps: which providers are configured, the client id shown, the secret never', async () => {
    const page = ui.page;
    await ui.open('/provider-apps');
    // Demo mode registered the sandboxes' OAuth client for every provider.
    const row = page.getByRole('row', { name: /Notion/ });
    await row.getByText('configured').waitFor();
    await row.getByText('sandbox-client').waitFor();
    await page.getByRole('button', { name: 'Replace Notion app' }).click();
    await page.getByLabel('Client id').fill('notion-console-client');
    await page.getByLabel(/^Client secret/).fill(APP_SECRET);
    await page.getByLabel(/^Token URL/).fill('file:///etc/passwd');
    await page.getByRole('button', { name: 'Save app' }).click();
    await page.locator('#app-token-url-error').waitFor();
    await page.getByLabel(/^Token URL/).fill('');
    await page.getByLabel(/^Authorize URL/).fill('');
    await page.getByRole('button', { name: 'Save app' }).click();
    await page.getByRole('status').filter({ hasText: 'Notion app saved.' }).waitFor();
    await row.getByText('notion-console-client').waitFor();
    expect(await page.getByLabel(/^Client secret/).inputValue()).toBe('');
    await ui.screenshot('provider-apps');
    expect(await page.content()).not.toContain(APP_SECRET);
    const apps = await ui.api('oauth-apps');
    expect(apps.items.find((app: any) => app.provider === 'notion')).toMatchObject({
      configured: true,
      clientId: 'notion-console-client',
    });
    expect(JSON.stringify(apps)).not.toContain(APP_SECRET);
  });

  it('Notifications: a channel with a write-only URL, a test message that arrives, a rule, the deliveries', async () => {
    const page = ui.page;
    const port = (receiver.address() as AddressInfo).port;
    const hookUrl = `http://127.0.0.1:${port}/services/T000/B000/hook-secret-token-93f1`;
    await ui.open('/notifications');
    await page.getByText('No channel yet.').waitFor();
    await page.getByLabel('Name', { exact: true }).first().fill('Ops alerts');
    await page.getByLabel(/^Webhook URL/).fill('ftp://example.test/hook');
    await page.getByRole('button', { name: 'Add channel' }).click();
    await page.locator('#channel-secret-error').waitFor();
    await page.getByLabel(/^Webhook URL/).fill(hookUrl);
    await page.getByRole('button', { name: 'Add channel' }).click();
    await page.getByRole('table', { name: 'Channels' }).getByRole('rowheader', { name: 'Ops alerts' }).waitFor();
    expect(await page.getByLabel(/^Webhook URL/).inputValue()).toBe('');

    await page.getByRole('button', { name: 'Send test to Ops alerts' }).click();
    await page.getByRole('status').filter({ hasText: 'Test message to Ops alerts: sent.' }).waitFor();
    expect(received.length).toBeGreaterThan(0);
    expect(received.at(-1)).toContain('Ops alerts');
    await page.getByRole('table', { name: 'Deliveries' }).getByText(/test:/).waitFor();

    await page.locator('#rule-name').fill('Failed runs');
    await page.getByRole('group', { name: 'Send to' }).getByLabel('Ops alerts').check();
    await page.getByRole('button', { name: 'Add rule' }).click();
    await page
      .getByRole('table', { name: 'Rules' })
      .getByRole('rowheader', { name: /Failed runs/ })
      .waitFor();
    await ui.screenshot('notifications');
    expect(await page.content()).not.toContain('hook-secret-token');
    expect(await everyGet([])).not.toContain('hook-secret-token');
  });

  it('Rate limits: the override form starts from the provider’s defaults; errors next to the field; throttling over time', async () => {
    const page = ui.page;
    const defaults = await ui.api('rate-limits/defaults');
    const github = defaults.providers.github.integration;
    await ui.open(`/rate-limits?integration=${integrationId}`);
    await page.getByRole('heading', { name: 'Integration limits' }).waitFor();
    await page.getByText('No override: the fields show github’s defaults.').waitFor();
    expect(await page.getByLabel(/^Requests/).inputValue()).toBe(String(github.limit));
    expect(await page.getByLabel(/^Window \(ms\)/).inputValue()).toBe(String(github.windowMs));
    await page.getByLabel(/^Requests/).fill('0');
    await page.getByRole('button', { name: 'Save limits' }).click();
    await page.locator('#rate-limit-error').waitFor();
    await page.getByLabel(/^Requests/).fill('7');
    await page.getByRole('button', { name: 'Save limits' }).click();
    await page.getByRole('status').filter({ hasText: 'Override saved' }).waitFor();
    const stored = await ui.api(`${TENANT}/integrations/${integrationId}/rate-limits`);
    expect(stored.override.integration).toMatchObject({ kind: 'rate', limit: 7, windowMs: github.windowMs });
    await page.getByText('An override is in force; the fields show it.').waitFor();
    await page.getByRole('heading', { name: 'Throttling over time' }).waitFor();
    await page.getByText(/\(\d+ samples\)/).waitFor();
    await ui.screenshot('rate-limit-form');
  });
});
