/**
 * Reading the messages of the configured channels, a few Slack calls per page so a page stays one bounded batch
 * (one call where reads are paced, else up to Tier 3's burst and never more records than the page size):
 * channels one after another; in each, conversations.history (newest first, top-level messages only, Slack's
 * cursor), and after every history page the threads it listed, one conversations.replies page at a time
 * (`ts` = the parent's ts, its own cursor; the parent comes back first and is left out, history delivered it).
 *
 * Full reads take every thread. Incremental reads ask history for `oldest = since - lookback` and keep the
 * messages whose last change (edited.ts, else ts) is newer than `since`, plus the parents whose latest_reply
 * is newer (their reply counters changed), and read those threads' replies from the same `oldest`, keeping
 * the newer ones. Edits keep a message's ts, so edits older than the lookback, and replies to threads whose
 * parent is older than it, arrive through Events API webhooks.
 *
 * Where Slack allows a read method only a few calls a minute (apps outside the Marketplace), the page says how
 * long the next page should wait (`nextPageDelayMs`), so a sync keeps that pace instead of being refused.
 */
import { isAppError } from '../../core/app-error';
import type { FetchPage, ProviderRecord } from '../contract';
import type { SlackApi } from './api';
import { encodeCursor, type MessagesCursor } from './cursor';
import { compareTs, tsMinusMs } from './facts';
import { changedTs, hasReplies, toMessageRecord, type Message, type MessagesBody } from './messages';

export interface ChannelReadPlan {
  channels: string[];
  lookbackMs: number;
  /** Most messages one history or replies call may ask for. */
  maxPerCall: number;
  /** Where reads are paced: the interval between two calls of one read method. */
  intervalMs?: number;
}

type ReadMethod = 'history' | 'replies';
/** Calls one page may make where reads are not paced: Tier 3's burst. */
const CALLS_PER_PAGE = 5;
/** Slack counts a call when it arrives; a little slack keeps the next one clear of the window's edge. */
const PACE_MARGIN_MS = 1000;

const INITIAL: MessagesCursor = { v: 1, kind: 'messages', mode: 'full', channel: 0, since: {}, seen: {} };

const nextThread = (state: MessagesCursor): string | undefined => state.thread?.ts ?? state.threads?.[0];

/** Past a channel whose history and threads are all read: on to the next channel. */
function settle(state: MessagesCursor): MessagesCursor {
  if (nextThread(state) !== undefined || !state.historyDone) return state;
  const { historyDone: _done, threads: _threads, thread: _thread, page: _page, ...rest } = state;
  return { ...rest, channel: state.channel + 1 };
}

/** Newer than the watermark (always, without one). */
const after = (ts: string | undefined, since: string | undefined): boolean =>
  since === undefined || (ts !== undefined && compareTs(ts, since) > 0);

export async function fetchMessages(
  api: SlackApi,
  plan: ChannelReadPlan,
  cursor: MessagesCursor | undefined,
  pageSize: number,
  signal?: AbortSignal,
): Promise<FetchPage> {
  let state = settle(cursor ?? INITIAL);
  const records: ProviderRecord[] = [];
  // Paced reads make one call a page; Tier 3 reads up to a burst's worth, never more records than the page holds.
  const maxCalls = plan.intervalMs === undefined ? CALLS_PER_PAGE : 1;
  for (let calls = 0; calls < maxCalls && records.length < pageSize; calls++) {
    const channel = plan.channels[state.channel];
    if (channel === undefined) break;
    const since = state.mode === 'incremental' ? state.since[channel] : undefined;
    const read = {
      api,
      channel,
      since,
      oldest: since === undefined ? undefined : tsMinusMs(since, plan.lookbackMs),
      limit: Math.max(1, Math.min(pageSize - records.length, plan.maxPerCall)),
      signal,
    };
    const method: ReadMethod = nextThread(state) !== undefined ? 'replies' : 'history';
    const calledAt = Date.now();
    const step = method === 'replies' ? await readThread(read, state) : await readHistory(read, state);
    const seen = { ...state.seen };
    for (const record of step.records)
      if (seen[channel] === undefined || compareTs(record.version!, seen[channel]!) > 0)
        seen[channel] = record.version!;
    const called = plan.intervalMs === undefined ? undefined : { ...state.calls, [method]: calledAt };
    state = settle({ ...step.next, seen, ...(called ? { calls: called } : {}) });
    records.push(...step.records);
  }
  if (state.channel >= plan.channels.length) return finish(state, records);
  return { records, nextCursor: encodeCursor(state), done: false, ...pace(plan, state) };
}

interface Read {
  api: SlackApi;
  channel: string;
  since: string | undefined;
  oldest: string | undefined;
  limit: number;
  signal?: AbortSignal;
}

interface Step {
  records: ProviderRecord[];
  next: MessagesCursor;
}

async function readHistory(read: Read, state: MessagesCursor): Promise<Step> {
  const body = await read.api.call<MessagesBody>(
    'conversations.history',
    { channel: read.channel, limit: read.limit, cursor: state.page, oldest: read.oldest },
    { signal: read.signal },
  );
  const messages = body.messages ?? [];
  // A parent whose thread moved is delivered again: its reply counters changed.
  const threadMoved = (message: Message) => hasReplies(message) && after(message.latest_reply, read.since);
  const records = messages
    .filter((message) => after(changedTs(message), read.since) || threadMoved(message))
    .map((message) => toMessageRecord(read.channel, message));
  const threads = messages.filter(threadMoved).map((message) => message.ts);
  const page = body.response_metadata?.next_cursor || undefined;
  return {
    records,
    next: {
      ...state,
      page,
      historyDone: page === undefined ? true : undefined,
      threads: [...(state.threads ?? []), ...threads],
    },
  };
}

async function readThread(read: Read, state: MessagesCursor): Promise<Step> {
  const parentTs = nextThread(state)!;
  const rest = (state.threads ?? []).filter((ts) => ts !== parentTs);
  let body: MessagesBody;
  try {
    body = await read.api.call<MessagesBody>(
      'conversations.replies',
      { channel: read.channel, ts: parentTs, limit: read.limit, cursor: state.thread?.page, oldest: read.oldest },
      { signal: read.signal },
    );
  } catch (error) {
    // The parent was deleted since history listed it: its thread is gone with it.
    if (isAppError(error) && error.code === 'not_found')
      return { records: [], next: { ...state, thread: undefined, threads: rest } };
    throw error;
  }
  const records = (body.messages ?? [])
    .filter((message) => message.ts !== parentTs && after(changedTs(message), read.since))
    .map((message) => toMessageRecord(read.channel, message));
  const page = body.response_metadata?.next_cursor || undefined;
  return {
    records,
    next: page ? { ...state, thread: { ts: parentTs, page } } : { ...state, thread: undefined, threads: rest },
  };
}

/** How long the next page waits so that its call keeps the read method's interval. */
function pace(plan: ChannelReadPlan, next: MessagesCursor): { nextPageDelayMs?: number } {
  if (plan.intervalMs === undefined) return {};
  const method: ReadMethod = nextThread(next) !== undefined ? 'replies' : 'history';
  const last = next.calls?.[method];
  if (last === undefined) return {};
  const delayMs = last + plan.intervalMs + PACE_MARGIN_MS - Date.now();
  return delayMs > 0 ? { nextPageDelayMs: delayMs } : {};
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
