/**
 * Slack Web API methods of the sandbox: auth.test, conversations.history / .replies / .info, users.list / .info,
 * chat.postMessage / .update / .delete. Arguments come from the query string, a form body or a JSON body, as
 * Slack accepts; failures are HTTP 200 with {"ok": false, "error": "…"}, and cursors are opaque base64 text.
 * History lists top-level messages only; a thread's replies come from conversations.replies, and
 * chat.postMessage with thread_ts posts a reply.
 */
import type { RequestContext, Router } from '../common/router';
import type { SandboxResponse } from '../common/types';
import { withCharsetWarning } from './charset';
import { BOT_USER_ID, TEAM_ID, tsToMicros, type ChannelHistory, type TsBounds, type UserDirectory } from './workspace';
import type { SlackMessage, WorkspaceChange } from './types';

export interface SlackWorkspace {
  channels: Map<string, ChannelHistory>;
  users: UserDirectory;
  changed(change: WorkspaceChange): void;
  /**
   * Most messages one conversations.history or conversations.replies call returns: 15 (also the default) for
   * apps distributed outside the Slack Marketplace, else Slack's own maximum.
   */
  readLimitCap: number;
  /** Methods called with a JSON body whose Content-Type had no charset (Slack warns missing_charset). */
  jsonWithoutCharset: string[];
}

const ok = (json: Record<string, unknown>): SandboxResponse => ({ status: 200, json: { ok: true, ...json } });
const slackError = (error: string, extra: Record<string, unknown> = {}): SandboxResponse => ({
  status: 200,
  json: { ok: false, error, ...extra },
});

export function slackArgs(ctx: RequestContext): Record<string, unknown> {
  const args: Record<string, unknown> = Object.fromEntries(ctx.query);
  const type = String(ctx.headers['content-type'] ?? '');
  if (ctx.rawBody !== '' && type.includes('application/json')) {
    const body = ctx.json();
    if (body && typeof body === 'object') Object.assign(args, body);
  } else if (ctx.rawBody !== '') {
    Object.assign(args, Object.fromEntries(new URLSearchParams(ctx.rawBody)));
  }
  return args;
}

const cursorOf = (prefix: string, value: string): string => Buffer.from(`${prefix}:${value}`).toString('base64');

function readCursor(prefix: string, cursor: unknown): string | undefined | null {
  if (cursor === undefined || cursor === '') return undefined;
  const decoded = Buffer.from(String(cursor), 'base64').toString('utf8');
  return decoded.startsWith(`${prefix}:`) ? decoded.slice(prefix.length + 1) : null;
}

function limitOf(value: unknown, fallback: number, max: number): number {
  const n = Number(value ?? fallback);
  return Number.isInteger(n) && n > 0 ? Math.min(n, max) : fallback;
}

export function addSlackMethods(router: Router, workspace: SlackWorkspace): void {
  const method = (
    name: string,
    handler: (args: Record<string, unknown>, ctx: RequestContext) => SandboxResponse,
  ): void => {
    router.add('GET', `/api/${name}`, (ctx) => handler(slackArgs(ctx), ctx));
    router.add('POST', `/api/${name}`, (ctx) =>
      withCharsetWarning(ctx, handler(slackArgs(ctx), ctx), workspace.jsonWithoutCharset),
    );
  };
  const channelOf = (args: Record<string, unknown>): ChannelHistory | undefined =>
    workspace.channels.get(String(args.channel ?? ''));

  method('auth.test', (_args, ctx) =>
    ok({
      url: `${ctx.baseUrl}/`,
      team: 'Sandbox Workspace',
      user: 'sandbox-bot',
      team_id: TEAM_ID,
      user_id: BOT_USER_ID,
      bot_id: 'B0SBXBOT1',
      is_enterprise_install: false,
    }),
  );

  method('conversations.info', (args) => {
    const channel = channelOf(args);
    return channel
      ? ok({ channel: { id: channel.id, name: channel.id.toLowerCase(), is_channel: true, is_member: true } })
      : slackError('channel_not_found');
  });

  /** oldest / latest / inclusive as Slack reads them; a Slack error answer when a ts is malformed. */
  const boundsOf = (args: Record<string, unknown>): TsBounds | SandboxResponse => {
    const inclusive = args.inclusive === true || args.inclusive === 'true' || args.inclusive === '1';
    const oldest = args.oldest === undefined ? undefined : tsToMicros(String(args.oldest));
    const latest = args.latest === undefined ? undefined : tsToMicros(String(args.latest));
    if (oldest === undefined && args.oldest !== undefined) return slackError('invalid_ts_oldest');
    if (latest === undefined && args.latest !== undefined) return slackError('invalid_ts_latest');
    return { oldest, latest, inclusive };
  };
  const isAnswer = (value: TsBounds | SandboxResponse): value is SandboxResponse => 'status' in value;

  method('conversations.history', (args) => {
    const channel = channelOf(args);
    if (!channel) return slackError('channel_not_found');
    const bounds = boundsOf(args);
    if (isAnswer(bounds)) return bounds;
    const cursor = readCursor('next_ts', args.cursor);
    if (cursor === null) return slackError('invalid_cursor');
    // The cursor names the next message to return: it becomes an inclusive upper bound (`oldest` keeps the
    // inclusiveness the caller asked for: exclusive unless inclusive=true, on every page).
    const latest = cursor !== undefined ? tsToMicros(cursor) : bounds.latest;
    const limit = limitOf(args.limit, Math.min(100, workspace.readLimitCap), Math.min(999, workspace.readLimitCap));
    const page = channel.history(
      { ...bounds, latest, latestInclusive: bounds.inclusive || cursor !== undefined },
      limit + 1,
    );
    const messages = page.messages.slice(0, limit);
    const next = page.messages[limit] as SlackMessage | undefined;
    return ok({
      messages,
      has_more: next !== undefined,
      pin_count: 0,
      response_metadata: { next_cursor: next ? cursorOf('next_ts', next.ts) : '' },
    });
  });

  method('conversations.replies', (args) => {
    const channel = channelOf(args);
    if (!channel) return slackError('channel_not_found');
    const bounds = boundsOf(args);
    if (isAnswer(bounds)) return bounds;
    const cursor = readCursor('reply_ts', args.cursor);
    if (cursor === null) return slackError('invalid_cursor');
    const limit = limitOf(args.limit, Math.min(1000, workspace.readLimitCap), Math.min(1000, workspace.readLimitCap));
    const page = channel.replies(
      String(args.ts ?? ''),
      bounds,
      cursor === undefined ? undefined : tsToMicros(cursor),
      limit,
    );
    if (!page) return slackError('thread_not_found');
    return ok({
      messages: page.messages,
      has_more: page.next !== undefined,
      response_metadata: { next_cursor: page.next ? cursorOf('reply_ts', page.next.ts) : '' },
    });
  });

  method('users.list', (args) => {
    const after = readCursor('user', args.cursor);
    if (after === null) return slackError('invalid_cursor');
    const page = workspace.users.page(after, limitOf(args.limit, 100, 1000));
    return ok({
      members: page.members,
      cache_ts: Math.floor(Date.now() / 1000),
      response_metadata: { next_cursor: page.nextId ? cursorOf('user', page.nextId) : '' },
    });
  });

  method('users.info', (args) => {
    const user = workspace.users.get(String(args.user ?? ''));
    return user ? ok({ user }) : slackError('user_not_found');
  });

  method('chat.postMessage', (args) => {
    const channel = channelOf(args);
    if (!channel) return slackError('channel_not_found');
    if (typeof args.text !== 'string' || args.text === '') return slackError('no_text');
    if (args.text.length > 40_000) return slackError('msg_too_long');
    // A reply joins the thread of the message thread_ts names (its parent's, when that is itself a reply).
    // A thread_ts that is not a ts at all is refused as such (Slack: invalid_thread_ts), an unknown one as not found.
    if (args.thread_ts !== undefined && tsToMicros(String(args.thread_ts)) === undefined)
      return slackError('invalid_thread_ts');
    const parent = args.thread_ts === undefined ? undefined : channel.threadParent(String(args.thread_ts));
    if (args.thread_ts !== undefined && !parent) return slackError('thread_not_found');
    const message: SlackMessage = {
      type: 'message',
      user: BOT_USER_ID,
      bot_id: 'B0SBXBOT1',
      text: args.text,
      ts: channel.nextTs(),
      team: TEAM_ID,
      ...(parent ? { thread_ts: parent.ts, parent_user_id: parent.user } : {}),
    };
    channel.post(message);
    workspace.changed({ channel: channel.id, kind: 'posted', message });
    return ok({ channel: channel.id, ts: message.ts, message });
  });

  method('chat.update', (args) => {
    const channel = channelOf(args);
    if (!channel) return slackError('channel_not_found');
    const previous = channel.get(String(args.ts ?? ''));
    if (!previous) return slackError('message_not_found');
    if (typeof args.text !== 'string' || args.text === '') return slackError('no_text');
    const editTs = channel.nextTs();
    const message: SlackMessage = { ...previous, text: args.text, edited: { user: BOT_USER_ID, ts: editTs } };
    channel.replace(message);
    workspace.changed({ channel: channel.id, kind: 'changed', message, previous });
    return ok({ channel: channel.id, ts: message.ts, text: message.text, message });
  });

  method('chat.delete', (args) => {
    const channel = channelOf(args);
    if (!channel) return slackError('channel_not_found');
    const previous = channel.get(String(args.ts ?? ''));
    if (!previous || !channel.delete(previous.ts)) return slackError('message_not_found');
    workspace.changed({ channel: channel.id, kind: 'deleted', message: previous });
    return ok({ channel: channel.id, ts: previous.ts });
  });
}
