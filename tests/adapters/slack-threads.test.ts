/**
 * Slack threads and app tiers, the adapter against the Slack sandbox: history lists parents only, replies come
 * from conversations.replies (parent first, its own cursor), a full read delivers parents and replies, an
 * incremental read notices a thread whose latest_reply moved, a pushed reply posts with thread_ts, and apps
 * outside the Marketplace read 15 messages a call at one call a minute, paced by the page instead of refused.
 */
import { slackAdapterFactory } from '../../shared/adapters/slack';
import type { AdapterContext, ProviderAdapter, ProviderRecord } from '../../shared/adapters/contract';
import { isAppError } from '../../shared/core/app-error';
import { startSlackSandbox, type SlackSandbox } from '../../dev/sandboxes/slack';
import { channelIds } from '../../dev/sandboxes/slack/workspace';
import { readAll } from './contract-suite';

const [CHANNEL] = channelIds(1) as [string];

function adapterFor(sandbox: SlackSandbox, options: Record<string, unknown> = {}) {
  const token = sandbox.control.issueToken().accessToken;
  const operations: string[] = [];
  const context: AdapterContext = {
    baseUrl: sandbox.url,
    options: { channels: [CHANNEL], ...options },
    auth: { headers: async () => ({ authorization: `Bearer ${token}` }) },
    requestTimeoutMs: 5000,
    beforeRequest: async (operation) => void operations.push(operation),
  };
  return { adapter: slackAdapterFactory.create(context), token, operations };
}

async function slackGet(sandbox: SlackSandbox, token: string, method: string, args: Record<string, string>) {
  const answer = await fetch(`${sandbox.url}/api/${method}?${new URLSearchParams(args)}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return (await answer.json()) as Record<string, any>;
}

const parentsOf = (records: ProviderRecord[]) => records.filter((record) => record.data.threadParentId === undefined);
const repliesOf = (records: ProviderRecord[]) => records.filter((record) => record.data.threadParentId !== undefined);

describe('slack threads', () => {
  let sandbox: SlackSandbox;
  afterEach(async () => sandbox?.stop());

  it('the sandbox lists parents in history with their thread summary, and replies only through conversations.replies', async () => {
    sandbox = await startSlackSandbox({ records: 40, extra: { channels: 1, threads: 0.5 } });
    const { token } = adapterFor(sandbox);
    const history = await slackGet(sandbox, token, 'conversations.history', { channel: CHANNEL, limit: '200' });
    expect(history.messages).toHaveLength(40);
    const parent = history.messages.find((message: any) => message.reply_count >= 2);
    expect(parent).toMatchObject({ thread_ts: parent.ts, latest_reply: expect.any(String) });
    expect(history.messages.every((message: any) => !message.thread_ts || message.thread_ts === message.ts)).toBe(true);

    const first = await slackGet(sandbox, token, 'conversations.replies', {
      channel: CHANNEL,
      ts: parent.ts,
      limit: '2',
    });
    expect(first.messages[0]).toMatchObject({ ts: parent.ts, reply_count: parent.reply_count });
    expect(first.messages[1]).toMatchObject({ thread_ts: parent.ts, parent_user_id: parent.user });
    expect(first.has_more).toBe(true);
    const rest = await slackGet(sandbox, token, 'conversations.replies', {
      channel: CHANNEL,
      ts: parent.ts,
      limit: '100',
      cursor: first.response_metadata.next_cursor,
    });
    const replies = [first.messages[1], ...rest.messages];
    expect(replies).toHaveLength(parent.reply_count);
    expect(replies.at(-1).ts).toBe(parent.latest_reply);
    expect(rest.messages.some((message: any) => message.ts === parent.ts)).toBe(false);
    const unknown = await slackGet(sandbox, token, 'conversations.replies', { channel: CHANNEL, ts: '1.000000' });
    expect(unknown).toEqual({ ok: false, error: 'thread_not_found' });
    expect(sandbox.control.records.count('messages')).toBe(
      40 + history.messages.reduce((sum: number, message: any) => sum + (message.reply_count ?? 0), 0),
    );
  });

  it('a full read delivers every parent and every reply (count = parents + replies), replies linked to their parent', async () => {
    sandbox = await startSlackSandbox({ records: 30, extra: { channels: 1, threads: 0.4 } });
    const { adapter, operations } = adapterFor(sandbox, { appDistribution: 'marketplace' });
    const { records, pages } = await readAll(adapter, 'messages', undefined, 7);
    expect(records).toHaveLength(sandbox.control.records.count('messages'));
    expect(new Set(records.map((record) => record.id)).size).toBe(records.length);
    const parents = parentsOf(records);
    const replies = repliesOf(records);
    expect(parents).toHaveLength(30);
    expect(replies.length).toBeGreaterThan(0);
    const ids = new Set(parents.map((record) => record.id));
    for (const reply of replies) {
      expect(ids.has(reply.data.threadParentId as string)).toBe(true);
      expect(reply.data.threadParentId).toBe(`${CHANNEL}:${reply.data.thread_ts}`);
    }
    for (const parent of parents.filter((record) => typeof record.data.reply_count === 'number'))
      expect(replies.filter((reply) => reply.data.threadParentId === parent.id)).toHaveLength(
        parent.data.reply_count as number,
      );
    // One replies call per thread (no thread here has more than 7 replies), plus at most one more per page when a
    // page fills up in the middle of a thread and the rest follows on the next page with Slack's cursor.
    const threads = parents.filter((record) => typeof record.data.reply_count === 'number').length;
    const repliesCalls = operations.filter((operation) => operation === 'conversations.replies').length;
    expect(repliesCalls).toBeGreaterThanOrEqual(threads);
    expect(repliesCalls).toBeLessThanOrEqual(threads + pages);
  });

  it('an incremental read picks up a new reply (and the parent whose counters moved), a new thread, and nothing else', async () => {
    sandbox = await startSlackSandbox({ records: 30, extra: { channels: 1, threads: 0.4 } });
    const { adapter } = adapterFor(sandbox, { appDistribution: 'marketplace' });
    const full = await readAll(adapter, 'messages', undefined, 10);
    const threaded = parentsOf(full.records).find((record) => typeof record.data.reply_count === 'number')!;
    const plain = parentsOf(full.records).find((record) => record.data.reply_count === undefined)!;
    const reply = sandbox.control.records.create('messages', {
      channel: CHANNEL,
      text: 'a late reply',
      thread_ts: threaded.data.ts,
    });
    const opener = sandbox.control.records.create('messages', {
      channel: CHANNEL,
      text: 'starts a thread',
      thread_ts: plain.data.ts,
    });
    const delta = await readAll(adapter, 'messages', full.cursor, 10);
    const byId = new Map(delta.records.map((record) => [record.id, record]));
    expect([...byId.keys()].sort()).toEqual(
      [threaded.id, plain.id, `${CHANNEL}:${reply.ts}`, `${CHANNEL}:${opener.ts}`].sort(),
    );
    expect(byId.get(threaded.id)!.data).toMatchObject({
      reply_count: (threaded.data.reply_count as number) + 1,
      latest_reply: reply.ts,
    });
    expect(byId.get(plain.id)!.data).toMatchObject({ reply_count: 1, latest_reply: opener.ts });
    expect(byId.get(`${CHANNEL}:${reply.ts}`)!.data.threadParentId).toBe(threaded.id);
    const quiet = await readAll(adapter, 'messages', delta.cursor, 10);
    expect(quiet.records).toEqual([]);
  });

  it('a pushed reply posts with thread_ts (or threadParentId), and the parent counts it', async () => {
    sandbox = await startSlackSandbox({ records: 5, extra: { channels: 1, threads: 0 } });
    const { adapter } = adapterFor(sandbox);
    const parent = (await adapter.fetchChanges({ entity: 'messages', pageSize: 5 })).records[0]!;
    const outcomes = await adapter.push({
      entity: 'messages',
      operations: [
        { kind: 'create', idempotencyKey: 'r1', data: { text: 'first reply', thread_ts: parent.data.ts } },
        { kind: 'create', idempotencyKey: 'r2', data: { text: 'second reply', threadParentId: parent.id } },
        { kind: 'create', idempotencyKey: 'r3', data: { text: 'to nowhere', thread_ts: '1000000000.000001' } },
      ],
    });
    expect(outcomes.slice(0, 2).map((outcome) => outcome.ok)).toEqual([true, true]);
    expect(outcomes[2]).toMatchObject({ ok: false, error: { code: 'not_found', retryable: false } });
    const ids = outcomes.slice(0, 2).map((outcome) => (outcome.ok ? outcome.id : ''));
    for (const id of ids)
      expect(sandbox.control.records.get('messages', id)).toMatchObject({ thread_ts: parent.data.ts });
    expect(sandbox.control.records.get('messages', parent.id)).toMatchObject({
      reply_count: 2,
      latest_reply: ids[1]!.split(':')[1],
    });
    // A reply is found by id too: history does not list it, conversations.replies does.
    const fetched = await adapter.fetchByIds({ entity: 'messages', ids: [ids[0]!, `${CHANNEL}:1000000000.000001`] });
    expect(fetched.records.map((record) => record.id)).toEqual([ids[0]]);
    expect(fetched.records[0]!.data).toMatchObject({ text: 'first reply', threadParentId: parent.id });
    expect(fetched.missingIds).toEqual([`${CHANNEL}:1000000000.000001`]);
  });
});

describe('slack app tiers', () => {
  let sandbox: SlackSandbox;
  afterEach(async () => sandbox?.stop());

  const page = (adapter: ProviderAdapter, cursor?: string) =>
    adapter.fetchChanges({ entity: 'messages', pageSize: 100, cursor });

  it('outside the Marketplace (the default) reads 15 a call and paces the next page a minute out; the sandbox refuses sooner', async () => {
    let now = Date.now();
    sandbox = await startSlackSandbox({
      records: 40,
      extra: { channels: 1, threads: 0, appDistribution: 'non_marketplace', rateTiers: true, clock: () => now },
    });
    const { adapter } = adapterFor(sandbox);
    const first = await page(adapter);
    expect(first.records).toHaveLength(15);
    expect(first.nextPageDelayMs).toBeGreaterThan(59_000);
    expect(first.nextPageDelayMs).toBeLessThanOrEqual(61_000);
    const early = await page(adapter, first.nextCursor).catch((error: unknown) => error);
    expect(isAppError(early) && early.code).toBe('rate_limited');
    now += first.nextPageDelayMs!;
    const second = await page(adapter, first.nextCursor);
    expect(second.records).toHaveLength(15);
    expect(sandbox.control.calls().byStatus['429']).toBe(1);
  });

  it('history and replies keep separate one-a-minute budgets: a thread read right after history is not delayed', async () => {
    let now = Date.now();
    sandbox = await startSlackSandbox({
      records: 15,
      extra: { channels: 1, threads: 1, appDistribution: 'non_marketplace', rateTiers: true, clock: () => now },
    });
    const { adapter } = adapterFor(sandbox, { appDistribution: 'non_marketplace' });
    const history = await page(adapter);
    expect(history.records).toHaveLength(15);
    expect(history.nextPageDelayMs).toBeUndefined();
    const thread = await page(adapter, history.nextCursor);
    expect(thread.records.length).toBeGreaterThan(0);
    expect(thread.nextPageDelayMs).toBeGreaterThan(59_000);
    now += thread.nextPageDelayMs!;
    await expect(page(adapter, thread.nextCursor)).resolves.toMatchObject({ done: false });
  });

  it('Marketplace and internal apps read up to 200 a call, a few calls a page, without a planned delay', async () => {
    sandbox = await startSlackSandbox({
      records: 450,
      extra: { channels: 1, threads: 0, appDistribution: 'marketplace', rateTiers: true },
    });
    for (const appDistribution of ['marketplace', 'internal']) {
      sandbox.control.resetCalls();
      const { adapter } = adapterFor(sandbox, { appDistribution });
      const first = await adapter.fetchChanges({ entity: 'messages', pageSize: 300 });
      // 200, then the 100 the page still holds.
      expect(first.records).toHaveLength(300);
      expect(sandbox.control.calls().byRoute['GET /api/conversations.history']).toBe(2);
      expect(first).not.toHaveProperty('nextPageDelayMs');
    }
  });
});
