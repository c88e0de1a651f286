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
