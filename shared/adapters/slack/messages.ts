/**
 * Slack messages of the configured channels. A read walks the channels one after another with
 * conversations.history (newest first, Slack's cursor). Edits keep a message's ts, so an incremental read asks
 * for `oldest = since - lookback` and keeps only messages whose last change (edited.ts, else ts) is newer than
 * `since`; edits older than the lookback arrive through Events API webhooks. Deletions are not reported by
 * history (they arrive as message_deleted events); fetchByIds names deleted messages as missing.
 */
import { AppError, isAppError } from '../../core/app-error';
import type { FetchPage, ProviderRecord } from '../contract';
import type { SlackApi, SlackBody } from './api';
import { encodeCursor, type MessagesCursor } from './cursor';
import { compareTs, SLACK_FACTS, tsMinusMs, tsToIso } from './facts';

type Message = Record<string, unknown> & { ts: string; edited?: { ts?: string } };
type HistoryBody = SlackBody & {
  messages?: Message[];
  has_more?: boolean;
  response_metadata?: { next_cursor?: string };
};

export const messageId = (channel: string, ts: string): string => `${channel}:${ts}`;

export function parseMessageId(id: string): { channel: string; ts: string } | undefined {
  const match = /^([A-Z0-9]+):(\d+\.\d{6})$/.exec(id);
  return match ? { channel: match[1]!, ts: match[2]! } : undefined;
}

const changedTs = (message: Message): string =>
  typeof message.edited?.ts === 'string' && compareTs(message.edited.ts, message.ts) > 0
    ? message.edited.ts
    : message.ts;

export function toMessageRecord(channel: string, message: Message): ProviderRecord {
  const version = changedTs(message);
  return {
    id: messageId(channel, message.ts),
    entity: 'messages',
    version,
    modifiedAt: tsToIso(version),
    data: { ...message, channel },
  };
}

export async function fetchMessages(
  api: SlackApi,
  channels: string[],
  lookbackMs: number,
  cursor: MessagesCursor | undefined,
  pageSize: number,
  signal?: AbortSignal,
): Promise<FetchPage> {
  const state: MessagesCursor = cursor ?? { v: 1, kind: 'messages', mode: 'full', channel: 0, since: {}, seen: {} };
  const channel = channels[state.channel];
  if (channel === undefined) return finish(state, []);
  const since = state.mode === 'incremental' ? state.since[channel] : undefined;
  const body = await api.call<HistoryBody>(
    'conversations.history',
    {
      channel,
      limit: Math.max(1, Math.min(pageSize, SLACK_FACTS.maxHistoryLimit)),
      cursor: state.page,
      oldest: since === undefined ? undefined : tsMinusMs(since, lookbackMs),
    },
    { signal },
  );
  const messages = (body.messages ?? []).filter(
    (message) => since === undefined || compareTs(changedTs(message), since) > 0,
  );
  const records = messages.map((message) => toMessageRecord(channel, message));
  const seen = { ...state.seen };
  for (const record of records)
    if (seen[channel] === undefined || compareTs(record.version!, seen[channel]!) > 0) seen[channel] = record.version!;
  const nextPage = body.response_metadata?.next_cursor || undefined;
  const next: MessagesCursor = nextPage
    ? { ...state, page: nextPage, seen }
    : { ...state, channel: state.channel + 1, page: undefined, seen };
  if (next.channel >= channels.length) return finish(next, records);
  return { records, nextCursor: encodeCursor(next), done: false };
}

/** The run is over: every channel's watermark becomes the newest change seen (or stays where it was). */
function finish(state: MessagesCursor, records: ProviderRecord[]): FetchPage {
  const since = { ...state.since };
  for (const [channel, ts] of Object.entries(state.seen))
    if (since[channel] === undefined || compareTs(ts, since[channel]!) > 0) since[channel] = ts;
  return {
    records,
    nextCursor: encodeCursor({ v: 1, kind: 'messages', mode: 'incremental', channel: 0, since, seen: {} }),
    done: true,
  };
}

/** One message by channel and ts: the documented way is history bounded to exactly that ts. */
export async function fetchMessage(
  api: SlackApi,
  id: string,
  signal?: AbortSignal,
): Promise<ProviderRecord | undefined> {
  const parsed = parseMessageId(id);
  if (!parsed) return undefined;
  try {
    const body = await api.call<HistoryBody>(
      'conversations.history',
      { channel: parsed.channel, latest: parsed.ts, oldest: parsed.ts, inclusive: true, limit: 1 },
      { signal },
    );
    const message = body.messages?.find((candidate) => candidate.ts === parsed.ts);
    return message ? toMessageRecord(parsed.channel, message) : undefined;
  } catch (error) {
    if (isAppError(error) && error.code === 'not_found') return undefined;
    throw error;
  }
}

function messageArgs(data: Record<string, unknown>): Record<string, string | number | boolean | undefined> {
  const args: Record<string, string | number | boolean | undefined> = {};
  for (const key of ['text', 'thread_ts', 'unfurl_links', 'mrkdwn']) {
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
  const channel = typeof data.channel === 'string' ? data.channel : defaultChannel;
  if (!channel) throw new AppError('validation', 'a Slack message needs a channel', { target: 'channel' });
  const body = await api.call<SlackBody & { ts?: string; channel?: string }>(
    'chat.postMessage',
    { ...messageArgs(data), channel },
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
