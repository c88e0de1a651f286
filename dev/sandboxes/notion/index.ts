/**
 * The Notion sandbox: API version 2025-09-03 data source queries and pages, bearer tokens from Notion's OAuth
 * token endpoint (HTTP Basic client auth, refresh optional and rotating), an average ~3 requests/s budget per
 * integration answered with 429 rate_limited + Retry-After, and signed webhook events.
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { OAuthAuthority, basicClient } from '../common/oauth';
import { Router } from '../common/router';
import { startSandboxServer, type SandboxBehaviour } from '../common/server';
import { TokenStore } from '../common/tokens';
import type { RunningSandbox, SandboxOptions, SandboxRecords } from '../common/types';
import { WebhookEmitter } from '../common/webhooks';
import { notionIds } from './data';
import { notionRoutes } from './routes';
import { NotionState, type NotionEvent } from './state';
import { nError, normaliseId, NOTION_VERSION, SERVER_ERROR_CODES } from './wire';

const RATE_LIMITED = 'You have been rate limited. Please try again in a few minutes.';

/** A token bucket per integration: Notion allows bursts but about 3 requests/s on average. */
function bucket(perSecond: number, burst: number) {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return (subject: string): number | undefined => {
    if (perSecond <= 0) return undefined;
    const now = Date.now();
    const entry = buckets.get(subject) ?? { tokens: burst, at: now };
    entry.tokens = Math.min(burst, entry.tokens + ((now - entry.at) / 1000) * perSecond);
    entry.at = now;
    buckets.set(subject, entry);
    if (entry.tokens >= 1) {
      entry.tokens -= 1;
      return undefined;
    }
    return Math.max(1, Math.ceil((1 - entry.tokens) / perSecond));
  };
}

export async function startNotionSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const extra = options.extra ?? {};
  const ids = notionIds(options.seed ?? 1);
  const secret = options.webhookSecret ?? `secret_${randomBytes(16).toString('hex')}`;
  const webhooks = options.webhookUrl
    ? new WebhookEmitter({
        url: options.webhookUrl,
        sign: (rawBody) => ({
          'x-notion-signature': `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`,
        }),
      })
    : undefined;
  const onEvent = (event: NotionEvent) => {
    const id = randomUUID();
    webhooks?.emit(
      event.type,
      {
        id,
        timestamp: new Date().toISOString(),
        workspace_id: ids.workspaceId,
        workspace_name: 'Sandbox Workspace',
        subscription_id: ids.botId,
        integration_id: ids.botId,
        type: event.type,
        authors: [{ id: ids.botId, type: 'bot' }],
        attempt_number: 1,
        entity: { id: event.pageId, type: 'page' },
        data: {
          parent: { id: ids.dataSourceId, type: 'data_source', data_source_id: ids.dataSourceId },
          ...(event.updatedProperties ? { updated_properties: event.updatedProperties } : {}),
        },
      },
      id,
    );
  };
  const state = new NotionState(ids, options.records ?? 100_000, onEvent);
  const tokens = new TokenStore({
    accessTokenTtlMs: options.accessTokenTtlMs ?? 3_600_000,
    accessPrefix: 'ntn_',
    refreshPrefix: 'nrt_',
    rotateRefreshTokens: extra.rotateRefreshTokens !== false,
    revokeAccessOnRefresh: false,
  });
  const authority = new OAuthAuthority(tokens);
  const takeToken = bucket(
    typeof extra.requestsPerSecond === 'number' ? extra.requestsPerSecond : 3,
    typeof extra.burst === 'number' ? extra.burst : 40,
  );

  const router = new Router();
  router.add(
    'GET',
    '/v1/oauth/authorize',
    (ctx) => {
      const result = authority.authorize(ctx.query);
      return result.ok
        ? { status: 302, headers: { location: result.redirectTo } }
        : nError(400, 'validation_error', `${result.error}: ${result.description}`);
    },
    { public: true },
  );
  router.add(
    'POST',
    '/v1/oauth/token',
    (ctx) => {
      const input = ctx.json() as Record<string, string | undefined>;
      const result = authority.token(basicClient(ctx.headers.authorization), input);
      if (!result.ok)
        return {
          status: result.error === 'invalid_client' ? 401 : 400,
          json: { error: result.error, error_description: result.description, request_id: randomUUID() },
        };
      return {
        status: 200,
        json: {
          access_token: result.tokens.accessToken,
          token_type: 'bearer',
          refresh_token: result.tokens.refreshToken,
          expires_in: Math.round(result.tokens.expiresInMs / 1000),
          bot_id: ids.botId,
          workspace_id: ids.workspaceId,
          workspace_name: 'Sandbox Workspace',
          workspace_icon: null,
          owner: { type: 'user', user: { object: 'user', id: ids.botId } },
          duplicated_template_id: null,
          request_id: randomUUID(),
        },
      };
    },
    { public: true },
  );
  notionRoutes(router, state);

  const behaviour: SandboxBehaviour = {
    provider: 'notion',
    router,
    tokens,
    webhooks,
    records: notionRecords(state),
    unauthorized: () => nError(401, 'unauthorized', 'API token is invalid.'),
    notFound: (ctx) => nError(400, 'invalid_request_url', `Invalid request URL: ${ctx.method} ${ctx.path}`),
    invalidJson: () => nError(400, 'invalid_json', 'Error parsing JSON body.'),
    rateLimited: (fault) =>
      nError(429, 'rate_limited', RATE_LIMITED, { 'retry-after': String(fault.retryAfterSeconds ?? 1) }),
    serverError: (status) => {
      const [code, message] = SERVER_ERROR_CODES[status] ?? ['internal_server_error', 'Unexpected error occurred.'];
      return nError(status, code, message);
    },
    beforeRoute: (ctx) => {
      const version = ctx.headers['notion-version'];
      if (version === undefined)
        return nError(
          400,
          'missing_version',
          'Notion-Version header failed validation: Notion-Version header should be defined, instead was `undefined`.',
        );
      // Data sources only exist from 2025-09-03 on; older versions address databases instead.
      if (ctx.path.startsWith('/v1/data_sources') && String(version) < NOTION_VERSION)
        return nError(400, 'invalid_request_url', 'Invalid request URL.');
      const waitSeconds = takeToken(ctx.subject ?? '');
      return waitSeconds === undefined
        ? undefined
        : nError(429, 'rate_limited', RATE_LIMITED, { 'retry-after': String(waitSeconds) });
    },
  };
  const running = await startSandboxServer(behaviour, options.port ?? 0);
  // Subscribing: Notion first sends the verification_token once, unsigned; it keys every later signature.
  webhooks?.emitRaw('verification', JSON.stringify({ verification_token: secret }), {}, randomUUID());
  return running;
}

function notionRecords(state: NotionState): SandboxRecords {
  const check = (entity: string) => entity === 'pages';
  return {
    entities: () => ['pages'],
    count: (entity) => (check(entity) ? state.pages.count() : 0),
    get: (entity, id) => (check(entity) ? state.pages.get(normaliseId(id)) : undefined),
    create: (entity, fields) => {
      const result = state.createPage(
        fields ?? { Name: { title: [{ text: { content: `Created ${randomUUID().slice(0, 8)}` } }] } },
      );
      if (typeof result === 'string') throw new Error(result);
      return result;
    },
    update: (entity, id, fields) => {
      const result = fields ? state.updatePage(normaliseId(id), { properties: fields }) : state.touch(normaliseId(id));
      if (typeof result === 'string') throw new Error(result);
      return result;
    },
    remove: (entity, id) => {
      const page = state.pages.get(normaliseId(id));
      if (!page || page.in_trash) return false;
      return typeof state.updatePage(page.id, { in_trash: true }) === 'object';
    },
  };
}

export { notionIds } from './data';
