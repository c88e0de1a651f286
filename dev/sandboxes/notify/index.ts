/**
 * A sandbox for notification channels on 127.0.0.1, speaking each one's wire shape and checking what it gets:
 *   POST /services/T…/B…/<secret>                 Slack incoming webhook: "ok", or 400 invalid_blocks / no_text, 404 no_service
 *   POST /api/chat.postMessage                     Slack Web API: bearer xoxb token, {"ok":true,…} or {"ok":false,"error":…}
 *   POST /workflows/<id>/triggers/manual/paths/invoke?…&sig=…   Teams Workflows: 202, 400 bad card, 413 over 28 KB, 401 bad sig
 * Fault injection (common FaultInjector) answers 429 with Retry-After, 5xx, slow or never; an optional per-URL
 * rate limit answers 429 like the Teams connector does at about 4 requests a second.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { FaultInjector } from '../common/faults';
import type { FaultSpec } from '../common/types';
import { validateSlackMessage } from './validate-slack';
import { validateTeamsPayload } from './validate-teams';

export type NotifyTarget = 'slack_webhook' | 'slack_bot' | 'teams_workflow';

export interface ReceivedMessage {
  target: NotifyTarget;
  /** Webhook path id, Slack channel or workflow id. */
  key: string;
  body: Record<string, unknown>;
  bytes: number;
}

export interface RejectedMessage {
  target: NotifyTarget;
  status: number;
  error: string;
  detail?: string;
}

export interface NotifySandbox {
  url: string;
  /** A new Slack incoming-webhook URL (the secret is its path). */
  slackWebhookUrl(): string;
  /** A new bot token and the Web API base URL to use with it. */
  slackBot(): { token: string; apiUrl: string };
  addSlackChannel(name: string): void;
  /** A new Teams Workflows URL with its own signature. */
  teamsWorkflowUrl(): string;
  injectFault(fault: FaultSpec): void;
  clearFaults(): void;
  received: ReceivedMessage[];
  rejected: RejectedMessage[];
  /** Every request that arrived, accepted or not (paths without query, so signatures stay out). */
  requests: Array<{ method: string; path: string; status: number }>;
  stop(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;

export async function startNotifySandbox(options: { teamsRatePerS?: number } = {}): Promise<NotifySandbox> {
  const faults = new FaultInjector();
  const webhooks = new Set<string>();
  const tokens = new Set<string>();
  const channels = new Set(['#alerts', '#ops', 'C0123456789']);
  const workflows = new Map<string, string>();
  const recentByWorkflow = new Map<string, number[]>();
  const received: ReceivedMessage[] = [];
  const rejected: RejectedMessage[] = [];
  const requests: NotifySandbox['requests'] = [];
  let baseUrl = '';

  function reply(
    res: ServerResponse,
    status: number,
    body: string | object,
    headers: Record<string, string> = {},
  ): void {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, {
      'content-type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8',
      'content-length': String(Buffer.byteLength(text)),
      ...headers,
    });
    res.end(text);
  }

  function rateLimited(
    target: NotifyTarget,
    seconds: number,
  ): { status: number; body: string | object; headers: Record<string, string> } {
    const headers = { 'retry-after': String(seconds) };
    if (target === 'slack_bot') return { status: 429, body: { ok: false, error: 'ratelimited' }, headers };
    if (target === 'slack_webhook') return { status: 429, body: 'rate_limited', headers };
    return { status: 429, body: { error: { code: 'TooManyRequests', message: 'Rate limit is exceeded.' } }, headers };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', baseUrl);
    const method = (req.method ?? 'GET').toUpperCase();
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk as Buffer);
    }
    const raw = Buffer.concat(chunks).toString('utf8');
    const target: NotifyTarget | undefined = url.pathname.startsWith('/services/')
      ? 'slack_webhook'
      : url.pathname === '/api/chat.postMessage'
        ? 'slack_bot'
        : url.pathname.startsWith('/workflows/')
          ? 'teams_workflow'
          : undefined;
    const answer = (
      status: number,
      body: string | object,
      headers: Record<string, string> = {},
      error?: string,
      detail?: string,
    ): void => {
      requests.push({ method, path: url.pathname, status });
      if (status >= 400 && target) rejected.push({ target, status, error: error ?? String(status), detail });
      reply(res, status, body, headers);
    };
    if (method !== 'POST' || !target) return answer(404, 'not_found');

    const fault = faults.take(method, url.pathname);
    if (fault?.kind === 'timeout') return void requests.push({ method, path: url.pathname, status: 0 });
    if (fault?.kind === 'slow') await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    if (fault?.kind === 'rate_limit') {
      const limited = rateLimited(target, fault.retryAfterSeconds ?? 1);
      return answer(limited.status, limited.body, limited.headers, 'rate_limited');
    }
    if (fault?.kind === 'server_error')
      return answer(
        fault.status ?? 500,
        target === 'slack_bot' ? { ok: false, error: 'internal_error' } : 'internal_error',
        {},
        'server_error',
      );

    if (target === 'slack_webhook') {
      const id = url.pathname.slice('/services/'.length);
      if (!webhooks.has(id)) return answer(404, 'no_service', {}, 'no_service');
      const body = parse(raw);
      const problem = validateSlackMessage(body);
      if (problem) return answer(400, problem.error, {}, problem.error, problem.detail);
      received.push({ target, key: id, body: body as Record<string, unknown>, bytes: Buffer.byteLength(raw) });
      return answer(200, 'ok');
    }
    if (target === 'slack_bot') {
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (!token) return answer(200, { ok: false, error: 'not_authed' }, {}, 'not_authed');
      if (!tokens.has(token)) return answer(200, { ok: false, error: 'invalid_auth' }, {}, 'invalid_auth');
      const body = parse(raw) as Record<string, unknown> | undefined;
      if (!body) return answer(200, { ok: false, error: 'invalid_json' }, {}, 'invalid_json');
      if (typeof body.channel !== 'string' || !channels.has(body.channel))
        return answer(200, { ok: false, error: 'channel_not_found' }, {}, 'channel_not_found');
      const problem = validateSlackMessage({ text: body.text, blocks: body.blocks });
      if (problem)
        return answer(
          200,
          { ok: false, error: problem.error, response_metadata: { messages: [problem.detail] } },
          {},
          problem.error,
          problem.detail,
        );
      received.push({ target, key: body.channel, body, bytes: Buffer.byteLength(raw) });
      return answer(200, { ok: true, channel: body.channel, ts: `${Date.now() / 1000}`, message: { text: body.text } });
    }
    const id = /^\/workflows\/([^/]+)\/triggers\/manual\/paths\/invoke$/.exec(url.pathname)?.[1];
    if (!id || !workflows.has(id))
      return answer(
        404,
        { error: { code: 'WorkflowNotFound', message: 'The workflow was not found.' } },
        {},
        'not_found',
      );
    if (url.searchParams.get('sig') !== workflows.get(id))
      return answer(
        401,
        { error: { code: 'DirectApiAuthorizationRequired', message: 'The request must be authenticated.' } },
        {},
        'unauthorized',
      );
    if (options.teamsRatePerS) {
      const now = Date.now();
      const recent = (recentByWorkflow.get(id) ?? []).filter((at) => now - at < 1000);
      if (recent.length >= options.teamsRatePerS) {
        const limited = rateLimited(target, 1);
        return answer(limited.status, limited.body, limited.headers, 'rate_limited');
      }
      recentByWorkflow.set(id, [...recent, now]);
    }
    const problem = validateTeamsPayload(raw);
    if (problem)
      return answer(
        problem.status,
        { error: { code: problem.status === 413 ? 'MessageTooLarge' : 'InvalidCard', message: problem.detail } },
        {},
        problem.status === 413 ? 'too_large' : 'invalid_card',
        problem.detail,
      );
    received.push({ target, key: id, body: JSON.parse(raw) as Record<string, unknown>, bytes: Buffer.byteLength(raw) });
    return answer(202, '');
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) reply(res, 500, 'sandbox failure');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  baseUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const secret = () => randomBytes(12).toString('hex');

  return {
    url: baseUrl,
    slackWebhookUrl: () => {
      const id = `T${secret().slice(0, 8).toUpperCase()}/B${secret().slice(0, 8).toUpperCase()}/${secret()}`;
      webhooks.add(id);
      return `${baseUrl}/services/${id}`;
    },
    slackBot: () => {
      const token = `xoxb-${secret()}-${secret()}`;
      tokens.add(token);
      return { token, apiUrl: `${baseUrl}/api` };
    },
    addSlackChannel: (name) => void channels.add(name),
    teamsWorkflowUrl: () => {
      const id = secret();
      const sig = randomBytes(24).toString('base64url');
      workflows.set(id, sig);
      return `${baseUrl}/workflows/${id}/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=${sig}`;
    },
    injectFault: (fault) => faults.inject(fault),
    clearFaults: () => faults.clear(),
    received,
    rejected,
    requests,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function parse(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}
