/**
 * The Integrations and Sync settings pages in headless Chromium against the local host in demo mode: create an
 * integration through the form (a validation error shown at its field first), connect it through the
 * sandbox's OAuth flow, sync it and watch its row change without a reload, edit its settings and field
 * mapping with a preview and per-field conflict overrides, delete it after confirming; and the same UI at
 * /api/admin/ui, its mount in Azure. Saves a screenshot of each page (1280 and 390 px wide).
 */
import { join } from 'node:path';
import { SCREENSHOT_DIR, signIn, startAdminUi, type AdminUiHarness } from './harness';

jest.setTimeout(240_000);

let ui: AdminUiHarness;
beforeAll(async () => {
  ui = await startAdminUi();
}, 240_000);
afterAll(async () => ui?.stop());

const NAME = 'E2E GitHub';
const row = () => ui.page.locator('tr', { has: ui.page.getByRole('link', { name: NAME, exact: true }) });

describe('admin UI: integrations', () => {
  it('lists the demo integrations after sign-in', async () => {
    await ui.open('/integrations');
    for (const provider of ['github', 'salesforce', 'notion', 'slack', 'google'])
      await ui.page.getByRole('link', { name: `Demo ${provider}`, exact: true }).waitFor();
    await ui.screenshot('integrations');
  });

  it('creates an integration, showing the API validation error next to its field first', async () => {
    const page = ui.page;
    await page.getByRole('button', { name: 'New integration' }).click();
    await page.getByLabel('Name', { exact: true }).fill(NAME);
    await page.getByLabel('Provider', { exact: true }).selectOption('github');
    // The demo tenant's GitHub integration lends its sandbox URL and repositories to the form.
    const demoGithub = (await ui.api('tenants/demo/integrations/demo-github')) as { baseUrl: string };
    expect(await page.getByLabel(/API base URL/).inputValue()).toBe(demoGithub.baseUrl);
    await page.getByLabel(/Sync every/).fill('0');
    await page.getByRole('button', { name: 'Create integration' }).click();
    const intervalError = page.locator('#new-interval-error');
    await intervalError.waitFor();
    expect(await intervalError.textContent()).toMatch(/schedule\.intervalMinutes/);
    expect(await page.getByLabel(/Sync every/).getAttribute('aria-invalid')).toBe('true');
    await ui.screenshot('integrations-create-error');

    await page.getByLabel(/Sync every/).fill('30');
    await page.getByRole('button', { name: 'Create integration' }).click();
    await row().waitFor();
    expect(await row().textContent()).toContain('not connected');
    const listed = (await ui.api('tenants/demo/integrations')).items.find((item: any) => item.name === NAME);
    expect(listed).toMatchObject({
      provider: 'github',
      schedule: { intervalMinutes: 30 },
      entities: ['issues', 'issue_comments'],
      enabled: true,
    });
  });

  it('connects it through the OAuth flow and comes back to the list', async () => {
    const page = ui.page;
    await row()
      .getByRole('button', { name: `Connect: ${NAME}` })
      .click();
    // The sandbox approves at once and sends the browser to /api/oauth/callback, which links back here.
    await page.getByRole('heading', { name: 'Connected' }).waitFor();
    await ui.screenshot('oauth-callback');
    // The callback names the integration, and its Back link returns to the mount the flow started from.
    expect(await page.locator('body').textContent()).toContain(`Integration “${NAME}” is connected`);
    await page.getByRole('link', { name: 'Back to integrations' }).click();
    expect(new URL(page.url()).pathname).toBe('/admin/integrations');
    await row()
      .getByText(/^connected/)
      .waitFor();
  });

  it('syncs it and the row shows the run without a reload', async () => {
    const page = ui.page;
    const id = (await ui.api('tenants/demo/integrations')).items.find((item: any) => item.name === NAME).id as string;
    expect(await row().getByTestId('last-sync').textContent()).toBe('never');
    // A marker on window survives only if the page is never reloaded.
    await page.evaluate(() => ((globalThis as any).__noReload = true));
    await row()
      .getByRole('button', { name: `Sync now: ${NAME}` })
      .click();
    await page.getByText(/Sync of “E2E GitHub” started/).waitFor();

    const seen = new Set<string>();
    const deadline = Date.now() + 60_000;
    let run: any;
    for (;;) {
      seen.add(((await row().getByTestId('last-sync').textContent()) ?? '').replace(/\s+/g, ' '));
      run = (await ui.api(`tenants/demo/integrations/${id}/runs?limit=1`)).items[0];
      // Records held: the shards the integration keeps (total first, then per entity), as the API counts them.
      const records = (await row().getByTestId('records').textContent())?.trim();
      const listed = (await ui.api('tenants/demo/integrations?include=records')).items.find(
        (item: any) => item.id === id,
      );
      const held = Object.values(listed.records as Record<string, number>).reduce((sum, count) => sum + count, 0);
      if (
        run.status === 'succeeded' &&
        held > 0 &&
        records?.startsWith(held.toLocaleString('en-US')) &&
        (await row().getByTestId('last-sync').textContent())?.includes('succeeded')
      )
        break;
      if (Date.now() > deadline)
        throw new Error(
          `the row never showed the finished run: ${JSON.stringify({ run: run?.status, records, seen: [...seen] })}`,
        );
      await page.waitForTimeout(250);
    }
    expect(run.counters.created).toBeGreaterThan(0);
    expect((await row().getByTestId('errors').textContent())?.trim()).toBe(String(run.counters.errors));
    expect(await page.evaluate(() => (globalThis as any).__noReload)).toBe(true);
    // The row went from "never" to the run's state on its own: at least one state before "succeeded".
    expect([...seen].some((text) => !text.includes('succeeded'))).toBe(true);
    await ui.screenshot('integrations-after-sync');
  });

  it('edits sync settings and a field mapping, with validation errors and a preview', async () => {
    const page = ui.page;
    await row()
      .getByRole('link', { name: `Settings: ${NAME}` })
      .click();
    await page.getByRole('heading', { level: 1, name: `${NAME}: settings` }).waitFor();

    await page.getByLabel(/Sync every/).fill('15');
    await page.getByLabel('Conflict strategy').selectOption('latest_wins');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Saved.', { exact: true }).waitFor();
    const id = (await ui.api('tenants/demo/integrations')).items.find((item: any) => item.name === NAME).id as string;
    expect(await ui.api(`tenants/demo/integrations/${id}`)).toMatchObject({
      schedule: { intervalMinutes: 15 },
      conflictStrategy: 'latest_wins',
    });

    // A mapping with a bad source path: the API's error lands on that row.
    const editor = page.getByRole('tabpanel');
    await editor.getByLabel('Shard field 1').fill('title');
    await editor.getByLabel('Source path of field 1').fill('title');
    await editor.getByRole('button', { name: 'Add field' }).click();
    await editor.getByLabel('Shard field 2').fill('opened');
    await editor.getByLabel('Source path of field 2').fill('createdAt..');
    await editor.getByLabel('Convert field 2 to').selectOption('datetime');
    await editor.getByRole('button', { name: 'Save mapping' }).click();
    const rowError = editor.getByRole('group', { name: 'Field 2: opened' }).locator('.field-error');
    await rowError.waitFor();
    expect(await rowError.textContent()).toBeTruthy();
    await ui.screenshot('sync-settings-mapping-error');

    await editor.getByLabel('Source path of field 2').fill('createdAt');
    await editor.getByRole('button', { name: 'Save mapping' }).click();
    // On failure, say what the page shows instead (an error banner names the problem).
    await editor
      .getByText(/^Saved/)
      .waitFor()
      .catch(async (error) => {
        throw new Error(`mapping not saved; the editor shows: ${await editor.textContent()}\n${error}`);
      });
    const mappings = (await ui.api(`tenants/demo/integrations/${id}/mappings`)).items;
    expect(mappings.issues.fields).toMatchObject({
      title: { source: 'title' },
      opened: { source: 'createdAt', coerce: { to: 'datetime' } },
    });

    await editor
      .getByLabel(/Sample record/)
      .fill(
        JSON.stringify({ id: '7', data: { title: 'Preview me', createdAt: '2026-03-01T08:00:00Z', body: 'dropped' } }),
      );
    await editor.getByRole('button', { name: 'Preview mapped record' }).click();
    const mapped = editor.getByLabel('Mapped record');
    await mapped.waitFor();
    const data = JSON.parse((await mapped.textContent()) ?? '{}');
    expect(data.title).toBe('Preview me');
    expect(data.body).toBeUndefined();
    expect(Date.parse(data.opened)).toBe(Date.parse('2026-03-01T08:00:00Z'));
    await ui.screenshot('sync-settings');
  });

  it('sets per-field conflict overrides, showing the API error at its row', async () => {
    const page = ui.page;
    const form = page.getByRole('form', { name: 'Conflict overrides per field' });
    await form.getByRole('button', { name: 'Add override' }).click();
    await form.getByLabel('Field of override 1').fill('title');
    await form.getByLabel('Strategy for title').selectOption('custom');
    await form.getByLabel('Custom rule for title').fill('$length(local');
    await form.getByRole('button', { name: 'Save overrides' }).click();
    const rowError = form.locator('tr', { has: page.getByLabel('Field of override 1') }).locator('.field-error');
    await rowError.waitFor();
    expect(await rowError.textContent()).toContain('conflictPolicy.fields.title.rule');
    expect(await form.getByLabel('Field of override 1').getAttribute('aria-invalid')).toBe('true');
    await ui.screenshot('sync-settings-conflict-override-error');

    await form.getByLabel('Custom rule for title').fill('$length(local) >= $length(remote) ? local : remote');
    await form.getByRole('button', { name: 'Add override' }).click();
    await form.getByLabel('Field of override 2').fill('body');
    await form.getByLabel('Strategy for body').selectOption('target_wins');
    await form.getByRole('button', { name: 'Save overrides' }).click();
    await form.getByText('Overrides saved.').waitFor();
    const id = (await ui.api('tenants/demo/integrations')).items.find((item: any) => item.name === NAME).id as string;
    // The default stays the strategy chosen above (latest_wins); the rows become the policy's fields.
    expect(await ui.api(`tenants/demo/integrations/${id}`)).toMatchObject({
      conflictStrategy: 'latest_wins',
      conflictPolicy: {
        default: { kind: 'latest_wins' },
        fields: {
          title: { kind: 'custom', rule: '$length(local) >= $length(remote) ? local : remote' },
          body: { kind: 'target_wins' },
        },
      },
    });
    await ui.screenshot('sync-settings-conflict-overrides');
  });

  it('loads at /api/admin/ui/ too (its mount in Azure), signs in, and serves deep links with their assets', async () => {
    // A fresh browser context: no key in its session storage, as for someone opening the Azure URL.
    const context = await ui.browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      const page = await context.newPage();
      const failed: string[] = [];
      page.on('response', (response) => {
        if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
      });
      await signIn(ui, page, '/api/admin/ui');
      expect(new URL(page.url()).pathname).toBe('/api/admin/ui/integrations');
      await page.getByRole('link', { name: 'Health' }).click();
      expect(new URL(page.url()).pathname).toBe('/api/admin/ui/health');
      // A reload of a deep link: index.html with its <base>, so the assets still come from the mount.
      const id = (await ui.api('tenants/demo/integrations')).items.find((item: any) => item.name === NAME).id as string;
      await page.goto(`${ui.baseUrl}/api/admin/ui/integrations/${id}/settings`);
      await page.getByRole('heading', { level: 1, name: `${NAME}: settings` }).waitFor();
      expect(failed).toEqual([]);
      await page.screenshot({ path: join(SCREENSHOT_DIR, 'api-admin-ui-settings.png'), fullPage: true });
    } finally {
      await context.close();
    }
  });

  it('fits a phone screen', async () => {
    await ui.page.setViewportSize({ width: 390, height: 844 });
    await ui.open('/integrations');
    await row().waitFor();
    // Nothing wider than the screen but the table, which scrolls inside its own box.
    // (Runs in the page; this file is compiled without DOM types.)
    const overflow = await ui.page.evaluate(
      () => (globalThis as any).document.documentElement.scrollWidth - (globalThis as any).innerWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await ui.screenshot('integrations-phone');
    await row()
      .getByRole('link', { name: `Settings: ${NAME}` })
      .click();
    await ui.page.getByRole('heading', { level: 1, name: `${NAME}: settings` }).waitFor();
    await ui.screenshot('sync-settings-phone');
    await ui.page.setViewportSize({ width: 1280, height: 800 });
  });

  it('deletes it after confirmation, and Cancel keeps it', async () => {
    const page = ui.page;
    await ui.open('/integrations');
    await row()
      .getByRole('button', { name: `Delete: ${NAME}` })
      .click();
    const dialog = page.getByRole('alertdialog', { name: `Delete “${NAME}”?` });
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await row().count()).toBe(1);
    await row()
      .getByRole('button', { name: `Delete: ${NAME}` })
      .click();
    await dialog.getByRole('button', { name: 'Delete integration' }).click();
    await row().waitFor({ state: 'detached' });
    expect((await ui.api('tenants/demo/integrations')).items.some((item: any) => item.name === NAME)).toBe(false);
  });
});
