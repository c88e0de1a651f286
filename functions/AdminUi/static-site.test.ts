/** The admin UI's static file answers, over a real folder laid out like a Vite build. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HttpResponseInit } from '@azure/functions';
import { serveSite, UI_MOUNTS, withBase } from './static-site';
import { adminUi } from './index';
import { adminApi } from '../AdminApi';
import { httpRequest, invocation } from '../../tests/support/invoke';

let parent: string;
let root: string;
// As `vite build` with base './' writes it: asset URLs relative, resolved against the <base> the server injects.
const INDEX =
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><script type="module" crossorigin src="./assets/index-AbCd1234.js"></script></head><body><div id="root"></div></body></html>';
const indexAt = (mount: string) => INDEX.replace('<head>', `<head><base href="${mount}/">`);

beforeAll(() => {
  parent = mkdtempSync(join(tmpdir(), 'ise-site-'));
  root = join(parent, 'admin-ui');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), INDEX);
  writeFileSync(join(root, 'assets', 'index-AbCd1234.js'), 'console.log("app")');
  writeFileSync(join(root, 'assets', 'index-Zy98_xWv.css'), 'body{}');
  writeFileSync(join(root, 'favicon.svg'), '<svg/>');
  // A file beside the site that traversal would reach.
  writeFileSync(join(parent, 'secret.txt'), 'do not serve');
});
afterAll(() => rmSync(parent, { recursive: true, force: true }));

const header = (response: HttpResponseInit, name: string) => (response.headers as Record<string, string>)[name];
const text = (response: HttpResponseInit) =>
  Buffer.isBuffer(response.body) ? response.body.toString('utf8') : String(response.body);

describe('serveSite', () => {
  it('serves built files with their content type; hashed assets immutable, others revalidated', async () => {
    const script = await serveSite(root, 'assets/index-AbCd1234.js', UI_MOUNTS.local);
    expect(script.status).toBe(200);
    expect(text(script)).toBe('console.log("app")');
    expect(header(script, 'content-type')).toBe('text/javascript; charset=utf-8');
    expect(header(script, 'cache-control')).toBe('public, max-age=31536000, immutable');
    const style = await serveSite(root, 'assets/index-Zy98_xWv.css', UI_MOUNTS.local);
    expect(header(style, 'content-type')).toBe('text/css; charset=utf-8');
    const icon = await serveSite(root, 'favicon.svg', UI_MOUNTS.local);
    expect(header(icon, 'content-type')).toBe('image/svg+xml');
    expect(header(icon, 'cache-control')).toBe('no-cache');
  });

  it('answers index.html with the base of its mount, never cached, for the root and deep links of the app', async () => {
    for (const mount of [UI_MOUNTS.local, UI_MOUNTS.api]) {
      for (const path of ['', 'integrations', 'integrations/demo-github/runs/run-1', 'index.html']) {
        const page = await serveSite(root, path, mount);
        expect({ mount, path, status: page.status, body: text(page) }).toEqual({
          mount,
          path,
          status: 200,
          body: indexAt(mount),
        });
        expect(header(page, 'content-type')).toBe('text/html; charset=utf-8');
        expect(header(page, 'cache-control')).toBe('no-cache');
      }
    }
  });

  it('makes a deep link load its assets from the mount, not from the deep path', async () => {
    // What a browser does with the page at /api/admin/ui/integrations/x/settings: resolve "./assets/…" against <base>.
    const html = text(await serveSite(root, 'integrations/x/settings', UI_MOUNTS.api));
    const base = /<base href="([^"]+)">/.exec(html)![1]!;
    const script = /src="([^"]+)"/.exec(html)![1]!;
    const resolved = new URL(script, new URL(base, 'https://app.example/api/admin/ui/integrations/x/settings'));
    expect(resolved.pathname).toBe('/api/admin/ui/assets/index-AbCd1234.js');
    // …and that asset is served under the mount, byte for byte.
    expect(text(await serveSite(root, resolved.pathname.slice(UI_MOUNTS.api.length + 1), UI_MOUNTS.api))).toBe(
      'console.log("app")',
    );
  });

  it('puts <base> first in <head>, whatever the head tag carries, and once', () => {
    expect(withBase('<html><HEAD data-x="1"><title>t</title></HEAD></html>', UI_MOUNTS.local)).toBe(
      '<html><HEAD data-x="1"><base href="/admin/"><title>t</title></HEAD></html>',
    );
    expect(withBase('<html><header></header></html>', UI_MOUNTS.api).startsWith('<base href="/api/admin/ui/">')).toBe(
      true,
    );
  });

  it('answers 404, not the app, for a missing asset', async () => {
    expect((await serveSite(root, 'assets/index-Old00000.js', UI_MOUNTS.local)).status).toBe(404);
    expect((await serveSite(root, 'robots.txt', UI_MOUNTS.local)).status).toBe(404);
  });

  it('refuses paths that climb out of the site', async () => {
    for (const path of [
      '../secret.txt',
      'assets/../../secret.txt',
      '..',
      'assets/..\\..\\secret.txt',
      './index.html',
      'a\0b',
    ]) {
      const refused = await serveSite(root, path, UI_MOUNTS.local);
      expect({ path, status: refused.status }).toEqual({ path, status: 400 });
      expect(text(refused)).not.toContain('do not serve');
    }
  });

  it('puts the security headers on every answer', async () => {
    for (const path of ['', 'assets/index-AbCd1234.js', 'assets/missing-00000000.js', '../secret.txt']) {
      const response = await serveSite(root, path, UI_MOUNTS.local);
      const csp = header(response, 'content-security-policy');
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(header(response, 'x-content-type-options')).toBe('nosniff');
    }
  });

  it('answers 503 naming npm run build when the UI is not built', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'ise-site-empty-'));
    try {
      const response = await serveSite(empty, 'integrations', UI_MOUNTS.local);
      expect(response.status).toBe(503);
      expect(text(response)).toContain('npm run build');
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe('the UI behind both functions', () => {
  const services = { settings: { limits: { adminMaxBodyBytes: 1024 } } } as never;

  it('AdminApi serves it at /api/admin/ui without the API key, GET only, and keeps the key on the API', async () => {
    for (const path of ['ui', 'ui/', 'ui/integrations/x/settings']) {
      const response = await adminApi.handler(
        httpRequest('GET', `admin/${path}`, { params: { path } }),
        invocation('AdminApi'),
        services,
      );
      // Built or not, the answer is the UI's own (index.html with the /api/admin/ui base, or the build hint), never a 401.
      if (response.status === 200) expect(text(response)).toContain('<base href="/api/admin/ui/">');
      else
        expect({ path, status: response.status, mentionsBuild: text(response).includes('npm run build') }).toEqual({
          path,
          status: 503,
          mentionsBuild: true,
        });
    }
    const post = await adminApi.handler(
      httpRequest('POST', 'admin/ui', { params: { path: 'ui' }, body: {} }),
      invocation('AdminApi'),
      services,
    );
    expect(post.status).toBe(405);
  });

  it('AdminUi serves it at /admin with the /admin base', async () => {
    const response = await adminUi.handler(
      httpRequest('GET', 'admin', { params: { path: '' } }),
      invocation('AdminUi'),
      undefined as never,
    );
    if (response.status === 200) expect(text(response)).toContain('<base href="/admin/">');
    else expect(response.status).toBe(503);
  });
});

describe('AdminUi function', () => {
  it('serves /admin from dist/admin-ui at the package root, or says how to build it', async () => {
    const response = await adminUi.handler(
      httpRequest('GET', 'admin', { params: { path: '' } }),
      invocation('AdminUi'),
      undefined as never,
    );
    // Either state is legitimate here (the test run may or may not have built the UI); both name themselves.
    if (response.status === 200) expect(text(response)).toContain('<div id="root">');
    else
      expect({ status: response.status, mentionsBuild: text(response).includes('npm run build') }).toEqual({
        status: 503,
        mentionsBuild: true,
      });
  });
});
