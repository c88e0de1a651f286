/**
 * The local host's HTTP side: binds the HTTP functions of the manifest to their routes, using the same route
 * templates as the Functions host ({name} and {*rest}) with host.json's empty routePrefix (routes carry their
 * own "api/" or "admin/"), and converts node requests into @azure/functions HttpRequest objects so handlers run
 * exactly as in Azure. Route values are decoded once, as the Functions host does (http-limits.ts), and the body
 * limits, timeouts and connection cap of http-limits.ts apply before anything is buffered. The client's address
 * is appended to X-Forwarded-For, as Azure's front end does, so the admin sign-in throttle sees it.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { HttpRequest, InvocationContext, type HttpResponseInit } from '@azure/functions';
import type { HttpFunction } from '../../functions/definition';
import type { AppServices } from '../../shared/app/services';
import { errorResponse } from '../../shared/platform/http/responses';
import { LEAN_REQUEST_FUNCTIONS, LeanHttpRequest, LeanInvocationContext } from './lean-request';
import { AppError } from '../../shared/core/app-error';
import {
  applyServerLimits,
  connectionsCheckingIntervalMs,
  decodePathOnce,
  DEFAULT_HTTP_HOST_LIMITS,
  readLimitedBody,
  TOO_LARGE_LINGER_MS,
  type HttpHostLimits,
} from './http-limits';

interface BoundRoute {
  definition: HttpFunction;
  match(path: string): Record<string, string> | undefined;
}

/** Compile a Functions route template ("webhooks/{provider}/{integrationId}", "admin/{*path}") to a matcher. */
export function compileRoute(template: string): (path: string) => Record<string, string> | undefined {
  const names: string[] = [];
  const pattern = template
    .split('/')
    .map((segment) => {
      const catchAll = /^\{\*(\w+)\}$/.exec(segment);
      if (catchAll) {
        names.push(catchAll[1]!);
        return '(.*)';
      }
      const param = /^\{(\w+)\}$/.exec(segment);
      if (param) {
        names.push(param[1]!);
        return '([^/]+)';
      }
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/')
    // A trailing catch-all may be empty, slash included ("admin/{*path}" matches "admin"), as in the Functions host.
    .replace(/\/\(\.\*\)$/, '(?:/(.*))?');
  const regex = new RegExp(`^${pattern}/?$`);
  return (path) => {
    const found = regex.exec(path);
    if (!found) return undefined;
    return Object.fromEntries(names.map((name, index) => [name, decodePathOnce(found[index + 1] ?? '')]));
  };
}

/** The body limit of a function's route: its own setting for the webhook and admin routes, the larger one otherwise. */
function bodyLimitOf(definition: HttpFunction, settings: AppServices['settings']): number {
  const { webhookMaxBodyBytes, adminMaxBodyBytes } = settings.limits;
  if (definition.name === 'WebhookReceiver') return webhookMaxBodyBytes;
  if (definition.name === 'AdminApi') return adminMaxBodyBytes;
  return Math.max(webhookMaxBodyBytes, adminMaxBodyBytes);
}

/** The request's URL; a Host header or target that makes no URL is the client's error (400), not the host's. */
function requestUrl(request: IncomingMessage): URL {
  try {
    return new URL(request.url ?? '/', `http://${request.headers.host ?? 'localhost'}`);
  } catch {
    throw new AppError('bad_request', 'url: not a valid request target or Host header', { target: 'url' });
  }
}

/** X-Forwarded-For with this connection's address appended last, where a trusted front end puts it. */
function forwardedFor(request: IncomingMessage): string | undefined {
  const remote = request.socket.remoteAddress;
  const given = request.headers['x-forwarded-for'];
  const earlier = Array.isArray(given) ? given.join(', ') : given;
  if (!remote) return earlier;
  return earlier ? `${earlier}, ${remote}` : remote;
}

/**
 * Plain objects of lower-case names and untrimmable string values (what the app's responses carry) are set as
 * they are; anything else goes through WHATWG Headers, which lower-cases, trims and joins, as before. Building a
 * Headers object per answer cost more than the rest of writing it.
 */
function setHeaders(response: ServerResponse, headers: HttpResponseInit['headers']): void {
  if (headers === undefined || headers === null) return;
  if (Object.getPrototypeOf(headers) === Object.prototype) {
    const entries = Object.entries(headers as Record<string, unknown>);
    if (
      entries.every(
        ([name, value]) => typeof value === 'string' && name === name.toLowerCase() && value === value.trim(),
      )
    ) {
      for (const [name, value] of entries) response.setHeader(name, value as string);
      return;
    }
  }
  new Headers(headers as ConstructorParameters<typeof Headers>[0]).forEach((value, key) =>
    response.setHeader(key, value),
  );
}

async function writeResponse(response: ServerResponse, result: HttpResponseInit): Promise<void> {
  setHeaders(response, result.headers);
  let body: Buffer | string | undefined;
  if (result.jsonBody !== undefined) {
    body = JSON.stringify(result.jsonBody);
    if (!response.hasHeader('content-type')) response.setHeader('content-type', 'application/json; charset=utf-8');
  } else if (typeof result.body === 'string' || Buffer.isBuffer(result.body)) body = result.body;
  else if (result.body instanceof Uint8Array) body = Buffer.from(result.body);
  else if (result.body !== undefined && result.body !== null)
    body = Buffer.from(await new Response(result.body as ConstructorParameters<typeof Response>[0]).arrayBuffer());
  response.statusCode = result.status ?? 200;
  response.end(body);
}

export function createHttpHost(
  definitions: HttpFunction[],
  services: AppServices,
  limits: Partial<HttpHostLimits> = {},
): Server {
  const routes: BoundRoute[] = definitions.map((definition) => ({ definition, match: compileRoute(definition.route) }));
  const effective = { ...DEFAULT_HTTP_HOST_LIMITS, ...limits };
  const server = createServer({ connectionsCheckingInterval: connectionsCheckingIntervalMs(effective) }, (req, res) => {
    void (async () => {
      try {
        const url = requestUrl(req);
        // Routes are matched without the leading "/", as the Functions host does with an empty routePrefix.
        const path = url.pathname.slice(1);
        const method = (req.method ?? 'GET').toUpperCase();
        let matched: { route: BoundRoute; params: Record<string, string> } | undefined;
        for (const route of routes) {
          const params = route.match(path);
          if (params && route.definition.methods.includes(method as HttpFunction['methods'][number])) {
            matched = { route, params };
            break;
          }
        }
        if (!matched) {
          await writeResponse(res, {
            status: 404,
            jsonBody: { error: { code: 'not_found', message: 'no such route' } },
          });
          return;
        }
        const bytes =
          method === 'GET' || method === 'HEAD'
            ? undefined
            : await readLimitedBody(req, bodyLimitOf(matched.route.definition, services.settings));
        const headers: Record<string, string> = {};
        const given = req.headers;
        for (const key in given) {
          const value = given[key];
          if (value !== undefined) headers[key] = Array.isArray(value) ? value.join(', ') : value;
        }
        const forwarded = forwardedFor(req);
        if (forwarded) headers['x-forwarded-for'] = forwarded;
        const init = {
          method,
          url: url.toString(),
          headers,
          params: matched.params,
          ...(bytes ? { body: { bytes } } : {}),
        };
        // The webhook route takes a lean conversion (lean-request.ts): same interface, a fraction of the cost.
        const name = matched.route.definition.name;
        const lean = LEAN_REQUEST_FUNCTIONS.has(name);
        const request = lean ? new LeanHttpRequest(init, url.searchParams) : new HttpRequest(init);
        const context = lean
          ? new LeanInvocationContext(randomUUID(), name)
          : new InvocationContext({ invocationId: randomUUID(), functionName: name });
        await writeResponse(res, await matched.route.definition.handler(request, context, services));
      } catch (error) {
        if (error instanceof AppError && error.code === 'payload_too_large') {
          // The rest of the body is never buffered: after the answer it is discarded for a moment, so a client
          // still sending reads the 413 rather than a reset (closing on unread data resets), then cut off.
          const socket = req.socket;
          res.once('finish', () => {
            req.resume();
            // A body that ended within the moment leaves a healthy keep-alive connection, possibly serving already.
            setTimeout(() => req.complete || socket.destroy(), TOO_LARGE_LINGER_MS).unref();
          });
        } else if (!(error instanceof AppError && error.httpStatus < 500))
          services.logger.error('local host request failed', { error });
        if (!res.headersSent) await writeResponse(res, errorResponse(error));
        else res.end();
      }
    })();
  });
  applyServerLimits(server, effective);
  return server;
}

/** Stop accepting, close idle keep-alive connections, and resolve once the requests in progress are answered. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}
