/**
 * Serves a built single-page app from a folder: files by extension with their content type, hashed assets
 * cached for a year, index.html never cached, unknown non-asset paths answered with index.html so deep links
 * work, anything that escapes the folder refused, and strict security headers on every answer. Transport-free:
 * it takes the path under the site and answers an HttpResponseInit.
 *
 * One build serves several mounts (/admin on the local host, /api/admin/ui in Azure, where the host keeps
 * /admin/* for itself): Vite builds with relative asset URLs and index.html gets `<base href="{mount}/">`, so
 * assets resolve from any deep link and the app reads its router basename from document.baseURI.
 */
import { readFile, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import type { HttpResponseInit } from '@azure/functions';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** Only the app's own origin, no framing, no plugins; the API is same-origin (/api/admin). */
export const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';
/** Vite names built assets "name-<hash>.ext" under assets/: their content never changes under that name. */
const HASHED_ASSET = /^assets\/.+-[A-Za-z0-9_-]{8,}\.[a-z0-9]+$/;

function answer(status: number, body: string | Buffer, contentType: string, cacheControl: string): HttpResponseInit {
  return { status, body, headers: { 'content-type': contentType, 'cache-control': cacheControl, ...SECURITY_HEADERS } };
}

function plain(status: number, text: string): HttpResponseInit {
  return answer(status, text, 'text/plain; charset=utf-8', 'no-store');
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

function notBuiltPage(): HttpResponseInit {
  const body =
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Admin UI not built</title></head><body>' +
    '<h1>The admin UI is not built</h1><p>Run <code>npm run build</code> (or <code>npm start</code>, which builds first), then reload this page.</p>' +
    '<p>The admin API itself answers at <code>/api/admin</code>.</p></body></html>';
  return answer(503, body, 'text/html; charset=utf-8', 'no-store');
}

/** The mounts the UI is served from; a closed list, since the mount is written into HTML. */
export const UI_MOUNTS = { local: '/admin', api: '/api/admin/ui' } as const;
export type UiMount = (typeof UI_MOUNTS)[keyof typeof UI_MOUNTS];

/** index.html with `<base href="{mount}/">` first in <head>, before any relative URL it must govern. */
export function withBase(html: string, mount: UiMount): string {
  const base = `<base href="${mount}/">`;
  const head = /<head(\s[^>]*)?>/i.exec(html);
  return head
    ? html.slice(0, head.index + head[0].length) + base + html.slice(head.index + head[0].length)
    : base + html;
}

/**
 * The answer for `path` (already URL-decoded, relative to the site: "", "integrations", "assets/index-abc.js").
 * `root` is the folder holding index.html; `mount` the URL path the site is served under.
 */
export async function serveSite(root: string, path: string, mount: UiMount): Promise<HttpResponseInit> {
  const siteRoot = resolve(root);
  const index = resolve(siteRoot, 'index.html');
  if (!(await isFile(index))) return notBuiltPage();

  // Refuse rather than normalise: a path with "..", a backslash or a NUL is never a link the app makes.
  const segments = path.split('/');
  if (path.includes('\\') || path.includes('\0') || segments.some((segment) => segment === '..' || segment === '.'))
    return plain(400, 'bad path');
  const file = resolve(siteRoot, ...segments.filter(Boolean));
  if (file !== siteRoot && !file.startsWith(siteRoot + sep)) return plain(400, 'bad path');

  const relative = segments.filter(Boolean).join('/');
  if (relative && relative !== 'index.html' && (await isFile(file))) {
    const type = CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
    return answer(200, await readFile(file), type, HASHED_ASSET.test(relative) ? IMMUTABLE : REVALIDATE);
  }
  // A missing file that looks like one (an extension, or under assets/) is a 404, not the app: a stale
  // chunk name must fail loudly instead of being parsed as HTML.
  if (relative !== 'index.html' && (relative.startsWith('assets/') || extname(relative) !== ''))
    return plain(404, 'not found');
  return answer(200, withBase(await readFile(index, 'utf8'), mount), CONTENT_TYPES['.html']!, REVALIDATE);
}
