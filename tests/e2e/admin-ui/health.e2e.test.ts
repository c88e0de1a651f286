/**
 * Failure made visible, in headless Chromium against the local host in demo mode: an integration that cannot
 * sync (not connected: every run fails) shows a "failing" health badge with its reason on the Integrations list,
 * the search box narrows the list, the Health page's overall verdict is not "ok" while it fails, its run page
 * names the integration and links a configuration error to the setting; and no page asks for a file the
 * server does not have (favicon.ico included). Saves a screenshot of each page.
 */
import { startAdminUi, type AdminUiHarness } from './harness';

jest.setTimeout(300_000);

let ui: AdminUiHarness;
const failedRequests: string[] = [];
beforeAll(async () => {
  ui = await startAdminUi();
  ui.page.on('response', (response) => {
    if (response.status() >= 400 && !response.url().includes('/api/admin/'))
      failedRequests.push(`${response.status()} ${response.url()}`);
  });
}, 300_000);
afterAll(async () => ui?.stop());

const NAME = 'Unconnected repo';
let failingId = '';

async function waitForRunEnd(integrationId: string, runId: string): Promise<any> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const run = await ui.api(`tenants/demo/integrations/${integrationId}/runs/${runId}`);
    if (run.status === 'succeeded' || run.status === 'failed') return run;
    if (Date.now() > deadline) throw new Error(`run ${runId} did not end: ${JSON.stringify(run)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('admin UI: failure visible', () => {
  it('shows health badges with their reason, records held, and a search box on the Integrations list', async () => {
    const demoGithub = await ui.api('tenants/demo/integrations/demo-github');
    // Created with what its adapter needs, but never connected: every run fails for want of a credential.
    const created = await ui.api('tenants/demo/integrations', {
      method: 'POST',
      body: {
        provider: 'github',
        name: NAME,
        baseUrl: demoGithub.baseUrl,
        providerOptions: { repositories: ['acme/widgets'] },
      },
    });
    failingId = created.id;
    const started = await ui.api(`tenants/demo/integrations/${failingId}/sync`, {
      method: 'POST',
      body: { mode: 'incremental' },
    });
    expect(await waitForRunEnd(failingId, started.runId)).toMatchObject({ status: 'failed' });
    expect((await ui.api(`tenants/demo/integrations/${failingId}`)).health).toMatchObject({ status: 'failing' });

    await ui.open('/integrations');
    const row = ui.page.locator('tr', { has: ui.page.getByRole('link', { name: NAME, exact: true }) });
    const health = row.getByTestId('health');
    await health.getByText('failing').waitFor();
    expect(await health.textContent()).toMatch(/its last run failed: .*credential/);
    // The demo integrations sync within a minute of start: their badges are there too.
    const demoRow = ui.page.locator('tr', { has: ui.page.getByRole('link', { name: 'Demo github', exact: true }) });
    await demoRow.getByTestId('health').waitFor();
    expect(await demoRow.getByTestId('next-sync').textContent()).toMatch(/in \d+ min|in a moment|just now|ago/);
    await ui.screenshot('integrations-health');

    await ui.page.getByLabel('Search').fill('failing');
    await ui.page.getByText(/\d+ of \d+ integrations/).waitFor();
    expect(await ui.page.getByRole('link', { name: NAME, exact: true }).isVisible()).toBe(true);
    expect(await ui.page.getByRole('link', { name: 'Demo salesforce', exact: true }).count()).toBe(0);
    await ui.screenshot('integrations-search');
    await ui.page.getByLabel('Search').fill('');
  });

  it('does not say "Overall ok" on the Health page while an integration fails', async () => {
    await ui.open('/health');
    const overall = ui.page.getByTestId('overall-health');
    await overall.getByText(/integrations? failing/).waitFor();
    expect(await overall.textContent()).toMatch(/^Overall: failing/);
    const row = ui.page.locator('tr', { has: ui.page.getByText(NAME, { exact: false }) });
    expect(await row.getByTestId('health').textContent()).toContain('failing');
    await ui.screenshot('health-failing');
  });

  it('names the integration on its run page', async () => {
    const [run] = (await ui.api(`tenants/demo/integrations/${failingId}/runs`)).items;
    await ui.open(`/integrations/${failingId}/runs/${encodeURIComponent(run.id)}`);
    await ui.page.getByRole('heading', { level: 1, name: new RegExp(`of ${NAME}`) }).waitFor();
    await ui.screenshot('run-failed-named');
  });

  it('asked for no file the server does not have (favicon.ico included)', async () => {
    const icon = await ui.page.request.get(`${ui.baseUrl}/admin/favicon.ico`);
    expect(icon.status()).toBe(200);
    expect(icon.headers()['content-type']).toBe('image/x-icon');
    expect(failedRequests).toEqual([]);
  });
});
