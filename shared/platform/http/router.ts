/**
 * A small method + path router for the admin API: patterns like "tenants/:tenantId/integrations/:integrationId".
 * 404 for an unknown path, 405 for a known path with another method.
 *
 * Paths arrive decoded once, by the host (the Functions host, or the local host that decodes the same way:
 * every escape but "%2F"); the router never decodes again, so "%252F" cannot turn into a separator. Every
 * path parameter is checked by one rule (PATH_ID) before a route sees it: a value with a space, "\", "#",
 * "/", "%" (a malformed or second-level encoding) or anything else outside the rule is a 400 naming the
 * parameter. Routes may check their ids more strictly on top.
 */
import { AppError } from '../../core/app-error';

export type Params = Record<string, string>;

export interface Route<Ctx, Result> {
  method: string;
  pattern: string;
  handle(ctx: Ctx, params: Params): Promise<Result>;
}

/**
 * The one rule for an id in a path: letters, digits and "_", then up to 255 of those or ". - : @ = + ~".
 * It covers every id the app makes (UUIDs, "run:page:a2" message ids, "cf-…" conflict ids, shard ids) and
 * provider delivery ids; "#", "/", "\", "%", "?", spaces and controls are never part of one.
 */
export const PATH_ID = /^[A-Za-z0-9_][A-Za-z0-9_.:@=+~-]{0,255}$/;
export const PATH_ID_MESSAGE =
  'must be 1-256 letters, digits or "_ . - : @ = + ~", starting with a letter, digit or "_"';

export function isPathId(value: string): boolean {
  return PATH_ID.test(value);
}

interface Compiled<Ctx, Result> extends Route<Ctx, Result> {
  segments: string[];
}

export class Router<Ctx, Result> {
  private readonly routes: Compiled<Ctx, Result>[] = [];

  add(method: string, pattern: string, handle: Route<Ctx, Result>['handle']): this {
    this.routes.push({ method: method.toUpperCase(), pattern, handle, segments: split(pattern) });
    return this;
  }

  /** Every registered route, in registration order (for property tests and docs). */
  list(): ReadonlyArray<Pick<Route<Ctx, Result>, 'method' | 'pattern'>> {
    return this.routes.map(({ method, pattern }) => ({ method, pattern }));
  }

  async dispatch(method: string, path: string, ctx: Ctx): Promise<Result> {
    const segments = split(path);
    let pathMatched = false;
    for (const route of this.routes) {
      const params = match(route.segments, segments);
      if (!params) continue;
      pathMatched = true;
      if (route.method === method.toUpperCase()) return route.handle(ctx, checked(params));
    }
    if (pathMatched)
      throw new AppError('bad_request', `method ${method} is not allowed on this path`, {
        httpStatus: 405,
        target: 'method',
      });
    // After the host's one decoding a "%" is never part of a path: the client sent a malformed or repeated escape.
    if (segments.some((segment) => segment.includes('%')))
      throw new AppError('bad_request', 'path: malformed or repeated percent-encoding', { target: 'path' });
    throw new AppError('not_found', 'no such admin endpoint');
  }
}

function split(path: string): string[] {
  return path.split('/').filter(Boolean);
}

function match(pattern: string[], path: string[]): Params | undefined {
  if (pattern.length !== path.length) return undefined;
  const params: Params = {};
  for (let i = 0; i < pattern.length; i++) {
    const expected = pattern[i]!;
    const actual = path[i]!;
    if (expected.startsWith(':')) params[expected.slice(1)] = actual;
    else if (expected !== actual) return undefined;
  }
  return params;
}

function checked(params: Params): Params {
  for (const [name, value] of Object.entries(params)) {
    if (!isPathId(value)) {
      const detail = value.includes('%') ? 'malformed or repeated percent-encoding' : PATH_ID_MESSAGE;
      throw new AppError('bad_request', `${name}: ${detail}`, { target: name });
    }
  }
  return params;
}
