/**
 * The Records page and the record page in headless Chromium against the local host in demo mode (GitHub
 * sandbox): browse an integration's records by entity, search by title, page with the continuation token; open a
 * record, change a field locally from the page, let the provider change the same field, sync, and see the
 * conflict on the record page with the history of who changed what; resolve it there. Screenshots of each.
 */
import { issueId } from '../../../shared/adapters/github/ids';
import { isPullRequestIndex } from '../../../dev/sandboxes/github/data';
import { startAdminUi, type AdminUiHarness } from './harness';

jest.setTimeout(300_000);

const RECORDS = 40;
const INTEGRATION = 'demo-github';
const BASE = `tenants/demo/integrations/${INTEGRATION}`;

let ui: AdminUiHarness;
beforeAll(async () => {
  ui = await startAdminUi({ records: RECORDS });
  const started = await ui.api(`${BASE}/sync`, { method: 'POST', body: { mode: 'incremental' } });
  expect((await waitForRun(started.runId)).status).toBe('succeeded');
}, 300_000);
afterAll(async () => ui?.stop());

async function waitForRun(runId: string, timeoutMs = 120_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = await ui.api(`${BASE}/runs/${runId}`);
    if (run.status === 'succeeded' || run.status === 'failed') return run;
    if (Date.now() > deadline) throw new Error(`run ${runId} did not finish: ${JSON.stringify(run)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const number =
  Array.from({ length: RECORDS }, (_, index) => index)
    .filter((index) => !isPullRequestIndex(index))
    .at(-2)! + 1;
const externalId = issueId('acme/widgets', number);
async function shardId(): Promise<string> {
  return (await ui.host.services.syncState.records(INTEGRATION, 'issues', [externalId])).get(externalId)!.shardId;
}

describe('admin UI: records', () => {
  it('Records: browse by entity, search by title, page through', async () => {
    const page = ui.page;
    await ui.open(`/records?integration=${INTEGRATION}`);
    const rows = page.locator('tbody tr[data-shard-id]');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(25);
    const firstPage = await rows.evaluateAll((all) => all.map((row) => row.getAttribute('data-shard-id')));
    await page.getByRole('button', { name: 'Next page' }).click();
    await page.getByText('Page 2').waitFor();
    await page.locator(`tbody tr[data-shard-id="${firstPage[0]}"]`).waitFor({ state: 'detached' });
    const secondPage = await rows.evaluateAll((all) => all.map((row) => row.getAttribute('data-shard-id')));
    expect(secondPage.filter((id) => firstPage.includes(id))).toEqual([]);
    await page.getByRole('button', { name: 'Previous page' }).click();
    await page.getByText('Page 1').waitFor();

    await page.getByLabel('Entity').selectOption('issues');
    await page.waitForURL(/entity=issues/);
    const shard = await ui.api(`tenants/demo/shards/${await shardId()}`);
    const title = String(shard.data.title);
    await page.getByLabel('Search', { exact: true }).fill(title.toUpperCase());
    await page.getByRole('button', { name: 'Search' }).click();
    const found = page.locator(`tbody tr[data-shard-id="${shard.id}"]`);
    await found.waitFor();
    expect(await found.locator('td[data-label="Source"]').textContent()).toBe(`issues ${externalId}`);
    await ui.screenshot('records');
    await page.getByLabel('Search', { exact: true }).fill('no record has this title');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByText('No record matches “no record has this title”.').waitFor();
  });

  it('Record page: a local edit and a provider change to the same field make a conflict, shown and resolved there', async () => {
    const page = ui.page;
    // A two-way integration that holds conflicting fields for a person (set through the API: another page's job).
    await ui.api(BASE, { method: 'PATCH', body: { direction: 'bidirectional', conflictStrategy: 'manual' } });
    const id = await shardId();
    await ui.open(`/records/${id}`);
    const history = page.locator('table.record-history tbody tr');
    await history.first().waitFor();
    expect(await history.count()).toBe(1);
    expect(await history.first().getAttribute('data-source')).toBe('provider');
    await page.getByText('direction bidirectional, conflict strategy manual').waitFor();

    await page.getByLabel('Field', { exact: true }).fill('title');
    await page.getByLabel('New value').fill('Local title from the record page');
    await page.getByRole('button', { name: 'Save local change' }).click();
    await page.getByText('title changed locally.').waitFor();
    await page
      .locator('table.record-data tr[data-field="title"]')
      .getByText('Local title from the record page')
      .waitFor();
    await page.locator('table.record-history tbody tr[data-source="admin"]').waitFor();
    expect(
      await page.locator('table.record-history tbody tr[data-source="admin"] td[data-label="Fields"]').textContent(),
    ).toBe('title');

    const github = ui.host.demo!.sandboxes.find((sandbox) => sandbox.provider === 'github')!;
    github.control.records.update('issues', externalId, { title: 'Remote title from the provider' });
    const started = await ui.api(`${BASE}/sync`, { method: 'POST', body: { mode: 'incremental' } });
    expect((await waitForRun(started.runId)).status).toBe('succeeded');

    await page.reload();
    const card = page.getByRole('article', { name: `issues ${externalId}` });
    await card.waitFor();
    const held = card.locator('tr[data-field="title"]');
    expect(await held.locator('td[data-label="Local"]').textContent()).toBe('Local title from the record page');
    expect(await held.locator('td[data-label="Remote"]').textContent()).toBe('Remote title from the provider');
    await ui.screenshot('record-conflict');

    await held.getByLabel('Take remote').check();
    await card.getByRole('button', { name: `Resolve issues ${externalId}` }).click();
    await page.getByText('Conflict resolved.').waitFor();
    await page.locator('table.record-history tbody tr[data-source="conflict"]').waitFor();
    expect(
      await page
        .locator('table.record-history tbody tr')
        .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-source'))),
    ).toEqual(['conflict', 'provider', 'admin', 'provider']);
    await page
      .locator('table.record-data tr[data-field="title"]')
      .getByText('Remote title from the provider')
      .waitFor();
    expect((await ui.api(`tenants/demo/shards/${id}`)).data.title).toBe('Remote title from the provider');
    await ui.screenshot('record');
  });
});
