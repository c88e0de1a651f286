/**
 * A small method + path router for the admin API: patterns like "tenants/:tenantId/integrations/:integrationId",
 * parameters validated by the route. 404 for an unknown path, 405 for a known path with another method.
 */
import { AppError } from '../errors/app-error';

export type Params = Record<string, string>;

export interface Route<Ctx, Result> {
  method: string;
  pattern: string;
  handle(ctx: Ctx, params: Params): Promise<Result>;
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

  async dispatch(method: string, path: string, ctx: Ctx): Promise<Result> {
    const segments = split(path);
    let pathMatched = false;
    for (const route of this.routes) {
      const params = match(route.segments, segments);
      if (!params) continue;
      pathMatched = true;
      if (route.method === method.toUpperCase()) return route.handle(ctx, params);
    }
    if (pathMatched) throw new AppError('bad_request', `method ${method} is not allowed on this path`, { httpStatus: 405, target: 'method' });
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
    let actual: string;
    try {
      actual = decodeURIComponent(path[i]!);
    } catch {
      return undefined;
    }
    if (expected.startsWith(':')) params[expected.slice(1)] = actual;
    else if (expected !== actual) return undefined;
  }
  return params;
}
