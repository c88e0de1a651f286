/**
 * The Slack sandbox: Web API methods over seeded channels (with threads) and users, bearer tokens with rotation
 * (oauth.v2.access), `ok:false` errors at HTTP 200, 429 + Retry-After, faults, and signed Events API deliveries.
 * Options.extra:
 * - channels: count (default 2);
 * - threads: share of seeded messages that start a thread (default 0.25; 0 for none);
 * - appDistribution: 'non_marketplace' | 'marketplace' | 'internal' (default 'marketplace': Slack's own
 *   maxima). Outside the Marketplace conversations.history and conversations.replies return at most 15
 *   messages a call and, with rateTiers, allow 1 call a minute; `nonMarketplace: true` says the same;
 * - rateTiers: enforce the per-method tiers (off by default so long demo reads do not stall);
 * - clock: () => epoch ms for the tier windows (tests move it instead of waiting minutes);
 * - eventRetryDelaysMs (default Slack's 0 s / 1 min / 5 min).
 */
import { Router } from '../common/router';
import { startSandboxServer, type SandboxBehaviour } from '../common/server';
import { TokenStore } from '../common/tokens';
import type { RunningSandbox, SandboxOptions, SandboxRecords } from '../common/types';
import { SlackEventSender } from './events';
import { addSlackMethods, slackArgs, type SlackWorkspace } from './methods';
import { addSlackOAuth } from './oauth-routes';
import { DEFAULT_THREAD_SHARE } from './threads';
import {
  NON_MARKETPLACE_READ_LIMIT,
  SLACK_APP_DISTRIBUTIONS,
  SlackRateTiers,
  type SlackAppDistribution,
} from './tiers';
import { BOT_USER_ID, ChannelHistory, UserDirectory, channelIds } from './workspace';
import type { SlackMessage, WorkspaceChange } from './types';

const DEFAULT_RECORDS = 100_000;
const TOKEN_TTL_MS = 12 * 3600_000;
const error = (status: number, code: string, headers?: Record<string, string>) => ({
  status,
  json: { ok: false, error: code },
  headers,
});

/** Sandbox record ids for messages are "{channel}:{ts}", the same ids the Slack adapter uses. */
function recordsOf(workspace: SlackWorkspace): SandboxRecords {
  const locate = (id: string): { channel?: ChannelHistory; ts: string } => {
    const [channelId = '', ts = ''] = id.split(':');
    return { channel: workspace.channels.get(channelId), ts };
  };
  const check = (entity: string): 'messages' | 'users' => {
    if (entity !== 'messages' && entity !== 'users') throw new Error(`unknown Slack entity ${entity}`);
    return entity;
  };
  return {
    entities: () => ['messages', 'users'],
    count: (entity) =>
      check(entity) === 'users'
        ? workspace.users.count
        : [...workspace.channels.values()].reduce((sum, channel) => sum + channel.count(), 0),
    get: (entity, id) => {
      if (check(entity) === 'users') return workspace.users.get(id);
      const { channel, ts } = locate(id);
      return channel?.get(ts);
    },
    create: (entity, fields) => {
      if (check(entity) === 'users') throw new Error('Slack users are created by people joining, not through the API');
      const channel = workspace.channels.get(String(fields?.channel ?? '')) ?? [...workspace.channels.values()][0]!;
      // fields.thread_ts makes a reply, as chat.postMessage does.
      const parent = fields?.thread_ts === undefined ? undefined : channel.threadParent(String(fields.thread_ts));
      if (fields?.thread_ts !== undefined && !parent)
        throw new Error(`no message ${String(fields.thread_ts)} to reply to`);
      const message: SlackMessage = {
        type: 'message',
        user: BOT_USER_ID,
        text: 'sandbox message',
        ...fields,
        ts: channel.nextTs(),
        ...(parent ? { thread_ts: parent.ts, parent_user_id: parent.user } : {}),
      };
      delete message.channel;
      channel.post(message);
      workspace.changed({ channel: channel.id, kind: 'posted', message });
      return { ...message, channel: channel.id };
    },
    update: (entity, id, fields) => {
      if (check(entity) === 'users') {
        const user = workspace.users.get(id);
        if (!user) return undefined;
        workspace.users.put({ ...user, ...(fields ?? { real_name: `${String(user.real_name)} (edited)` }) });
        return workspace.users.get(id);
      }
      const { channel, ts } = locate(id);
      const previous = channel?.get(ts);
      if (!channel || !previous) return undefined;
      const message: SlackMessage = {
        ...previous,
        ...(fields ?? { text: `${previous.text} (edited)` }),
        ts,
        edited: { user: BOT_USER_ID, ts: channel.nextTs() },
      };
      channel.replace(message);
      workspace.changed({ channel: channel.id, kind: 'changed', message, previous });
      return message;
    },
    remove: (entity, id) => {
      if (check(entity) === 'users') {
        const user = workspace.users.get(id);
        if (!user || user.deleted) return false;
        workspace.users.put({ ...user, deleted: true });
        return true;
      }
      const { channel, ts } = locate(id);
      const previous = channel?.get(ts);
      if (!channel || !previous || !channel.delete(ts)) return false;
      workspace.changed({ channel: channel.id, kind: 'deleted', message: previous });
      return true;
    },
  };
}

function appDistributionOf(extra: Record<string, unknown>): SlackAppDistribution {
  if (extra.nonMarketplace === true) return 'non_marketplace';
  const named = extra.appDistribution;
  if (named === undefined) return 'marketplace';
  if (!SLACK_APP_DISTRIBUTIONS.includes(named as SlackAppDistribution))
    throw new Error(`extra.appDistribution must be one of ${SLACK_APP_DISTRIBUTIONS.join(', ')}`);
  return named as SlackAppDistribution;
}

/** The Slack sandbox, plus what only Slack checks: the methods sent JSON without a charset (missing_charset). */
export type SlackSandbox = RunningSandbox & { jsonWithoutCharset(): string[] };

export async function startSlackSandbox(options: SandboxOptions = {}): Promise<SlackSandbox> {
  const extra = options.extra ?? {};
  const records = options.records ?? DEFAULT_RECORDS;
  const seed = options.seed ?? 1;
  // Seeded history ends a minute before start: recent enough to look live, old enough to precede every post.
  const anchorSeconds = Math.floor(Date.now() / 1000) - 60;
  const channelCount = typeof extra.channels === 'number' && extra.channels > 0 ? extra.channels : 2;
  const users = new UserDirectory(records, seed, anchorSeconds);
  const retryDelays = Array.isArray(extra.eventRetryDelaysMs) ? (extra.eventRetryDelaysMs as number[]) : undefined;
  const events = options.webhookUrl
    ? new SlackEventSender(options.webhookUrl, options.webhookSecret ?? '', retryDelays)
    : undefined;
  const threadShare = typeof extra.threads === 'number' && extra.threads >= 0 ? extra.threads : DEFAULT_THREAD_SHARE;
  const distribution = appDistributionOf(extra);
  const workspace: SlackWorkspace = {
    channels: new Map(
      channelIds(channelCount).map((id, i) => [
        id,
        new ChannelHistory(id, records, BigInt(anchorSeconds) * 1_000_000n + 100n, seed, 31 + i, records, threadShare),
      ]),
    ),
    users,
    changed: (change: WorkspaceChange) => events?.send(change),
    readLimitCap: distribution === 'non_marketplace' ? NON_MARKETPLACE_READ_LIMIT : 1000,
    jsonWithoutCharset: [],
  };
  const tokens = new TokenStore({
    accessTokenTtlMs: options.accessTokenTtlMs ?? TOKEN_TTL_MS,
    accessPrefix: 'xoxe.xoxb-1-',
    refreshPrefix: 'xoxe-1-',
    rotateRefreshTokens: true,
    revokeAccessOnRefresh: false,
  });
  const clock = typeof extra.clock === 'function' ? (extra.clock as () => number) : undefined;
  const tiers = extra.rateTiers === true ? new SlackRateTiers(distribution, clock) : undefined;
  const router = new Router();
  addSlackOAuth(router, tokens);
  addSlackMethods(router, workspace);
  const behaviour: SandboxBehaviour = {
    provider: 'slack',
    router,
    records: recordsOf(workspace),
    tokens,
    webhooks: events,
    // Slack reports auth problems in a 200 body, never as HTTP 401.
    unauthorized: (check) =>
      error(
        200,
        check.reason === 'missing' ? 'not_authed' : check.reason === 'expired' ? 'token_expired' : 'invalid_auth',
      ),
    notFound: () => error(404, 'unknown_method'),
    invalidJson: () => error(200, 'invalid_json'),
    rateLimited: (fault) => error(429, 'ratelimited', { 'retry-after': String(fault.retryAfterSeconds ?? 30) }),
    serverError: (status) => error(status, status === 503 ? 'service_unavailable' : 'internal_error'),
    beforeRoute: (ctx) => {
      if (!tiers) return undefined;
      const args = slackArgs(ctx);
      return tiers.check(ctx.path.replace(/^\/api\//, ''), typeof args.channel === 'string' ? args.channel : undefined);
    },
  };
  const running = await startSandboxServer(behaviour, options.port ?? 0);
  return Object.assign(running, { jsonWithoutCharset: () => [...workspace.jsonWithoutCharset] });
}
