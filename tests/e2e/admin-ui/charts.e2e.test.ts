/**
 * The Charts page and the webhook delivery viewer in headless Chromium against the local host in demo mode.
 * A full sync of the GitHub sandbox meets one 429 (an injected fault), and signed deliveries arrive (one with an
 * authorization header and a token in its payload, one with a bad signature); then:
 *   - Charts: each chart draws bars or lines, and its Table view shows the same figures as the admin API;
 *   - Deliveries: the list filters by verdict and event type; a delivery's page shows its event type, headers
 *     with the signature and authorization redacted, its payload, and links to the run it started; no secret
 *     or token is anywhere on the page.
 * Saves screenshots at 1280 px (and the Charts page at 390 px, which must not scroll sideways).
 */
import { signGithub } from '../../../dev/webhook-signing';
import { startAdminUi, type AdminUiHarness } from './harness';

jest.setTimeout(300_000);

const INTEGRATION = 'demo-github';
const BASE = `tenants/demo/integrations/${INTEGRATION}`;
const SECRET = 'e2e-charts-secret-0123456789';
const TOKEN = 'gho_e2e_live_token_4242';
const PAYLOAD_TOKEN = 'payload-verification-token-77';

interface BrowserGlobals {
  innerWidth: number;
  document: { documentElement: { scrollWidth: number } };
}

let ui: AdminUiHarness;
let runId: string;

async function waitForRun(id: string): Promise<any> {
  const deadline = Date.now() + 180_000;
  for (;;) {
    const run = await ui.api(`${BASE}/runs/${id}`);
    if (run.status === 'succeeded' || run.status === 'failed') return run;
    if (Date.now() > deadline) throw new Error(`run ${id} did not finish: ${JSON.stringify(run)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function deliver(deliveryId: string, signature?: string): Promise<number> {
  const body = JSON.stringify({
    action: 'edited',
    issue: { id: 9_100_001, number: 1, title: 'Charts e2e' },
    repository: { full_name: 'acme/widgets' },
    token: PAYLOAD_TOKEN,
  });
  const response = await fetch(`${ui.baseUrl}/api/webhooks/github/${INTEGRATION}`, {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/json',
      'x-hub-signature-256': signature ?? signGithub(body, SECRET),
      'x-github-delivery': deliveryId,
      'x-github-event': 'issues',
      authorization: `Bearer ${TOKEN}`,
    },
  });
  await response.text();
  return response.status;
}

beforeAll(async () => {
  ui = await startAdminUi({ records: 120 });
  // One 429 from GitHub on the first page read: the limiter counts it, the page waits and is fetched again.
  const github = ui.host.demo!.sandboxes.find((sandbox) => sandbox.provider === 'github')!.control;
  github.injectFault({ kind: 'rate_limit', retryAfterSeconds: 1, method: 'GET', path: '/issues', count: 1 });
  const started = await ui.api(`${BASE}/sync`, { method: 'POST', body: { mode: 'full' } });
  runId = started.runId;
  await waitForRun(runId);
  await ui.api(`${BASE}/webhook-secret`, { method: 'PUT', body: { secret: SECRET } });
  expect(await deliver('charts-e2e-1')).toBe(200);
  expect(await deliver('charts-e2e-2', `sha256=${'0'.repeat(64)}`)).toBe(401);
}, 300_000);
afterAll(async () => ui?.stop());

describe('admin UI: charts and the delivery viewer', () => {
  it('Charts: pictures of runs, webhooks and 429s, each with a table of the same figures', async () => {
    const page = ui.page;
    await ui.open('/charts');
    const synced = page.getByRole('figure', { name: 'Records synced per integration' });
    await synced.getByRole('img').waitFor();
    expect(await synced.locator('rect').count()).toBeGreaterThan(0);
    await page.getByRole('figure', { name: 'Webhook deliveries by verdict' }).locator('rect').first().waitFor();
    const throttled = page.getByRole('figure', { name: '429 answers per provider' });
    await throttled.locator('rect').first().waitFor();
    await ui.screenshot('charts');

    // The table view holds what the API answered for the same range.
    const to = new Date(Math.ceil(Date.now() / 60_000) * 60_000);
    const from = new Date(to.getTime() - 24 * 3600_000);
    const api = await ui.api(`tenants/demo/metrics/runs?from=${from.toISOString()}&to=${to.toISOString()}&bucket=1h`);
    const github = api.integrations.find((series: any) => series.integrationId === INTEGRATION);
    const total = github.synced.reduce((sum: number, value: number) => sum + value, 0);
    expect(total).toBeGreaterThanOrEqual(120);
    await synced.getByRole('button', { name: 'Table' }).click();
    expect(await synced.getByRole('button', { name: 'Table' }).getAttribute('aria-pressed')).toBe('true');
    const table = synced.getByRole('table');
    await table.waitFor();
    const headers = await table.locator('thead th').allTextContents();
    const column = headers.findIndex((text) => text.startsWith(github.name));
    expect(column).toBeGreaterThan(0);
    const footer = await table.locator('tfoot tr > *').allTextContents();
    expect(footer[column]!.replace(/,/g, '')).toBe(String(total));
    expect(await table.locator('tbody tr').count()).toBe(api.starts.length);

    await throttled.getByRole('button', { name: 'Table' }).click();
    const limits = await ui.api(`tenants/demo/metrics/rate-limits?from=${from.toISOString()}&to=${to.toISOString()}`);
    const github429 = limits.providers.find((series: any) => series.provider === 'github');
    expect(github429.responses429.reduce((sum: number, value: number) => sum + value, 0)).toBe(1);
    // The page the 429 sent back waited for its retry: one throttle wait of about the second GitHub asked for.
    expect(github429.throttleWaits.reduce((sum: number, value: number) => sum + value, 0)).toBeGreaterThanOrEqual(1);
    expect(github429.throttleWaitMs.reduce((sum: number, value: number) => sum + value, 0)).toBeGreaterThanOrEqual(
      1000,
    );
    const throttledFooter = await throttled.locator('tfoot tr > *').allTextContents();
    expect(throttledFooter).toEqual([
      'Total',
      ...limits.providers.map((series: any) => String(series.responses429.reduce((a: number, b: number) => a + b, 0))),
    ]);
    await ui.screenshot('charts-table');
  });

  it('Deliveries: filters by verdict and event type, and one delivery with its run and no secret', async () => {
    const page = ui.page;
    await ui.open(`/deliveries?integration=${INTEGRATION}`);
    const accepted = page.locator('tr[data-delivery-id="charts-e2e-1"]');
    await accepted.waitFor();
    expect(await accepted.locator('td[data-label="Event type"]').textContent()).toBe('issues');
    await page.getByLabel('Verdict').selectOption('rejected');
    await accepted.waitFor({ state: 'detached' });
    const rejectedRows = page.locator('tbody tr');
    await rejectedRows.first().waitFor();
    expect(await rejectedRows.locator('td[data-label="Verdict"]').allTextContents()).toEqual(
      expect.arrayContaining([expect.stringContaining('bad_signature')]),
    );
    await page.getByLabel('Verdict').selectOption('');
    await page.getByLabel('Event type').fill('issue_comment');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByText('No delivery matches these filters.').waitFor();
    await page.getByLabel('Event type').fill('issues');
    await page.getByRole('button', { name: 'Apply' }).click();
    await accepted.waitFor();
    await ui.screenshot('deliveries');

    await accepted.getByRole('link', { name: 'charts-e2e-1' }).click();
    await page.getByRole('heading', { level: 1, name: /Delivery charts-e2e-1/ }).waitFor();
    expect(await page.getByTestId('event-type').textContent()).toBe('issues');
    const headerRow = (name: string) =>
      page.locator('table.header-table tr', { has: page.getByRole('rowheader', { name, exact: true }) });
    expect(await headerRow('x-hub-signature-256').locator('td').textContent()).toBe('[redacted]');
    expect(await headerRow('authorization').locator('td').textContent()).toBe('[redacted]');
    expect(await headerRow('x-github-event').locator('td').textContent()).toBe('issues');
    const payload = await page.locator('pre.payload').textContent();
    expect(JSON.parse(payload!)).toMatchObject({ issue: { title: 'Charts e2e' }, token: '[redacted]' });
    const html = await page.content();
    for (const secret of [SECRET, TOKEN, PAYLOAD_TOKEN]) expect(html).not.toContain(secret);
    await ui.screenshot('delivery');

    const receipt = (await ui.api(`${BASE}/webhooks/deliveries/charts-e2e-1`)).receipt;
    const started = receipt.runIds[0];
    await page.getByRole('link', { name: started }).click();
    await page.waitForURL(new RegExp(`/integrations/${INTEGRATION}/runs/${started}$`));

    // The Webhooks page's delivery log opens the same viewer.
    await ui.open(`/webhooks?integration=${INTEGRATION}`);
    await page.locator('tr[data-delivery-id="charts-e2e-1"]').getByRole('link', { name: 'charts-e2e-1' }).click();
    await page.getByRole('heading', { level: 1, name: /Delivery charts-e2e-1/ }).waitFor();
  });

  it('Charts fit a phone screen', async () => {
    await ui.page.setViewportSize({ width: 390, height: 844 });
    await ui.open('/charts');
    await ui.page.getByRole('figure', { name: 'Records synced per integration' }).getByRole('img').waitFor();
    const overflow = await ui.page.evaluate(() => {
      const browser = globalThis as unknown as BrowserGlobals;
      return browser.document.documentElement.scrollWidth - browser.innerWidth;
    });
    expect(overflow).toBe(0);
    await ui.screenshot('charts-phone');
  });
});
