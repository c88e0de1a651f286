/**
 * The HTTP shell every provider sandbox runs in: node:http on 127.0.0.1, the provider's routes behind bearer
 * auth, fault injection before routing, call counts, and the /__sandbox/ admin endpoints. The provider
 * supplies routes, records and its own wire shapes for errors through `SandboxBehaviour`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { ProviderId } from '../../../shared/core/providers';
import { adminRouter } from './admin';
import { FaultInjector } from './faults';
import type { RequestContext, Router } from './router';
import type { TokenCheck, TokenStore } from './tokens';
import {
  SandboxReply,
  type CallStats,
  type FaultSpec,
  type RunningSandbox,
  type SandboxControl,
  type SandboxRecords,
  type SandboxResponse,
} from './types';
import type { WebhookEmitter } from './webhooks';

const MAX_BODY_BYTES = 1024 * 1024;

export interface SandboxBehaviour {
  provider: ProviderId;
  router: Router;
  records: SandboxRecords;
  tokens: TokenStore;
  webhooks?: WebhookEmitter;
  unauthorized(check: Exclude<TokenCheck, { ok: true }>, ctx: RequestContext): SandboxResponse;
  notFound(ctx: RequestContext): SandboxResponse;
  invalidJson(ctx: RequestContext): SandboxResponse;
  rateLimited(fault: Extract<FaultSpec, { kind: 'rate_limit' }>, ctx: RequestContext): SandboxResponse;
  serverError(status: number, ctx: RequestContext): SandboxResponse;
  /** Runs after an authenticated route answered: rate-limit headers, conditional requests (304), … */
  afterRoute?(ctx: RequestContext, response: SandboxResponse): SandboxResponse;
  /** Runs before the route on authenticated routes; may answer instead (e.g. primary rate limit exhausted). */
  beforeRoute?(ctx: RequestContext): SandboxResponse | undefined;
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) resolve(undefined);
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function write(res: ServerResponse, response: SandboxResponse, truncate = false): void {
  const headers: Record<string, string> = { ...response.headers };
  let payload = '';
  if (response.json !== undefined) {
    payload = JSON.stringify(response.json);
    headers['content-type'] ??= 'application/json; charset=utf-8';
  } else if (response.text !== undefined) {
    payload = response.text;
  }
  let bytes = Buffer.from(payload, 'utf8');
  // A truncated body keeps a consistent Content-Length: the client gets a complete HTTP answer with broken JSON.
  if (truncate && bytes.length > 1) bytes = bytes.subarray(0, Math.floor(bytes.length / 2));
  headers['content-length'] = String(bytes.length);
  res.writeHead(response.status, headers);
  res.end(bytes);
}

class CallCounter {
  private stats: CallStats = { total: 0, byRoute: {}, byStatus: {} };
  record(route: string): void {
    this.stats.total += 1;
    this.stats.byRoute[route] = (this.stats.byRoute[route] ?? 0) + 1;
  }
  status(status: number): void {
    this.stats.byStatus[status] = (this.stats.byStatus[status] ?? 0) + 1;
  }
  snapshot(): CallStats {
    return structuredClone(this.stats);
  }
  reset(): void {
    this.stats = { total: 0, byRoute: {}, byStatus: {} };
  }
}

export async function startSandboxServer(behaviour: SandboxBehaviour, port = 0): Promise<RunningSandbox> {
  const faults = new FaultInjector();
  const calls = new CallCounter();
  let baseUrl = '';
  const control: SandboxControl = {
    provider: behaviour.provider,
    records: behaviour.records,
    issueToken: (options) => behaviour.tokens.issue('sandbox-user', options?.expiresInMs),
    expireAccessTokens: () => behaviour.tokens.expireAllAccessTokens(),
    revokeRefreshTokens: () => behaviour.tokens.revokeAllRefreshTokens(),
    injectFault: (fault) => faults.inject(fault),
    clearFaults: () => faults.clear(),
    calls: () => calls.snapshot(),
    resetCalls: () => calls.reset(),
    webhookDeliveries: () => behaviour.webhooks?.deliveries() ?? [],
    flushWebhooks: () => behaviour.webhooks?.flush() ?? Promise.resolve(),
  };
  const admin = adminRouter(control, faults);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', baseUrl);
    const method = (req.method ?? 'GET').toUpperCase();
    const rawBody = await readBody(req);
    const ctx: RequestContext = {
      method,
      path: url.pathname,
      route: '',
      params: {},
      query: url.searchParams,
      headers: req.headers,
      rawBody: rawBody ?? '',
      baseUrl,
      json: () => {
        try {
          return ctx.rawBody === '' ? {} : JSON.parse(ctx.rawBody);
        } catch {
          throw new SandboxReply(behaviour.invalidJson(ctx));
        }
      },
    };
    const answer = (response: SandboxResponse, truncate = false): void => {
      calls.status(response.status);
      write(res, response, truncate);
    };
    if (rawBody === undefined) return answer({ status: 413, json: { message: 'request body too large' } });
    if (url.pathname.startsWith('/__sandbox/')) {
      const found = admin.match(method, url.pathname);
      if (!found || found === 'method')
        return answer({ status: 404, json: { message: 'unknown sandbox admin route' } });
      ctx.params = found.params;
      return answer(await found.handler(ctx));
    }
    const found = behaviour.router.match(method, url.pathname);
    ctx.route = found && found !== 'method' ? found.route : `${method} (unmatched)`;
    calls.record(ctx.route);
    const fault = faults.take(method, url.pathname);
    if (fault?.kind === 'timeout') return; // never answer; stop() or the client's abort ends it
    if (fault?.kind === 'slow') {
      // Stop waiting when the client gives up, so no timer outlives the request.
      const gone = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), fault.delayMs);
        res.once('close', () => {
          clearTimeout(timer);
          resolve(true);
        });
      });
      if (gone) return;
    }
    if (fault?.kind === 'rate_limit') return answer(behaviour.rateLimited(fault, ctx));
    if (fault?.kind === 'server_error') return answer(behaviour.serverError(fault.status ?? 500, ctx));
    if (!found || found === 'method') return answer(behaviour.notFound(ctx));
    ctx.params = found.params;
    try {
      if (!found.public) {
        const check = behaviour.tokens.check(req.headers.authorization);
        if (!check.ok) return answer(behaviour.unauthorized(check, ctx));
        ctx.subject = check.subject;
        const early = behaviour.beforeRoute?.(ctx);
        if (early) return answer(early);
      }
      let response = await found.handler(ctx);
      if (!found.public && behaviour.afterRoute) response = behaviour.afterRoute(ctx, response);
      answer(response, fault?.kind === 'truncated');
    } catch (error) {
      if (error instanceof SandboxReply) return answer(error.response);
      throw error;
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent)
        write(res, {
          status: 500,
          json: { message: 'sandbox failure', detail: error instanceof Error ? error.message : String(error) },
        });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  baseUrl = `http://127.0.0.1:${boundPort}`;
  return {
    provider: behaviour.provider,
    url: baseUrl,
    port: boundPort,
    control,
    stop: async () => {
      await behaviour.webhooks?.flush();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
