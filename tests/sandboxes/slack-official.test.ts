/**
 * The official Slack client judges the Slack sandbox: @slack/web-api's WebClient (pointed at the sandbox with
 * slackApiUrl) reads through its own cursor pagination (client.paginate follows response_metadata.next_cursor):
 * conversations.history to the end (top-level messages only), conversations.replies per thread with its own
 * cursor, users.list, the oldest/latest filters the adapter sends, reads by id the way the adapter makes them,
 * and the writes it makes (chat.postMessage with and without thread_ts, chat.update, chat.delete).
 * slack-official-auth.test.ts: rate limits, the OAuth v2 refresh and signed Events API deliveries.
 */
import { ErrorCode, WebClient, type ConversationsHistoryResponse } from '@slack/web-api';
import type { RunningSandbox } from '../../dev/sandboxes/common/types';
import { startSlackSandbox } from '../../dev/sandboxes/slack';
import { channelIds } from '../../dev/sandboxes/slack/workspace';
import { quietSlackLogger, slackFailure } from './support/slack-client';

const PER_CHANNEL = 60;
const CHANNELS = channelIds(2);
const [CHANNEL] = CHANNELS as [string];

type Message = NonNullable<ConversationsHistoryResponse['messages']>[number];

function webClient(sandbox: RunningSandbox): WebClient {
  return new WebClient(sandbox.control.issueToken().accessToken, {
    slackApiUrl: `${sandbox.url}/api/`,
    logger: quietSlackLogger(),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
  });
}

/** Every page of a cursor-paginated method through WebClient.paginate, with the page count. */
async function allPages<T>(
  client: WebClient,
  method: string,
  options: Record<string, unknown>,
  items: (page: Record<string, unknown>) => T[],
): Promise<{ items: T[]; pages: number; sizes: number[] }> {
  const out: T[] = [];
  const sizes: number[] = [];
  for await (const page of client.paginate(method, { ...options })) {
    const got = items(page as unknown as Record<string, unknown>);
    sizes.push(got.length);
    out.push(...got);
  }
  return { items: out, pages: sizes.length, sizes };
}

const messagesOf = (page: Record<string, unknown>) => (page.messages ?? []) as Message[];
const history = (client: WebClient, options: Record<string, unknown>) =>
  allPages(client, 'conversations.history', options, messagesOf);
const thread = (client: WebClient, channel: string, ts: string, limit: number) =>
  allPages(client, 'conversations.replies', { channel, ts, limit }, messagesOf);

describe('Slack sandbox judged by @slack/web-api (WebClient.paginate)', () => {
  let sandbox: RunningSandbox;
  let client: WebClient;
  beforeAll(async () => {
    sandbox = await startSlackSandbox({ records: PER_CHANNEL, extra: { channels: CHANNELS.length, threads: 0.3 } });
    client = webClient(sandbox);
  });
  afterAll(() => sandbox.stop());

  it('lists every seeded top-level message of each channel, newest first, without replies', async () => {
    for (const channel of CHANNELS) {
      const { items, pages, sizes } = await history(client, { channel, limit: 25 });
      expect(items).toHaveLength(PER_CHANNEL);
      expect(pages).toBe(Math.ceil(PER_CHANNEL / 25));
      expect(Math.max(...sizes)).toBeLessThanOrEqual(25);
      expect(new Set(items.map((message) => message.ts)).size).toBe(PER_CHANNEL);
      expect(items.every((message) => message.thread_ts === undefined || message.thread_ts === message.ts)).toBe(true);
      const ts = items.map((message) => Number(message.ts));
      expect(ts).toEqual([...ts].sort((a, b) => b - a));
    }
  });

  it('reads every thread through conversations.replies with its own cursor: parent first, then its replies', async () => {
    let replies = 0;
    for (const channel of CHANNELS) {
      const parents = (await history(client, { channel, limit: 100 })).items.filter(
        (message) => (message.reply_count ?? 0) > 0,
      );
      expect(parents.length).toBeGreaterThan(0);
      for (const parent of parents) {
        const { items, sizes } = await thread(client, channel, parent.ts!, 2);
        expect(Math.max(...sizes)).toBeLessThanOrEqual(2);
        // The parent comes back on the first page only; the replies follow oldest first.
        expect(items[0]!.ts).toBe(parent.ts);
        const own = items.slice(1);
        expect(own).toHaveLength(parent.reply_count!);
        expect(own.every((reply) => reply.thread_ts === parent.ts && reply.ts !== parent.ts)).toBe(true);
        expect(own.at(-1)!.ts).toBe(parent.latest_reply);
        replies += own.length;
      }
    }
    // The seeded truth: every message the sandbox holds is a top-level message or one of these replies.
    expect(replies + CHANNELS.length * PER_CHANNEL).toBe(sandbox.control.records.count('messages'));
  });

  it('answers the oldest/latest/inclusive filters the adapter sends, through every page', async () => {
    const all = (await history(client, { channel: CHANNEL, limit: 100 })).items;
    const pivot = all[40]!.ts!; // the 41st newest
    const newer = await history(client, { channel: CHANNEL, oldest: pivot, limit: 7 });
    expect(newer.items.map((message) => message.ts)).toEqual(all.slice(0, 40).map((message) => message.ts));
    const withPivot = await history(client, { channel: CHANNEL, oldest: pivot, inclusive: true, limit: 7 });
    expect(withPivot.items).toHaveLength(41);
    const older = await history(client, { channel: CHANNEL, latest: pivot, limit: 9 });
    expect(older.items.map((message) => message.ts)).toEqual(all.slice(41).map((message) => message.ts));
    const between = await history(client, { channel: CHANNEL, oldest: all[30]!.ts, latest: all[10]!.ts, limit: 4 });
    expect(between.items).toHaveLength(19);
    // A thread read from `oldest` on keeps the parent and only the replies after it.
    const parent = all.find((message) => (message.reply_count ?? 0) >= 2)!;
    const full = (await thread(client, CHANNEL, parent.ts!, 10)).items;
    const later = (
      await allPages(
        client,
        'conversations.replies',
        { channel: CHANNEL, ts: parent.ts, oldest: full[1]!.ts, limit: 10 },
        messagesOf,
      )
    ).items;
    expect(later.map((message) => message.ts)).toEqual([parent.ts, ...full.slice(2).map((message) => message.ts)]);
    const malformed = await slackFailure(client.conversations.history({ channel: CHANNEL, oldest: 'yesterday' }));
    expect(malformed.code).toBe(ErrorCode.PlatformError);
    expect(malformed.data?.error).toBe('invalid_ts_oldest');
  });

  it('lists every seeded user through users.list', async () => {
    const { items, pages } = await allPages(
      client,
      'users.list',
      { limit: 25 },
      (page) => (page.members ?? []) as Array<{ id: string }>,
    );
    expect(items).toHaveLength(sandbox.control.records.count('users'));
    expect(pages).toBe(Math.ceil(PER_CHANNEL / 25));
    expect(new Set(items.map((user) => user.id)).size).toBe(items.length);
    const one = await client.users.info({ user: items[3]!.id });
    expect(one.user).toEqual(items[3]);
    expect((await slackFailure(client.users.info({ user: 'U0NOBODY00' }))).data?.error).toBe('user_not_found');
  });

  it('reads one message by id as the adapter does: a top-level one by history, a reply by conversations.replies', async () => {
    const all = (await history(client, { channel: CHANNEL, limit: 100 })).items;
    const target = all[17]!;
    const exactly = await client.conversations.history({
      channel: CHANNEL,
      oldest: target.ts,
      latest: target.ts,
      inclusive: true,
      limit: 1,
    });
    expect(exactly.messages).toEqual([target]);
    const parent = all.find((message) => (message.reply_count ?? 0) > 0)!;
    const reply = (await thread(client, CHANNEL, parent.ts!, 10)).items[1]!;
    const viaReply = await client.conversations.replies({
      channel: CHANNEL,
      ts: reply.ts!,
      oldest: reply.ts,
      latest: reply.ts,
      inclusive: true,
      limit: 2,
    });
    expect(viaReply.messages![0]!.ts).toBe(parent.ts);
    expect(viaReply.messages!.find((message) => message.ts === reply.ts)).toEqual(reply);
    const missing = await slackFailure(client.conversations.replies({ channel: CHANNEL, ts: '1000000000.000001' }));
    expect(missing.data?.error).toBe('thread_not_found');
  });

  it("makes the adapter's writes: a post, a reply with thread_ts, an edit and a delete", async () => {
    const posted = await client.chat.postMessage({ channel: CHANNEL, text: 'posted by WebClient' });
    expect(posted).toMatchObject({ ok: true, channel: CHANNEL, message: { text: 'posted by WebClient' } });
    const newest = await client.conversations.history({ channel: CHANNEL, limit: 1 });
    expect(newest.messages![0]!.ts).toBe(posted.ts);

    const replies: string[] = [];
    for (let n = 0; n < 7; n += 1) {
      const reply = await client.chat.postMessage({ channel: CHANNEL, text: `reply ${n}`, thread_ts: posted.ts! });
      expect(reply.message).toMatchObject({ thread_ts: posted.ts, parent_user_id: posted.message!.user });
      replies.push(reply.ts!);
    }
    // Replies stay out of history; the parent carries the thread's summary.
    const after = (await history(client, { channel: CHANNEL, limit: 100 })).items;
    expect(after).toHaveLength(PER_CHANNEL + 1);
    expect(after[0]).toMatchObject({ ts: posted.ts, thread_ts: posted.ts, reply_count: 7, latest_reply: replies[6] });
    const read = await thread(client, CHANNEL, posted.ts!, 3);
    expect(read.pages).toBe(3); // parent + 7 replies, 3 a page
    expect(read.items.map((message) => message.ts)).toEqual([posted.ts, ...replies]);
    // A reply to a reply joins the parent's thread.
    const nested = await client.chat.postMessage({ channel: CHANNEL, text: 'to a reply', thread_ts: replies[2]! });
    expect(nested.message!.thread_ts).toBe(posted.ts);
    const invalid = await slackFailure(client.chat.postMessage({ channel: CHANNEL, text: 'x', thread_ts: 'nope' }));
    expect(invalid.data?.error).toBe('invalid_thread_ts');

    const edited = await client.chat.update({ channel: CHANNEL, ts: replies[0]!, text: 'edited reply' });
    expect(edited).toMatchObject({ ok: true, ts: replies[0], text: 'edited reply' });
    expect((edited.message as { edited?: { ts?: string } }).edited?.ts).toEqual(expect.any(String));
    const deleted = await client.chat.delete({ channel: CHANNEL, ts: replies[1]! });
    expect(deleted).toMatchObject({ ok: true, ts: replies[1] });
    const remaining = (await thread(client, CHANNEL, posted.ts!, 100)).items;
    expect(remaining.map((message) => message.ts)).toEqual([posted.ts, replies[0], ...replies.slice(2), nested.ts]);
    expect(remaining[1]!.text).toBe('edited reply');
    const again = await slackFailure(client.chat.delete({ channel: CHANNEL, ts: replies[1]! }));
    expect(again.code).toBe(ErrorCode.PlatformError);
    expect(again.data?.error).toBe('message_not_found');
  });
});

describe('an app outside the Slack Marketplace, as WebClient pages it', () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startSlackSandbox({
      records: PER_CHANNEL,
      extra: { channels: 1, threads: 0, appDistribution: 'non_marketplace' },
    });
  });
  afterAll(() => sandbox.stop());

  it('gets at most 15 messages a call whatever limit it asks, and still reaches the end', async () => {
    const { items, sizes } = await history(webClient(sandbox), { channel: CHANNEL, limit: 200 });
    expect(items).toHaveLength(PER_CHANNEL);
    expect(sizes).toEqual([15, 15, 15, 15]);
  });
});
