/** A minimal, escaped HTML page for answers people read in a browser (OAuth callback). */
import type { HttpResponseInit } from '@azure/functions';

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * `link`: where the person goes next (same-site path), e.g. back to the admin UI. `icon`: a same-site favicon
 * path (without one the browser asks for /favicon.ico, which nothing serves).
 */
export function htmlPage(
  status: number,
  title: string,
  message: string,
  link?: { href: string; text: string },
  icon?: string,
): HttpResponseInit {
  const next = link ? `<p><a href="${escape(link.href)}">${escape(link.text)}</a></p>` : '';
  const iconLink = icon ? `<link rel="icon" href="${escape(icon)}">` : '';
  const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>${iconLink}</head><body><h1>${escape(title)}</h1><p>${escape(message)}</p>${next}</body></html>`;
  return {
    status,
    body,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      // Nothing but the page itself and its same-site icon.
      'content-security-policy': "default-src 'none'; img-src 'self'",
    },
  };
}
