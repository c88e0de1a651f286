/** The Slack adapter against the Slack sandbox: the shared contract with messages of two channels. */
import { slackAdapterFactory } from '../../shared/adapters/slack';
import { refreshSlackToken } from '../../shared/adapters/slack/oauth';
import { SANDBOX_CLIENT } from '../../dev/sandboxes/common/oauth';
import { startSlackSandbox, type SlackSandbox } from '../../dev/sandboxes/slack';
import { sendToChannel } from '../../shared/notifications/channels/adapters';
import { channelIds } from '../../dev/sandboxes/slack/workspace';
import { readAll, runAdapterContract } from './contract-suite';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AdapterContext } from '../../shared/adapters/contract';
import { isAppError } from '../../shared/core/app-error';
import type { RunningSandbox } from '../../dev/sandboxes/common/types';
import { verifySlack } from '../../shared/webhooks/verify/slack/verify';

const CHANNELS = channelIds(2);

runAdapterContract('slack', {
  factory: slackAdapterFactory,
  start: (options) => startSlackSandbox({ ...options, extra: { channels: CHANNELS.length } }),
  adapterOptions: () => ({ channels: CHANNELS }),
  entity: 'messages',
  refresh: async (sandbox, refreshToken, signal) => {
    const tokens = await refreshSlackToken({
      apiUrl: sandbox.url,
      clientId: SANDBOX_CLIENT.clientId,
      clientSecret: SANDBOX_CLIENT.clientSecret,
      refreshToken,
      timeoutMs: 5000,
      signal,
    });
    return { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken };
  },
  createData: (tag) => ({ text: tag }),
  updateData: (tag) => ({ text: tag }),
  invalidCreateData: () => ({ text: '' }),
  missingId: () => `${CHANNELS[0]}:1000000000.000001`,
  tagOf: (raw) => (typeof raw.text === 'string' ? raw.text : undefined),
  isDeletedInSandbox: (raw) => raw === undefined,
  signalsOnSuccess: false,
});

// ---- Slack-specific behaviours of the adapter and the sandbox ----

function adapterFor(sandbox: RunningSandbox, options: Record<string, unknown> = { channels: CHANNELS }) {
  const token = sandbox.control.issueToken().accessToken;
  const context: AdapterContext = {
    baseUrl: sandbox.url,
    options,
    auth: { headers: async () => ({ authorization: `Bearer ${token}` }) },
    requestTimeoutMs: 5000,
  };
  return { adapter: slackAdapterFactory.create(context), token };
}

describe('slack sandbox and adapter specifics', () => {
  let sandbox: RunningSandbox;
  afterEach(async () => sandbox?.stop());

  it('answers errors as HTTP 200 ok:false, which the adapter maps (channel_not_found → not_found, invalid_auth → auth_revoked)', async () => {
    sandbox = await startSlackSandbox({ records: 5 });
    const { adapter, token } = adapterFor(sandbox, { channels: ['C0NOPE'] });
    const raw = await fetch(`${sandbox.url}/api/conversations.history?channel=C0NOPE`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(raw.status).toBe(200);
    expect(await raw.json()).toEqual({ ok: false, error: 'channel_not_found' });
    const notFound = await adapter.fetchChanges({ entity: 'messages', pageSize: 5 }).catch((e: unknown) => e);
    expect(isAppError(notFound) && notFound.code).toBe('not_found');
    const context: AdapterContext = {
      baseUrl: sandbox.url,
      options: { channels: CHANNELS },
      auth: { headers: async () => ({ authorization: 'Bearer xoxb-unknown' }) },
      requestTimeoutMs: 5000,
    };
    const revoked = await slackAdapterFactory
      .create(context)
      .connect()
      .catch((e: unknown) => e);
    expect(isAppError(revoked) && revoked.code).toBe('auth_revoked');
  });

  it('enforces method tiers when asked: 429 + Retry-After, reported by the adapter as rate_limited with that delay', async () => {
    // Without threads the second page is history again (with threads it would read a thread's replies first).
    sandbox = await startSlackSandbox({ records: 50, extra: { rateTiers: true, nonMarketplace: true, threads: 0 } });
    const { adapter } = adapterFor(sandbox, { channels: [CHANNELS[0]] });
    const first = await adapter.fetchChanges({ entity: 'messages', pageSize: 100 });
    expect(first.records).toHaveLength(15); // non-Marketplace apps get at most 15 messages per call
    const error = await adapter
      .fetchChanges({ entity: 'messages', pageSize: 100, cursor: first.nextCursor })
      .catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe('rate_limited');
    expect(isAppError(error) && error.retryAfterMs).toBeGreaterThan(50_000);
    const posts = await adapter.push({
      entity: 'messages',
      operations: [1, 2].map((n) => ({
        kind: 'create' as const,
        idempotencyKey: `p${n}`,
        data: { text: `post ${n}` },
      })),
    });
    expect(posts[0]!.ok).toBe(true);
    expect(posts[1]).toMatchObject({ ok: false, error: { code: 'rate_limited', retryable: true, retryAfterMs: 1000 } });
  });

  it('rotates refresh tokens: the used one is revoked, a second use is auth_revoked', async () => {
    sandbox = await startSlackSandbox({ records: 5 });
    const issued = sandbox.control.issueToken();
    const refresh = (refreshToken: string) =>
      refreshSlackToken({
        apiUrl: sandbox.url,
        clientId: SANDBOX_CLIENT.clientId,
        clientSecret: SANDBOX_CLIENT.clientSecret,
        refreshToken,
        timeoutMs: 5000,
      });
    const first = await refresh(issued.refreshToken);
    expect(first.refreshToken).toBeDefined();
    expect(first.refreshToken).not.toBe(issued.refreshToken);
    expect(first.expiresInMs).toBe(12 * 3600_000);
    const reused = await refresh(issued.refreshToken).catch((e: unknown) => e);
    expect(isAppError(reused) && reused.code).toBe('auth_revoked');
    await expect(refresh(first.refreshToken!)).resolves.toMatchObject({ accessToken: expect.any(String) });
  });

  it('catches edits within the edit lookback window, not older ones (those arrive as message_changed events)', async () => {
    sandbox = await startSlackSandbox({ records: 1000, extra: { channels: 1, threads: 0 } });
    const channel = CHANNELS[0]!;
    const { adapter } = adapterFor(sandbox, {
      channels: [channel],
      editLookbackMs: 3600_000,
      appDistribution: 'marketplace',
    });
    const full = await readAll(adapter, 'messages', undefined, 200);
    expect(full.records).toHaveLength(1000);
    const recent = full.records[10]!; // newest first: posted about five minutes before the sandbox started
    const old = full.records[600]!; // five hours earlier: outside the one-hour lookback
    sandbox.control.records.update('messages', recent.id, { text: 'edited recently' });
    sandbox.control.records.update('messages', old.id, { text: 'edited long after posting' });
    const delta = await readAll(adapter, 'messages', full.cursor, 200);
    expect(delta.records.map((record) => record.id)).toEqual([recent.id]);
    expect(delta.records[0]!.version).not.toBe(recent.version);
  });

  it('serves 100,000 seeded messages per channel lazily', async () => {
    sandbox = await startSlackSandbox({ extra: { channels: 1, threads: 0 } });
    const { adapter } = adapterFor(sandbox, { channels: [CHANNELS[0]], appDistribution: 'marketplace' });
    const started = Date.now();
    const first = await adapter.fetchChanges({ entity: 'messages', pageSize: 200 });
    const second = await adapter.fetchChanges({ entity: 'messages', pageSize: 200, cursor: first.nextCursor });
    expect(second.records).toHaveLength(200);
    expect(new Set([...first.records, ...second.records].map((record) => record.id)).size).toBe(400);
    expect(sandbox.control.records.count('messages')).toBe(100_000);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('signs Events API deliveries so the product verifier accepts them, and retries failures with X-Slack-Retry-Num and the same event_id', async () => {
    const received: { body: Buffer; headers: Record<string, string | string[] | undefined> }[] = [];
    const receiver: Server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ body: Buffer.concat(chunks), headers: req.headers });
        res.writeHead(received.length === 1 ? 500 : 200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/slack`;
      sandbox = await startSlackSandbox({
        records: 5,
        webhookUrl: url,
        webhookSecret: 'slack-signing-secret',
        extra: { eventRetryDelaysMs: [10, 10, 10] },
      });
      const { adapter } = adapterFor(sandbox);
      await adapter.push({
        entity: 'messages',
        operations: [{ kind: 'create', idempotencyKey: 'e1', data: { text: 'hello events' } }],
      });
      await sandbox.control.flushWebhooks();
      expect(received).toHaveLength(2);
      const [first, retry] = received as [(typeof received)[0], (typeof received)[0]];
      const verdicts = received.map((delivery) =>
        verifySlack({
          rawBody: delivery.body,
          headers: (name) => delivery.headers[name] as string | undefined,
          secrets: ['slack-signing-secret'],
          now: Date.now(),
        }),
      );
      expect(verdicts.every((verdict) => verdict.ok)).toBe(true);
      expect(first.headers['x-slack-retry-num']).toBeUndefined();
      expect(retry.headers['x-slack-retry-num']).toBe('1');
      const firstBody = JSON.parse(first.body.toString()) as { event_id: string; event: { text: string } };
      expect(JSON.parse(retry.body.toString()).event_id).toBe(firstBody.event_id);
      expect(firstBody.event.text).toBe('hello events');
      const forged = verifySlack({
        rawBody: first.body,
        headers: (name) => first.headers[name] as string | undefined,
        secrets: ['wrong'],
        now: Date.now(),
      });
      expect(forged.ok).toBe(false);
    } finally {
      await new Promise((resolve) => receiver.close(resolve));
    }
  });

  it('reads users with cursors and reports deactivated users as deleted; incremental keeps only updated ones', async () => {
    sandbox = await startSlackSandbox({ records: 12 });
    const { adapter } = adapterFor(sandbox);
    const full = await readAll(adapter, 'users', undefined, 5);
    expect(full.records).toHaveLength(12);
    sandbox.control.records.remove('users', full.records[3]!.id);
    const delta = await readAll(adapter, 'users', full.cursor, 5);
    expect(delta.records).toEqual([expect.objectContaining({ id: full.records[3]!.id, deleted: true })]);
  });
});

// Slack warns missing_charset on JSON without a charset; our adapter and notification channel name it.
describe('slack JSON requests carry charset=utf-8', () => {
  let sandbox: SlackSandbox;
  beforeEach(async () => {
    sandbox = await startSlackSandbox({ records: 5, extra: { channels: CHANNELS.length } });
  });
  afterEach(async () => sandbox.stop());

  it("the sandbox answers a JSON body without charset ok with Slack's missing_charset warning, and records it", async () => {
    const { token } = adapterFor(sandbox);
    const answer = await fetch(`${sandbox.url}/api/chat.postMessage`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ channel: CHANNELS[0], text: 'no charset' }),
    });
    expect(await answer.json()).toMatchObject({
      ok: true,
      warning: 'missing_charset',
      response_metadata: { warnings: ['missing_charset'] },
    });
    expect(sandbox.jsonWithoutCharset()).toEqual(['chat.postMessage']);
    const named = await fetch(`${sandbox.url}/api/chat.postMessage`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ channel: CHANNELS[0], text: 'with charset' }),
    });
    expect(await named.json()).not.toHaveProperty('warning');
    expect(sandbox.jsonWithoutCharset()).toHaveLength(1);
  });

  it("the adapter's writes (create, update, delete) and the slack_bot channel never earn the warning", async () => {
    const { adapter, token } = adapterFor(sandbox);
    const [created] = await adapter.push({
      entity: 'messages',
      operations: [{ kind: 'create', idempotencyKey: 'c1', data: { text: 'charset create' } }],
    });
    expect(created!.ok).toBe(true);
    const id = created!.ok ? created!.id : '';
    const [updated] = await adapter.push({
      entity: 'messages',
      operations: [{ kind: 'update', idempotencyKey: 'u1', id, data: { text: 'charset update' } }],
    });
    const [deleted] = await adapter.push({
      entity: 'messages',
      operations: [{ kind: 'delete', idempotencyKey: 'd1', id }],
    });
    expect([updated!.ok, deleted!.ok]).toEqual([true, true]);
    const sent = await sendToChannel(
      { type: 'slack_bot', token, channel: CHANNELS[0]!, apiUrl: `${sandbox.url}/api` },
      { title: 'Charset', severity: 'info', text: 'über ✓', facts: [] },
      { timeoutMs: 5000, maxAttempts: 1, maxRetryWaitMs: 0 },
    );
    expect(sent).toMatchObject({ ok: true });
    expect(sandbox.control.calls().byRoute).toMatchObject({
      'POST /api/chat.postMessage': 2,
      'POST /api/chat.update': 1,
      'POST /api/chat.delete': 1,
    });
    expect(sandbox.jsonWithoutCharset()).toEqual([]);
  });
});
