/**
 * Where the app is mounted. The server writes `<base href="{mount}/">` into index.html (/admin/ on the local
 * host, /api/admin/ui/ in Azure), so the router's basename is read from document.baseURI at run time and one
 * build serves both. Without a <base> element (the Vite dev server) the app sits at the root.
 */
export function routerBasename(doc: Pick<Document, 'baseURI' | 'querySelector'>): string {
  if (!doc.querySelector('base[href]')) return '/';
  const path = new URL(doc.baseURI).pathname.replace(/\/+$/, '');
  return path === '' ? '/' : path;
}

/**
 * Before the OAuth connect flow leaves for the provider: remembers the mount the operator works at in a cookie
 * that only the callback reads (path /api/oauth, an hour), so its "Back" link returns to this mount. The
 * callback accepts only the UI's own mounts.
 */
export function rememberMountForOAuthCallback(doc: Pick<Document, 'baseURI' | 'querySelector' | 'cookie'>): void {
  const mount = routerBasename(doc);
  doc.cookie = `ise_ui_mount=${encodeURIComponent(mount === '/' ? '' : mount)}; Path=/api/oauth; Max-Age=3600; SameSite=Lax`;
}
