/** GitHub's error bodies and the list-page mechanics (per_page, page, Link header) shared by the routes. */
import type { OrderedView } from '../common/lazy-store';
import type { RequestContext } from '../common/router';
import type { SandboxResponse } from '../common/types';

export const DOCS_URL = 'https://docs.github.com/rest';

export function ghError(
  status: number,
  message: string,
  extra: Record<string, unknown> = {},
  headers?: Record<string, string>,
): SandboxResponse {
  return { status, json: { message, documentation_url: DOCS_URL, status: String(status), ...extra }, headers };
}

export function validationFailed(resource: string, field: string, code: 'missing_field' | 'invalid'): SandboxResponse {
  return ghError(422, 'Validation Failed', { errors: [{ resource, field, code }] });
}

/** One page of a list, GitHub style: `per_page` capped at 100 (default 30), 1-based `page`, Link header. */
export function listPage<T>(
  ctx: RequestContext,
  view: OrderedView<T>,
  options: { descending: boolean; keep?: (item: T) => boolean },
): SandboxResponse {
  const perPage = Math.min(100, Math.max(1, Number.parseInt(ctx.query.get('per_page') ?? '30', 10) || 30));
  const page = Math.max(1, Number.parseInt(ctx.query.get('page') ?? '1', 10) || 1);
  const offset = (page - 1) * perPage;
  const items: T[] = [];
  let total: number;
  const at = (k: number) => view.at(options.descending ? view.length - 1 - k : k);
  if (!options.keep) {
    total = view.length;
    for (let k = offset; k < Math.min(total, offset + perPage); k += 1) items.push(at(k));
  } else {
    // A filtered list has no arithmetic shortcut: scan (fine for sandbox sizes, slow for deep pages).
    total = 0;
    for (let k = 0; k < view.length; k += 1) {
      const item = at(k);
      if (!options.keep(item)) continue;
      if (total >= offset && items.length < perPage) items.push(item);
      total += 1;
    }
  }
  const lastPage = Math.max(1, Math.ceil(total / perPage));
  const link = (n: number, rel: string) => {
    const url = new URL(ctx.path, ctx.baseUrl);
    ctx.query.forEach((value, key) => url.searchParams.set(key, value));
    url.searchParams.set('page', String(n));
    return `<${url.toString()}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (page > 1) links.push(link(page - 1, 'prev'), link(1, 'first'));
  if (page < lastPage) links.push(link(page + 1, 'next'), link(lastPage, 'last'));
  return { status: 200, json: items, headers: links.length ? { link: links.join(', ') } : undefined };
}

/**
 * The list ordered as `sort` asks: by updated_at as stored (sort=updated), else by created_at then id, GitHub's
 * default ("created"; "comments" is read the same way, as every seeded issue has as many comments). Ordering by
 * creation materialises the list: fine for sandbox sizes, and the adapter always asks for sort=updated.
 */
export function sortedAs<T extends { id: number }>(view: OrderedView<T>, sort: string | null): OrderedView<T> {
  if (sort === 'updated') return view;
  const items = Array.from({ length: view.length }, (_, k) => view.at(k));
  const created = (item: T) => Date.parse(String((item as Record<string, unknown>).created_at));
  items.sort((a, b) => created(a) - created(b) || a.id - b.id);
  return { length: items.length, at: (position) => items[position]! };
}

/** GitHub's answer to a `since` it cannot read: 422 with this message and no `errors` list. */
export function sinceNotIso8601(): SandboxResponse {
  return ghError(422, 'The since parameter needs to be in ISO 8601 format: YYYY-MM-DDTHH:MM:SSZ');
}

/** `since` as GitHub reads it (ISO-8601); undefined when absent, null when invalid. */
export function sinceMs(ctx: RequestContext): number | undefined | null {
  const since = ctx.query.get('since');
  if (since === null || since === '') return undefined;
  const ms = Date.parse(since);
  return Number.isNaN(ms) ? null : ms;
}
