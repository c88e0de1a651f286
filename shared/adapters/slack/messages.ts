/**
 * Slack messages: ids ("{channel}:{ts}"), records, reads by id and writes. A reply (a message whose thread_ts
 * names another message) is a record of the same entity whose `threadParentId` names its parent's record, so
 * a conversion schema can link them (relationships: field threadParentId, target entity messages). Reading a
 * channel (history and threads) is in message-reads.ts. Deletions are not reported by history (they arrive as
 * message_deleted events); fetchByIds names deleted messages as missing.
 */
import { AppError, isAppError } from '../../core/app-error';
import type { ProviderRecord } from '../contract';
import type { SlackApi, SlackBody } from './api';
import { compareTs, tsToIso } from './facts';

export type Message = Record<string, unknown> & {
  ts: string;
  edited?: { ts?: string };
  thread_ts?: string;
  reply_count?: number;
  latest_reply?: string;
};
export type MessagesBody = SlackBody & {
  messages?: Message[];
  has_more?: boolean;
  response_metadata?: { next_cursor?: string };
};

export const messageId = (channel: string, ts: string): string => `${channel}:${ts}`;

export function parseMessageId(id: string): { channel: string; ts: string } | undefined {
  const match = /^([A-Z0-9]+):(\d+\.\d{6})$/.exec(id);
  return match ? { channel: match[1]!, ts: match[2]! } : undefined;
}

export const changedTs = (message: Message): string =>
  typeof message.edited?.ts === 'string' && compareTs(message.edited.ts, message.ts) > 0
    ? message.edited.ts
    : message.ts;

/** A reply: its thread_ts names another message (a parent's thread_ts is its own ts). */
export const isReply = (message: Message): boolean =>
  typeof message.thread_ts === 'string' && message.thread_ts !== message.ts;

/** A message that has replies to read: a parent with a reply count. */
export const hasReplies = (message: Message): boolean =>
  !isReply(message) && typeof message.reply_count === 'number' && message.reply_count > 0;

export function toMessageRecord(channel: string, message: Message): ProviderRecord {
  const version = changedTs(message);
  return {
    id: messageId(channel, message.ts),
    entity: 'messages',
    version,
    modifiedAt: tsToIso(version),
    data: {
      ...message,
      channel,
      ...(isReply(message) ? { threadParentId: messageId(channel, message.thread_ts as string) } : {}),
    },
  };
}

/**
 * One message by channel and ts. A top-level message is history bounded to exactly that ts (the documented
 * way); history never lists replies, so a message it does not have is looked for as a reply through
 * conversations.replies (which takes a reply's ts as well as a parent's and returns the parent first).
 */
export async function fetchMessage(
  api: SlackApi,
  id: string,
  signal?: AbortSignal,
): Promise<ProviderRecord | undefined> {
  const parsed = parseMessageId(id);
  if (!parsed) return undefined;
  const exactly = { channel: parsed.channel, latest: parsed.ts, oldest: parsed.ts, inclusive: true };
  try {
    const history = await api.call<MessagesBody>('conversations.history', { ...exactly, limit: 1 }, { signal });
    const top = history.messages?.find((candidate) => candidate.ts === parsed.ts);
    if (top) return toMessageRecord(parsed.channel, top);
    const thread = await api.call<MessagesBody>(
      'conversations.replies',
      { ...exactly, ts: parsed.ts, limit: 2 },
      { signal },
    );
    const reply = thread.messages?.find((candidate) => candidate.ts === parsed.ts);
    return reply ? toMessageRecord(parsed.channel, reply) : undefined;
  } catch (error) {
    // thread_not_found: no message has that ts (any more).
    if (isAppError(error) && error.code === 'not_found') return undefined;
    throw error;
  }
}

function messageArgs(data: Record<string, unknown>): Record<string, string | number | boolean | undefined> {
  const args: Record<string, string | number | boolean | undefined> = {};
  for (const key of ['text', 'thread_ts', 'reply_broadcast', 'unfurl_links', 'mrkdwn']) {
    const value = data[key];
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') args[key] = value;
  }
  return args;
}

export async function createMessage(
  api: SlackApi,
  defaultChannel: string | undefined,
  data: Record<string, unknown>,
  signal?: AbortSignal,
): Promise<{ id: string; version: string }> {
  // A reply names its thread by thread_ts, or by its parent's record id (threadParentId, as reads deliver it).
  const parent = typeof data.threadParentId === 'string' ? parseMessageId(data.threadParentId) : undefined;
  if (typeof data.threadParentId === 'string' && !parent)
    throw new AppError('validation', `threadParentId is not a Slack message id: ${data.threadParentId}`, {
      target: 'threadParentId',
    });
  const channel = typeof data.channel === 'string' ? data.channel : (parent?.channel ?? defaultChannel);
  if (!channel) throw new AppError('validation', 'a Slack message needs a channel', { target: 'channel' });
  const args = messageArgs(data);
  if (args.thread_ts === undefined && parent) args.thread_ts = parent.ts;
  const body = await api.call<SlackBody & { ts?: string; channel?: string }>(
    'chat.postMessage',
    { ...args, channel },
    { write: true, signal },
  );
  if (typeof body.ts !== 'string')
    throw new AppError('transient', 'chat.postMessage answered without a ts', { target: 'ts' });
  return { id: messageId(body.channel ?? channel, body.ts), version: body.ts };
}

export async function updateMessage(
  api: SlackApi,
  id: string,
  data: Record<string, unknown>,
  signal?: AbortSignal,
): Promise<{ version?: string }> {
  const parsed = requireId(id);
  const body = await api.call<SlackBody & { message?: Message }>(
    'chat.update',
    { ...messageArgs(data), channel: parsed.channel, ts: parsed.ts },
    { write: true, signal },
  );
  return { version: body.message ? changedTs({ ...body.message, ts: parsed.ts }) : undefined };
}

export async function deleteMessage(api: SlackApi, id: string, signal?: AbortSignal): Promise<void> {
  const parsed = requireId(id);
  try {
    await api.call('chat.delete', { channel: parsed.channel, ts: parsed.ts }, { write: true, signal });
  } catch (error) {
    // Deleting twice is the same end state: a redelivered delete must not fail.
    if (!isAppError(error) || error.code !== 'not_found' || error.details?.providerCode !== 'message_not_found')
      throw error;
  }
}

function requireId(id: string): { channel: string; ts: string } {
  const parsed = parseMessageId(id);
  if (!parsed) throw new AppError('not_found', `not a Slack message id: ${id}`, { target: 'id' });
  return parsed;
}
