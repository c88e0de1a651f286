/**
 * The run controls (issue 18 §5) in headless Chromium against the local host in demo mode: "Test connection"
 * lists its checks; "Sync now…" with one entity ticked starts a run of that entity only; the Cancel button of a
 * running run (the sandbox answers slowly) ends it `cancelled` and no page is fetched afterwards; "Reset
 * checkpoint" says so. Saves a screenshot of each.
 */
import { startAdminUi, type AdminUiHarness } from './harness';

jest.setTimeout(300_000);

const INTEGRATION = 'demo-github';
const BASE = `tenants/demo/integrations/${INTEGRATION}`;

let ui: AdminUiHarness;
beforeAll(async () => {
  ui = await startAdminUi({ records: 300 });
}, 300_000);
afterAll(async () => ui?.stop());

async function settled(runId: string, timeoutMs = 120_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = await ui.api(`${BASE}/runs/${runId}`);
    if (!['queued', 'running'].includes(run.status)) return run;
    if (Date.now() > deadline) throw new Error(`run ${runId} did not end: ${JSON.stringify(run)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function idle(): Promise<void> {
  const deadline = Date.now() + 120_000;
  while ((await ui.api(`${BASE}/runs?limit=20`)).items.some((run: any) => ['queued', 'running'].includes(run.status))) {
    if (Date.now() > deadline) throw new Error('runs of the demo integration did not settle');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('admin UI: run controls', () => {
  it('Test connection lists the checks of the stored credential', async () => {
    await ui.open(`/runs?integration=${INTEGRATION}`);
    await ui.page.getByRole('button', { name: 'Test connection' }).click();
    const region = ui.page.getByRole('region', { name: 'Connection test' });
    await region.getByText('The connection works').waitFor();
    for (const name of ['credential', 'token', 'provider_reachable'])
      expect(await region.locator(`li[data-check="${name}"]`).getAttribute('data-ok')).toBe('true');
    await ui.screenshot('run-controls-test-connection');
  });

  it('Sync now… with one entity ticked syncs only that entity', async () => {
    await idle();
    const page = ui.page;
    await page.getByRole('button', { name: 'Sync now…' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Sync now' });
    await dialog.getByLabel('issue_comments').check();
    await ui.screenshot('run-controls-sync-dialog');
    await dialog.getByRole('button', { name: 'Start sync' }).click();
    const notice = await page.getByText(/sync of issue_comments was started \(run /).textContent();
    const runId = /run ([0-9a-f-]+)\)/.exec(notice ?? '')![1]!;
    const run = await settled(runId);
    expect(run).toMatchObject({ status: 'succeeded', entities: ['issue_comments'] });
  });

  it('Cancel ends a running run, and nothing is fetched for it afterwards', async () => {
    await idle();
    const page = ui.page;
    const github = ui.host.demo!.sandboxes.find((sandbox) => sandbox.provider === 'github')!.control;
    github.injectFault({ kind: 'slow', delayMs: 1500, method: 'GET', path: '/issues', count: 50 });
    const started = await ui.api(`${BASE}/sync`, { method: 'POST', body: { mode: 'full' } });
    const card = page.locator(`article[data-run-id="${started.runId}"]`);
    await card.getByRole('button', { name: 'Cancel run' }).waitFor({ timeout: 30_000 });
    await ui.screenshot('run-controls-running');
    await card.getByRole('button', { name: 'Cancel run' }).click();
    // The cancel answers after the page in flight is told, which takes longer on a busy machine.
    await page.getByText(`Run ${started.runId} was cancelled.`).waitFor({ timeout: 45_000 });
    const callsAtCancel = github.calls().total;
    const run = await settled(started.runId);
    expect(run.status).toBe('cancelled');
    // The page in flight (if any) ends without writing; no page after it is fetched.
    await new Promise((resolve) => setTimeout(resolve, 4000));
    expect(github.calls().total).toBe(callsAtCancel);
    github.clearFaults();
    await page.locator(`tbody tr[data-run-id="${started.runId}"]`).getByText('cancelled').waitFor();
    await ui.screenshot('run-controls-cancelled');
  });

  it('Reset checkpoint says the entity’s next run reads everything', async () => {
    await ui.page.getByRole('button', { name: 'Reset checkpoint of issues' }).click();
    await ui.page.getByText(/issues (was reset|had no checkpoint)/).waitFor();
    await ui.screenshot('run-controls-reset');
  });

  it('the mapping editor offers the provider’s fields from the catalog as source paths', async () => {
    await ui.open(`/integrations/${INTEGRATION}/settings`);
    const note = ui.page.getByText(/fields from the provider are suggested for source paths/);
    await note.waitFor();
    const offered = await ui.page.locator('datalist#catalog-fields-issues option').count();
    expect(offered).toBeGreaterThan(5);
    expect(await ui.page.locator('datalist#catalog-fields-issues option[value="title"]').count()).toBe(1);
    await ui.page.getByRole('button', { name: 'Add field' }).click();
    const sourceInputs = ui.page.locator('input[list="catalog-fields-issues"]');
    expect(await sourceInputs.count()).toBeGreaterThan(0);
    await ui.screenshot('run-controls-field-picker');
  });

  it('the delete dialog offers to purge the records, and the integration is gone afterwards', async () => {
    const created = await ui.api('tenants/demo/integrations', {
      method: 'POST',
      body: { provider: 'github', name: 'Delete me', providerOptions: { repositories: ['acme/widgets'] } },
    });
    await ui.open('/integrations');
    await ui.page.getByRole('button', { name: 'Delete: Delete me' }).click();
    const dialog = ui.page.getByRole('alertdialog', { name: /Delete “Delete me”/ });
    await dialog.getByLabel('Also delete the records (shards) it synced').check();
    await ui.screenshot('run-controls-delete-dialog');
    await dialog.getByRole('button', { name: 'Delete integration' }).click();
    await ui.page.getByText('“Delete me” deleted.').waitFor();
    await expect(ui.api(`tenants/demo/integrations/${created.id}`)).rejects.toThrow();
  });
});
