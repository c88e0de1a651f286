/** A tiny method + path-pattern router for sandboxes (`/repos/:owner/:repo/issues/:number`). */
import type { IncomingHttpHeaders } from 'node:http';
import { SandboxReply, type SandboxResponse } from './types';

export interface RequestContext {
  method: string;
  path: string;
  /** The route pattern that matched, e.g. "GET /v1/pages/:id" (for call counts). */
  route: string;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  rawBody: string;
  /** The parsed JSON body; throws a provider-shaped 400 when it is not JSON. */
  json(): unknown;
  /** Set by the sandbox's authenticate hook. */
  subject?: string;
  /** The sandbox's own base URL (for url fields and Link headers). */
  baseUrl: string;
}

export type RouteHandler = (ctx: RequestContext) => SandboxResponse | Promise<SandboxResponse>;

interface Route {
  method: string;
  pattern: string;
  regex: RegExp;
  names: string[];
  handler: RouteHandler;
  public: boolean;
}

export interface RouteMatch {
  route: string;
  params: Record<string, string>;
  handler: RouteHandler;
  public: boolean;
}

export class Router {
  private readonly routes: Route[] = [];

  /** `public` routes skip bearer auth (OAuth endpoints). */
  add(method: string, pattern: string, handler: RouteHandler, options: { public?: boolean } = {}): this {
    const names: string[] = [];
    const source = pattern
      .split('/')
      .map((part) => {
        if (!part.startsWith(':')) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        names.push(part.slice(1));
        return '([^/]+)';
      })
      .join('/');
    this.routes.push({
      method: method.toUpperCase(),
      pattern,
      regex: new RegExp(`^${source}/?$`),
      names,
      handler,
      public: options.public ?? false,
    });
    return this;
  }

  /** The matching route, 'method' when the path exists with another method, or undefined. */
  match(method: string, path: string): RouteMatch | 'method' | undefined {
    let pathMatched = false;
    for (const route of this.routes) {
      const found = route.regex.exec(path);
      if (!found) continue;
      pathMatched = true;
      if (route.method !== method.toUpperCase()) continue;
      const params: Record<string, string> = {};
      route.names.forEach((name, i) => (params[name] = decodeURIComponent(found[i + 1]!)));
      return { route: `${route.method} ${route.pattern}`, params, handler: route.handler, public: route.public };
    }
    return pathMatched ? 'method' : undefined;
  }
}

export function jsonReply(status: number, json: unknown, headers?: Record<string, string>): SandboxResponse {
  return { status, json, headers };
}

/** Throws a reply from inside a handler. */
export function fail(response: SandboxResponse): never {
  throw new SandboxReply(response);
}
