/**
 * The Activity page and a run's log in headless Chromium against the local host in demo mode: a full sync of
 * the GitHub sandbox (one issue-list request answered 502, so the log shows the failed call and the retried
 * page) and an admin change; the Activity page lists both (the change with its actor and changed fields),
 * filters by type, and links into the run, whose page shows the provider calls with status, duration and
 * attempt. Saves screenshots of both pages.
 */
import { startAdminUi, type AdminUiHarness } from './harness';

jest.setTimeout(300_000);

const INTEGRATION = 'demo-github';
const BASE = `tenants/demo/integrations/${INTEGRATION}`;

let ui: AdminUiHarness;
beforeAll(async () => {
  ui = await startAdminUi({ records: 150 });
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

describe('admin UI: activity and run logs', () => {
  let runId: string;

  beforeAll(async () => {
    const github = ui.host.demo!.sandboxes.find((sandbox) => sandbox.provider === 'github')!.control;
    github.injectFault({
      kind: 'server_error',
      status: 502,
      method: 'GET',
      path: '/repos/acme/widgets/issues',
      count: 1,
    });
    const started = await ui.api(`${BASE}/sync`, { method: 'POST', body: { mode: 'full' } });
    runId = started.runId;
    expect((await waitForRun(runId)).status).toBe('succeeded');
    await ui.api(BASE, { method: 'PATCH', body: { schedule: { intervalMinutes: 45 } } });
  });

  it('Activity: lists the admin change with its actor and the run that ended, filters by type, links into the run', async () => {
    const page = ui.page;
    await ui.open('/activity');
    const table = page.getByRole('table', { name: 'Activity' });
    await table.getByText('integration updated: schedule.intervalMinutes').waitFor();
    const change = table.locator('tr', { hasText: 'integration updated: schedule.intervalMinutes' });
    await expect(change.getByText('api-key').count()).resolves.toBe(1);
    await ui.screenshot('activity');

    await page.getByLabel('Type').selectOption('run');
    const runRow = table.locator('tr[data-type="run"]', { hasText: 'sync completed' }).first();
    await runRow.waitFor();
    // The filtered answer replaces the rows shown before the filter changed: wait for it, then nothing else is left.
    const others = table.locator('tbody tr:not([data-type="run"])');
    for (const deadline = Date.now() + 10_000; (await others.count()) > 0 && Date.now() < deadline;)
      await page.waitForTimeout(100);
    await expect(others.count()).resolves.toBe(0);
    expect(page.url()).toContain('type=run');
    await ui.screenshot('activity-runs');

    await runRow.getByRole('link', { name: `run ${runId}` }).click();
    await page.getByRole('heading', { name: /^Run / }).waitFor();
    expect(page.url()).toContain(`/integrations/${INTEGRATION}/runs/${runId}`);
  });

  it("Run page: the run's log shows each provider call with status, duration and attempt, and the retry", async () => {
    const page = ui.page;
    await ui.open(`/integrations/${INTEGRATION}/runs/${runId}`);
    const log = page.getByRole('table', { name: 'Run log' });
    await log.waitFor();
    const failed = log.locator('tr', { has: page.locator('td.run-log-status', { hasText: '502' }) });
    await expect(failed.count()).resolves.toBeGreaterThanOrEqual(1);
    const ok = log.locator('tr', { has: page.locator('td.run-log-status', { hasText: '200' }) });
    await expect(ok.count()).resolves.toBeGreaterThanOrEqual(2);
    await log
      .getByText(/failed \(.*\); retrying in \d+ ms \(attempt 2 of/)
      .first()
      .waitFor();
    // The retried page's calls count the page's earlier attempt.
    const answer = await ui.api(`${BASE}/runs/${runId}/log`);
    const requests = answer.items.filter((item: any) => item.request).map((item: any) => item.request);
    expect(requests.some((request: any) => request.status === 502 && request.attempt === 1)).toBe(true);
    expect(requests.some((request: any) => request.status === 200 && request.attempt === 2)).toBe(true);
    for (const request of requests) {
      expect(request.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
      expect(request.durationMs).toBeGreaterThanOrEqual(0);
    }
    await ui.screenshot('run-log');
  });
});
