/**
 * The admin UI's browser test harness: the local host in demo mode (five sandboxes) on a fixed free port with
 * the test run's Cosmos, Azurite and Redis, the UI built when dist/admin-ui is missing or older than its
 * sources, and headless Debian Chromium (playwright-core) signed in with the admin key at /admin (the UI is
 * also at /api/admin/ui, its mount in Azure: `signIn(ui, page, '/api/admin/ui')`).
 *
 *   const ui = await startAdminUi();        // in beforeAll (give it a generous timeout)
 *   await ui.page.goto(`${ui.baseUrl}/admin/integrations`);
 *   await ui.api('tenants/demo/integrations');   // setup and checks through the admin API
 *   await ui.screenshot('integrations');    // tests/e2e/admin-ui/screenshots/integrations.png
 *   await ui.stop();                        // in afterAll
 */
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startLocalHost, type LocalHost } from '../../../hosts/local/local-host';
import { freePort } from '../../../hosts/local/free-port';
import { createMemoryLogger } from '../../../shared/platform/observability/logger';
import { testEnv, TEST_ADMIN_KEY } from '../../support/test-services';

const REPO = join(__dirname, '..', '..', '..');
const UI_SOURCES = [join(REPO, 'admin-ui'), join(REPO, 'shared', 'admin', 'contracts')];
const UI_BUILD = join(REPO, 'dist', 'admin-ui');
export const SCREENSHOT_DIR = join(__dirname, 'screenshots');
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Flags that keep Chromium from reaching out to the network (it hangs on a closed network without them). */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface AdminUiHarness {
  page: Page;
  context: BrowserContext;
  browser: Browser;
  host: LocalHost;
  /** http://127.0.0.1:PORT (the UI is at `${baseUrl}/admin`). */
  baseUrl: string;
  adminKey: string;
  /** The admin API, for setup and checks: `api('tenants/demo/integrations')` → parsed JSON (throws on non-2xx). */
  api<T = any>(path: string, init?: { method?: string; body?: unknown }): Promise<T>;
  /** Full-page PNG into tests/e2e/admin-ui/screenshots/<name>.png; returns the file path. */
  screenshot(name: string): Promise<string>;
  /** Open a path of the UI ("/integrations") and wait until its main heading is there. */
  open(path: string): Promise<void>;
  stop(): Promise<void>;
}

function newestMtime(path: string): number {
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry.endsWith('.test.tsx')) continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

function uiIsFresh(): boolean {
  const index = join(UI_BUILD, 'index.html');
  return existsSync(index) && statSync(index).mtimeMs >= Math.max(...UI_SOURCES.map(newestMtime));
}

/**
 * Build the UI unless the build is newer than every source file. Test files run in parallel workers, so one
 * builds under a lock file and the others wait for it, then find the build fresh.
 */
export async function ensureUiBuilt(): Promise<void> {
  mkdirSync(join(REPO, 'dist'), { recursive: true });
  const lock = join(REPO, 'dist', '.admin-ui-build.lock');
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (uiIsFresh()) return;
    let fd: number | undefined;
    try {
      fd = openSync(lock, 'wx');
    } catch {
      // Someone else builds; a lock older than three minutes is left over from a killed run.
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 180_000) rmSync(lock, { force: true });
      if (Date.now() > deadline) throw new Error('timed out waiting for another admin UI build');
      await new Promise((resolve) => setTimeout(resolve, 500));
      continue;
    }
    try {
      if (!uiIsFresh())
        execFileSync(
          process.execPath,
          [
            join(REPO, 'node_modules', 'vite', 'bin', 'vite.js'),
            'build',
            '--config',
            'admin-ui/vite.config.ts',
            '--logLevel',
            'warn',
          ],
          { cwd: REPO, stdio: 'pipe' },
        );
      return;
    } finally {
      closeSync(fd);
      rmSync(lock, { force: true });
    }
  }
}

export async function startAdminUi(
  options: { records?: number; viewport?: { width: number; height: number } } = {},
): Promise<AdminUiHarness> {
  if (!existsSync(CHROMIUM_PATH))
    throw new Error(`${CHROMIUM_PATH} is missing: apt-get install chromium (.ci/run installs it)`);
  await ensureUiBuilt();
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const host = await startLocalHost({
    // PUBLIC_BASE_URL: the OAuth callback must come back to this host, where the browser is.
    env: testEnv({
      DEMO_MODE: 'true',
      DEMO_RECORDS: String(options.records ?? 30),
      PORT: String(port),
      PUBLIC_BASE_URL: baseUrl,
    }),
    useProcessEnv: false,
    timers: false,
    overrides: { logger: createMemoryLogger('warn').logger },
  });
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: CHROMIUM_ARGS,
      headless: true,
      timeout: 60_000,
    });
    const context = await browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 800 } });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    const harness: AdminUiHarness = {
      page,
      context,
      browser,
      host,
      baseUrl,
      adminKey: TEST_ADMIN_KEY,
      async api(path, init = {}) {
        const response = await fetch(`${baseUrl}/api/admin/${path}`, {
          method: init.method ?? 'GET',
          headers: { 'x-api-key': TEST_ADMIN_KEY, 'content-type': 'application/json' },
          ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
        });
        const text = await response.text();
        if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${path} answered ${response.status}: ${text}`);
        return text ? JSON.parse(text) : undefined;
      },
      async screenshot(name) {
        mkdirSync(SCREENSHOT_DIR, { recursive: true });
        const file = join(SCREENSHOT_DIR, `${name}.png`);
        await page.screenshot({ path: file, fullPage: true });
        return file;
      },
      async open(path) {
        await page.goto(`${baseUrl}/admin${path}`);
        await page.locator('main h1').first().waitFor();
      },
      async stop() {
        await browser?.close().catch(() => undefined);
        await host.stop();
      },
    };
    await signIn(harness);
    return harness;
  } catch (error) {
    await browser?.close().catch(() => undefined);
    await host.stop();
    throw error;
  }
}

/** The UI's two mounts: /admin on the local host only, /api/admin/ui everywhere (the one that works in Azure). */
export const UI_MOUNTS = ['/admin', '/api/admin/ui'] as const;

/** Sign in as a person would: the form at the mount (/admin by default), the key, and the integrations list behind it. */
export async function signIn(
  ui: AdminUiHarness,
  page: Page = ui.page,
  mount: (typeof UI_MOUNTS)[number] = '/admin',
): Promise<void> {
  await page.goto(`${ui.baseUrl}${mount}/`);
  await page.getByLabel('Admin API key').fill(ui.adminKey);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Integrations' }).waitFor();
}
