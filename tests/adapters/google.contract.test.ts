/** The Google adapter against the Google sandbox: the shared contract on Calendar events. */
import { googleAdapterFactory } from '../../shared/adapters/google';
import { refreshGoogleToken } from '../../shared/adapters/google/oauth';
import { SANDBOX_CLIENT } from '../../dev/sandboxes/common/oauth';
import { startGoogleSandbox } from '../../dev/sandboxes/google';
import { readAll, runAdapterContract } from './contract-suite';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AdapterContext } from '../../shared/adapters/contract';
import { isAppError } from '../../shared/core/app-error';
import type { RunningSandbox } from '../../dev/sandboxes/common/types';
import { verifyGoogleChannel } from '../../shared/webhooks/verify/google/channel';

const inOneHour = () => {
  const start = Date.now() + 3600_000;
  return {
    start: { dateTime: new Date(start).toISOString() },
    end: { dateTime: new Date(start + 1_800_000).toISOString() },
  };
};

runAdapterContract('google', {
  factory: googleAdapterFactory,
  start: (options) => startGoogleSandbox(options),
  adapterOptions: () => ({ calendarId: 'primary' }),
  entity: 'events',
  refresh: async (sandbox, refreshToken, signal) => {
    const tokens = await refreshGoogleToken({
      tokenUrl: `${sandbox.url}/token`,
      clientId: SANDBOX_CLIENT.clientId,
      clientSecret: SANDBOX_CLIENT.clientSecret,
      refreshToken,
      timeoutMs: 5000,
      signal,
    });
    // Google keeps the refresh token: the answer carries a new access token only.
    return { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken ?? refreshToken };
  },
  createData: (tag) => ({ summary: tag, ...inOneHour() }),
  updateData: (tag) => ({ summary: tag }),
  invalidCreateData: () => ({ summary: 'no times' }),
  missingId: () => 'evtvvvvvvvv',
  tagOf: (raw) => (typeof raw.summary === 'string' ? raw.summary : undefined),
  isDeletedInSandbox: (raw) => raw === undefined || raw.status === 'cancelled',
  signalsOnSuccess: false,
});

// ---- Google-specific behaviours of the adapter and the sandbox ----

function adapterFor(sandbox: RunningSandbox) {
  const token = sandbox.control.issueToken().accessToken;
  const context: AdapterContext = {
    baseUrl: sandbox.url,
    options: { calendarId: 'primary' },
    auth: { headers: async () => ({ authorization: `Bearer ${token}` }) },
    requestTimeoutMs: 5000,
  };
  return { adapter: googleAdapterFactory.create(context), token };
}

describe('google sandbox and adapter specifics', () => {
  let sandbox: RunningSandbox;
  afterEach(async () => sandbox?.stop());

  it('hands out nextSyncToken on the last page only, and incremental reads report cancellations as deletions', async () => {
    sandbox = await startGoogleSandbox({ records: 7 });
    const { adapter, token } = adapterFor(sandbox);
    const page = async (query: string) =>
      (await (
        await fetch(`${sandbox.url}/calendar/v3/calendars/primary/events?${query}`, {
          headers: { authorization: `Bearer ${token}` },
        })
      ).json()) as Record<string, unknown>;
    const first = await page('maxResults=5');
    expect(first.nextPageToken).toBeDefined();
    expect(first.nextSyncToken).toBeUndefined();
    const last = await page(`maxResults=5&pageToken=${String(first.nextPageToken)}`);
    expect(last.nextPageToken).toBeUndefined();
    expect(last.nextSyncToken).toBeDefined();
    const full = await readAll(adapter, 'events', undefined, 3);
    sandbox.control.records.remove('events', full.records[1]!.id);
    const delta = await readAll(adapter, 'events', full.cursor, 3);
    expect(delta.records).toEqual([expect.objectContaining({ id: full.records[1]!.id, deleted: true })]);
  });

  it('drops the sync token on 410 fullSyncRequired and reads everything again', async () => {
    sandbox = await startGoogleSandbox({ records: 6, extra: { syncTokenTtlMs: 50 } });
    const { adapter } = adapterFor(sandbox);
    const full = await readAll(adapter, 'events', undefined, 4);
    await new Promise((resolve) => setTimeout(resolve, 80)); // the sync token is now too old: the real 410 path
    const resync = await readAll(adapter, 'events', full.cursor, 4);
    expect(resync.records.map((record) => record.id).sort()).toEqual(full.records.map((record) => record.id).sort());
    // An injected 410 (e.g. the calendar was reset) does the same.
    sandbox.control.injectFault({ kind: 'server_error', status: 410, path: '/events' });
    const again = await adapter.fetchChanges({ entity: 'events', cursor: resync.cursor, pageSize: 10 });
    expect(again.records).toHaveLength(6);
  });

  it('sends the etag as If-Match: a stale version is a conflict (412 conditionNotMet), the current one succeeds', async () => {
    sandbox = await startGoogleSandbox({ records: 3 });
    const { adapter } = adapterFor(sandbox);
    const [event] = (await adapter.fetchByIds({ entity: 'events', ids: ['evt00000000'] })).records;
    sandbox.control.records.update('events', event!.id, { summary: 'changed elsewhere' });
    const [stale] = await adapter.push({
      entity: 'events',
      operations: [
        {
          kind: 'update',
          idempotencyKey: 's',
          id: event!.id,
          data: { summary: 'mine' },
          expectedVersion: event!.version,
        },
      ],
    });
    expect(stale).toMatchObject({ ok: false, error: { code: 'conflict', retryable: false } });
    const current = String(sandbox.control.records.get('events', event!.id)!.etag);
    const [fresh] = await adapter.push({
      entity: 'events',
      operations: [{ kind: 'delete', idempotencyKey: 'd', id: event!.id, expectedVersion: current }],
    });
    expect(fresh).toMatchObject({ ok: true });
    expect(sandbox.control.records.get('events', event!.id)!.status).toBe('cancelled');
  });

  it('makes a redelivered create idempotent through a client-chosen event id (409 duplicate → the existing event)', async () => {
    sandbox = await startGoogleSandbox({ records: 3 });
    const { adapter } = adapterFor(sandbox);
    const create = () =>
      adapter.push({
        entity: 'events',
        operations: [{ kind: 'create', idempotencyKey: 'outbound-42', data: { summary: 'once', ...inOneHour() } }],
      });
    const [first] = await create();
    const [again] = await create();
    if (!first?.ok || !again?.ok) throw new Error(`create failed: ${JSON.stringify([first, again])}`);
    expect(again.id).toBe(first.id);
    expect(sandbox.control.records.count('events')).toBe(4);
  });

  it('maps 403 userRateLimitExceeded to rate_limited, without a retry delay Google does not give', async () => {
    sandbox = await startGoogleSandbox({ records: 3 });
    const { adapter } = adapterFor(sandbox);
    sandbox.control.injectFault({ kind: 'rate_limit', variant: 'userRateLimitExceeded' });
    const error = await adapter.fetchChanges({ entity: 'events', pageSize: 5 }).catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe('rate_limited');
    expect(isAppError(error) && error.details?.providerCode).toBe('userRateLimitExceeded');
    expect(isAppError(error) && error.retryAfterMs).toBeUndefined(); // Google gives none: the caller backs off exponentially
  });

  it('serves 100,000 seeded events and files lazily', async () => {
    sandbox = await startGoogleSandbox();
    const { adapter } = adapterFor(sandbox);
    const started = Date.now();
    const events = await adapter.fetchChanges({ entity: 'events', pageSize: 2500 });
    const files = await adapter.fetchChanges({ entity: 'files', pageSize: 1000 });
    expect(events.records).toHaveLength(2500);
    expect(files.records).toHaveLength(1000);
    expect(sandbox.control.records.count('events')).toBe(100_000);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('reads Drive files in full, then follows changes.list (trash and permanent delete arrive as deletions)', async () => {
    sandbox = await startGoogleSandbox({ records: 9 });
    const { adapter } = adapterFor(sandbox);
    const full = await readAll(adapter, 'files', undefined, 4);
    expect(full.records).toHaveLength(9);
    expect(full.records[0]!.data.modifiedTime).toBeDefined(); // fields=* asked for the whole resource
    const [created] = await adapter.push({
      entity: 'files',
      operations: [{ kind: 'create', idempotencyKey: 'f1', data: { name: 'notes.txt', mimeType: 'text/plain' } }],
    });
    if (!created?.ok) throw new Error('create failed');
    sandbox.control.records.update('files', full.records[2]!.id, { trashed: true });
    sandbox.control.records.remove('files', full.records[5]!.id);
    sandbox.control.records.update('files', created.id, { name: 'notes-2.txt' });
    const delta = await readAll(adapter, 'files', full.cursor, 2);
    const byId = new Map(delta.records.map((record) => [record.id, record]));
    expect(delta.records).toHaveLength(3); // latest change per file only
    expect(byId.get(created.id)).toMatchObject({
      deleted: false,
      data: expect.objectContaining({ name: 'notes-2.txt' }),
    });
    expect(byId.get(full.records[2]!.id)?.deleted).toBe(true);
    expect(byId.get(full.records[5]!.id)?.deleted).toBe(true);
    const none = await readAll(adapter, 'files', delta.cursor, 2);
    expect(none.records).toEqual([]);
  });

  it('pushes calendar channel messages (sync first, then exists) that the product verifier accepts by token', async () => {
    const received: Record<string, string | string[] | undefined>[] = [];
    const receiver: Server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        received.push(req.headers);
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/google`;
      sandbox = await startGoogleSandbox({ records: 3, webhookUrl: url, webhookSecret: 'channel-token' });
      sandbox.control.records.create('events', { summary: 'new one' });
      await sandbox.control.flushWebhooks();
      expect(received.map((headers) => [headers['x-goog-resource-state'], headers['x-goog-message-number']])).toEqual([
        ['sync', '1'],
        ['exists', '2'],
      ]);
      const verdicts = received.map((headers) =>
        verifyGoogleChannel({
          rawBody: Buffer.alloc(0),
          headers: (name) => headers[name] as string | undefined,
          secrets: ['channel-token'],
          now: Date.now(),
        }),
      );
      expect(verdicts.map((verdict) => verdict.ok && verdict.outcome.kind)).toEqual(['channel_sync', 'event']);
      const wrong = verifyGoogleChannel({
        rawBody: Buffer.alloc(0),
        headers: (name) => received[1]![name] as string | undefined,
        secrets: ['other'],
        now: Date.now(),
      });
      expect(wrong.ok).toBe(false);
    } finally {
      await new Promise((resolve) => receiver.close(resolve));
    }
  });
});
