/**
 * The operations pages in headless Chromium against the local host in demo mode: start a sync on the Runs page
 * and watch its counters move without a reload; hold a conflict (manual strategy, the record changed on both
 * sides) and resolve it in the inbox; rotate the webhook secret, receive a delivery and replay it from the
 * Webhooks page; the Rate limits and Health pages. Saves a screenshot of each page at 1280 and 390 px.
 */
import { issueId } from '../../../shared/adapters/github/ids';
import { isPullRequestIndex } from '../../../dev/sandboxes/github/data';
import { signGithub } from '../../../dev/webhook-signing';
import { startAdminUi, type AdminUiHarness } from './harness';

jest.setTimeout(300_000);

/** Enough issues for several pages of 100, so a full sync's counters pass through visible steps. */
const RECORDS = 400;
const INTEGRATION = 'demo-github';
const BASE = `tenants/demo/integrations/${INTEGRATION}`;

/** The few browser globals the checks read (this file compiles without the DOM library). */
interface BrowserGlobals {
  __noReload?: boolean;
  innerWidth: number;
  document: { documentElement: { scrollWidth: number } };
}

let ui: AdminUiHarness;
beforeAll(async () => {
  ui = await startAdminUi({ records: RECORDS });
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

async function idle(): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (
    (await ui.api(`${BASE}/runs?limit=20`)).items.some(
      (run: any) => run.status === 'queued' || run.status === 'running',
    )
  ) {
    if (Date.now() > deadline) throw new Error('runs of the demo integration did not settle');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('admin UI: operations', () => {
  it('Runs: a started sync’s counters move on the page without a reload', async () => {
    const page = ui.page;
    await ui.open(`/runs?integration=${INTEGRATION}`);
    await page.getByText('No sync is running for this integration.').waitFor();
    await page.evaluate(() => ((globalThis as unknown as BrowserGlobals).__noReload = true));
    // Pace the provider like a real one (each page read takes 1.2 s): the local pipeline otherwise finishes the
    // whole run between two of the page's 1 s polls, and there would be no progress to watch.
    const github = ui.host.demo!.sandboxes.find((sandbox) => sandbox.provider === 'github')!.control;
    github.injectFault({ kind: 'slow', delayMs: 1200, method: 'GET', path: '/issues', count: 30 });
    await page.getByRole('button', { name: 'Start full sync' }).click();
    const notice = await page.getByText(/A full sync was started \(run /).textContent();
    const runId = /run ([0-9a-f-]+)\)/.exec(notice ?? '')![1]!;

    // Read the live card's "fetched" figure as often as the page can show it, until the run is over.
    const fetched = page.locator(`article[data-run-id="${runId}"] [data-counter="fetched"]`);
    const seen: number[] = [];
    const deadline = Date.now() + 120_000;
    let run: any;
    for (;;) {
      const text = await fetched.textContent({ timeout: 500 }).catch(() => null);
      if (text !== null) {
        const value = Number(text.replace(/,/g, ''));
        if (seen.at(-1) !== value) seen.push(value);
      }
      run = await ui.api(`${BASE}/runs/${runId}`);
      if (run.status === 'succeeded' || run.status === 'failed') break;
      if (Date.now() > deadline) throw new Error(`the run did not finish: ${JSON.stringify({ run, seen })}`);
      await page.waitForTimeout(100);
    }
    github.clearFaults();
    expect(run.status).toBe('succeeded');
    expect(run.counters.pages).toBeGreaterThan(2);
    // At least two different non-zero figures were on screen while the run went on: the counters moved.
    expect(new Set(seen.filter((value) => value > 0)).size).toBeGreaterThanOrEqual(2);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    const history = page.locator(`tbody tr[data-run-id="${runId}"]`);
    await history.getByText('succeeded').waitFor();
    expect((await history.locator('td[data-label="Fetched"]').textContent())?.replace(/,/g, '')).toBe(
      String(run.counters.fetched),
    );
    expect(await page.evaluate(() => (globalThis as unknown as BrowserGlobals).__noReload)).toBe(true);
    await ui.screenshot('runs');

    await history.getByRole('link', { name: `Run ${runId} details` }).click();
    await page.getByRole('heading', { level: 1, name: new RegExp(runId) }).waitFor();
    await page.getByText('No record failed in this run.').waitFor();
    await ui.screenshot('run-detail');
  });

  it('Conflicts: a record changed on both sides is held, shown side by side, and resolved from the inbox', async () => {
    const page = ui.page;
    await ui.api(BASE, { method: 'PATCH', body: { conflictStrategy: 'manual' } });
    await idle();
    const number =
      Array.from({ length: 40 }, (_, index) => index)
        .filter((index) => !isPullRequestIndex(index))
        .at(-1)! + 1;
    const externalId = issueId('acme/widgets', number);
    const state = (await ui.host.services.syncState.records(INTEGRATION, 'issues', [externalId])).get(externalId);
    expect(state).toBeDefined();
    await ui.api(`tenants/demo/shards/${state!.shardId}`, {
      method: 'PATCH',
      body: { data: { title: 'Local title from e2e' } },
    });
    const github = ui.host.demo!.sandboxes.find((sandbox) => sandbox.provider === 'github')!;
    github.control.records.update('issues', externalId, { title: 'Remote title from e2e' });
    const started = await ui.api(`${BASE}/sync`, { method: 'POST', body: { mode: 'incremental' } });
    await waitForRun(started.runId);
    await idle();

    await ui.open('/conflicts');
    const card = page.getByRole('article', { name: `issues ${externalId}` });
    await card.waitFor();
    const title = card.locator('tr[data-field="title"]');
    expect(await title.locator('td[data-label="Local"]').textContent()).toBe('Local title from e2e');
    expect(await title.locator('td[data-label="Remote"]').textContent()).toBe('Remote title from e2e');
    await ui.screenshot('conflicts');
    // The side-by-side table stacks on a phone; nothing but the table box may scroll sideways.
    await page.setViewportSize({ width: 390, height: 844 });
    expect(
      await page.evaluate(() => {
        const browser = globalThis as unknown as BrowserGlobals;
        return browser.document.documentElement.scrollWidth - browser.innerWidth;
      }),
    ).toBe(0);
    await ui.screenshot('conflicts-open-phone');
    await page.setViewportSize({ width: 1280, height: 800 });

    await title.getByLabel('Take remote').check();
    await card.getByRole('button', { name: `Resolve issues ${externalId}` }).click();
    await page.getByText(`issues ${externalId} resolved`, { exact: false }).waitFor();
    await card.waitFor({ state: 'detached' });
    const shard = await ui.api(`tenants/demo/shards/${state!.shardId}`);
    expect(shard.data.title).toBe('Remote title from e2e');
    expect(
      (await ui.api(`tenants/demo/conflicts?integrationId=${INTEGRATION}`)).items.filter(
        (item: any) => item.externalId === externalId,
      ),
    ).toEqual([]);
  });

  it('Webhooks: rotate the secret, receive a delivery, replay it and see the replay recorded', async () => {
    const page = ui.page;
    await ui.open(`/webhooks?integration=${INTEGRATION}`);
    expect(await page.getByLabel('URL to give github').inputValue()).toBe(
      `${ui.baseUrl}/api/webhooks/github/${INTEGRATION}`,
    );
    const secret = 'e2e-webhook-secret-0123456789';
    await page.getByLabel(/New secret/).fill(secret);
    await page.getByLabel(/Overlap/).fill('60');
    await page.getByRole('button', { name: 'Rotate secret' }).click();
    await page
      .getByText(/The previous secret keeps verifying until/, { exact: false })
      .first()
      .waitFor();
    await page.getByTestId('overlap').waitFor();

    const body = JSON.stringify({
      action: 'edited',
      issue: { id: 9_000_001, number: 1 },
      repository: { full_name: 'acme/widgets' },
    });
    const response = await fetch(`${ui.baseUrl}/api/webhooks/github/${INTEGRATION}`, {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/json',
        'x-hub-signature-256': signGithub(body, secret),
        'x-github-delivery': 'e2e-delivery-1',
        'x-github-event': 'issues',
      },
    });
    expect(response.status).toBe(200);
    const row = page.locator('tr[data-delivery-id="e2e-delivery-1"]');
    await row.waitFor({ timeout: 20_000 });
    expect(await row.locator('td[data-label="Verdict"]').textContent()).toContain('accepted');
    await row.getByRole('button', { name: 'Replay delivery e2e-delivery-1' }).click();
    await page.getByText(/Delivery e2e-delivery-1 replayed/).waitFor();
    await row.getByTestId('replays').waitFor({ timeout: 20_000 });
    expect(await row.getByTestId('replays').textContent()).toContain('replayed 1×');
    const receipt = (await ui.api(`${BASE}/webhooks/deliveries`)).items.find(
      (item: any) => item.deliveryId === 'e2e-delivery-1',
    );
    expect(receipt.replays).toHaveLength(1);
    await ui.screenshot('webhooks');
  });

  it('Rate limits: each level with its usage now', async () => {
    await ui.open(`/rate-limits?integration=${INTEGRATION}`);
    const meter = ui.page.getByRole('meter', { name: 'Integration usage' });
    await meter.waitFor();
    expect(Number(await meter.getAttribute('aria-valuemax'))).toBe(400);
    await ui.page.getByRole('meter', { name: 'Provider app usage' }).waitFor();
    await ui.screenshot('rate-limits');
  });

  it('Health: dependencies, integrations and the synced-records chart', async () => {
    await ui.open('/health');
    await ui.page
      .getByRole('cell', { name: 'cosmos' })
      .or(ui.page.getByRole('rowheader', { name: 'cosmos' }))
      .first()
      .waitFor();
    const chart = ui.page.getByRole('img', { name: /records synced/ });
    await chart.waitFor();
    expect(await chart.locator('rect.bar-synced').count()).toBeGreaterThan(0);
    await ui.page.locator(`tr[data-integration-id="${INTEGRATION}"] td[data-label="Dead letters"] a`).waitFor();
    await ui.screenshot('health');
  });

  it('fits a phone screen', async () => {
    await ui.page.setViewportSize({ width: 390, height: 844 });
    for (const [path, name] of [
      [`/runs?integration=${INTEGRATION}`, 'runs'],
      ['/conflicts', 'conflicts'],
      [`/webhooks?integration=${INTEGRATION}`, 'webhooks'],
      [`/rate-limits?integration=${INTEGRATION}`, 'rate-limits'],
      ['/health', 'health'],
    ] as const) {
      await ui.open(path);
      await ui.page
        .locator('main .loading')
        .first()
        .waitFor({ state: 'detached', timeout: 10_000 })
        .catch(() => undefined);
      await ui.page.waitForTimeout(500);
      const overflow = await ui.page.evaluate(() => {
        const browser = globalThis as unknown as BrowserGlobals;
        return browser.document.documentElement.scrollWidth - browser.innerWidth;
      });
      expect({ name, overflow }).toEqual({ name, overflow: 0 });
      await ui.screenshot(`${name}-phone`);
    }
  });
});
