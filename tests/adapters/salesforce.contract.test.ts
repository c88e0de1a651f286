/** The Salesforce adapter against the Salesforce sandbox: the shared contract plus Salesforce-only behaviours. */
import { salesforceAdapterFactory } from '../../shared/adapters/salesforce';
import { refreshSalesforceToken } from '../../shared/adapters/salesforce/oauth';
import { SANDBOX_CLIENT } from '../../dev/sandboxes/common/oauth';
import { startSalesforceSandbox } from '../../dev/sandboxes/salesforce';
import { sobjectId } from '../../dev/sandboxes/salesforce/schema';
import { readAll, runAdapterContract } from './contract-suite';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isAppError } from '../../shared/core/app-error';
import type { AdapterContext } from '../../shared/adapters/contract';
import type { RunningSandbox } from '../../dev/sandboxes/common/types';
import type { RateLimitSignal } from '../../shared/ratelimit/signal';
import { verifySalesforce } from '../../shared/webhooks/verify/salesforce/verify';

runAdapterContract('salesforce', {
  factory: salesforceAdapterFactory,
  start: (options) => startSalesforceSandbox(options),
  adapterOptions: () => ({}),
  entity: 'Account',
  refresh: async (sandbox, refreshToken, signal) => {
    const tokens = await refreshSalesforceToken({
      loginUrl: sandbox.url,
      clientId: SANDBOX_CLIENT.clientId,
      clientSecret: SANDBOX_CLIENT.clientSecret,
      refreshToken,
      timeoutMs: 5000,
      signal,
    });
    // Without rotation (the org default) the same refresh token stays valid.
    return { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken ?? refreshToken };
  },
  createData: (tag) => ({ Name: tag, Industry: 'Technology' }),
  updateData: (tag) => ({ Name: tag }),
  invalidCreateData: () => ({ Industry: 'Technology' }),
  missingId: () => sobjectId('Account', 999_999),
  tagOf: (raw) => (typeof raw.Name === 'string' ? raw.Name : undefined),
  isDeletedInSandbox: (raw) => raw === undefined || raw.IsDeleted === true,
  signalsOnSuccess: true,
});

// ---- Salesforce-specific behaviours of the adapter and the sandbox ----

const API = '/services/data/v60.0';

async function adapterFor(sandbox: RunningSandbox, signals: RateLimitSignal[] = []) {
  const token = sandbox.control.issueToken().accessToken;
  const context: AdapterContext = {
    baseUrl: sandbox.url,
    options: {},
    auth: { headers: async () => ({ authorization: `Bearer ${token}` }) },
    requestTimeoutMs: 5000,
    onRateLimitSignal: (s) => signals.push(s),
  };
  return { adapter: salesforceAdapterFactory.create(context), token };
}

async function get(sandbox: RunningSandbox, token: string, path: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${sandbox.url}${path}`, { headers: { authorization: `Bearer ${token}`, ...headers } });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown> & unknown[],
  };
}

describe('salesforce sandbox and adapter specifics', () => {
  let sandbox: RunningSandbox;
  afterEach(async () => sandbox?.stop());

  it('reads pages of a 100,000-record org quickly: keyset pages never materialise the whole table', async () => {
    sandbox = await startSalesforceSandbox();
    const { adapter } = await adapterFor(sandbox);
    const started = Date.now();
    const first = await adapter.fetchChanges({ entity: 'Opportunity', pageSize: 2000 });
    const second = await adapter.fetchChanges({ entity: 'Opportunity', pageSize: 2000, cursor: first.nextCursor });
    expect(first.records).toHaveLength(2000);
    expect(second.records[0]!.id > first.records[1999]!.id).toBe(true);
    expect(sandbox.control.records.count('Opportunity')).toBe(100_000);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('pages an unbounded query through nextRecordsUrl in batches of at most 2,000 (batchSize ≥ 200) and refuses bad locators', async () => {
    sandbox = await startSalesforceSandbox({ records: 4500 });
    const token = sandbox.control.issueToken().accessToken;
    const first = await get(
      sandbox,
      token,
      `${API}/query?q=${encodeURIComponent('SELECT Id, SystemModstamp FROM Account ORDER BY SystemModstamp, Id')}`,
    );
    expect(first.status).toBe(200);
    expect(first.body.totalSize).toBe(4500);
    expect((first.body.records as unknown[]).length).toBe(2000);
    expect(first.body.done).toBe(false);
    const next = await get(sandbox, token, String(first.body.nextRecordsUrl), {
      'sforce-query-options': 'batchSize=50',
    });
    expect((next.body.records as { attributes: { type: string } }[])[0]!.attributes.type).toBe('Account');
    const small = await get(sandbox, token, `${API}/query?q=${encodeURIComponent('SELECT Id FROM Contact')}`, {
      'sforce-query-options': 'batchSize=50',
    });
    expect((small.body.records as unknown[]).length).toBe(200);
    const bad = await get(sandbox, token, `${API}/query/01gNOPE-2000`);
    expect(bad.status).toBe(400);
    expect(bad.body[0]).toMatchObject({ errorCode: 'INVALID_QUERY_LOCATOR' });
  });

  it('answers unsupported SOQL with MALFORMED_QUERY 400 and unknown columns with INVALID_FIELD', async () => {
    sandbox = await startSalesforceSandbox({ records: 5 });
    const token = sandbox.control.issueToken().accessToken;
    const malformed = await get(
      sandbox,
      token,
      `${API}/query?q=${encodeURIComponent('SELECT Id FROM Account GROUP BY Name')}`,
    );
    expect(malformed.status).toBe(400);
    expect(malformed.body[0]).toMatchObject({ errorCode: 'MALFORMED_QUERY' });
    const invalid = await get(sandbox, token, `${API}/query?q=${encodeURIComponent('SELECT Nope FROM Account')}`);
    expect(invalid.body[0]).toMatchObject({ errorCode: 'INVALID_FIELD' });
    expect(invalid.headers.get('sforce-limit-info')).toMatch(/^api-usage=\d+\/100000$/);
  });

  it('reports deletions in incremental reads (queryAll, IsDeleted = true) and lists them under /deleted/', async () => {
    sandbox = await startSalesforceSandbox({ records: 12 });
    const { adapter, token } = await adapterFor(sandbox);
    const full = await readAll(adapter, 'Contact', undefined, 5);
    expect(full.records.every((record) => !record.deleted)).toBe(true);
    const victim = full.records[4]!.id;
    sandbox.control.records.remove('Contact', victim);
    const delta = await readAll(adapter, 'Contact', full.cursor, 5);
    expect(delta.records).toEqual([expect.objectContaining({ id: victim, deleted: true })]);
    const again = await readAll(adapter, 'Contact', delta.cursor, 5);
    expect(again.records).toEqual([]);
    const start = new Date(Date.now() - 60_000).toISOString();
    const end = new Date(Date.now() + 60_000).toISOString();
    const deleted = await get(sandbox, token, `${API}/sobjects/Contact/deleted/?start=${start}&end=${end}`);
    expect(deleted.body.deletedRecords).toEqual([expect.objectContaining({ id: victim })]);
    const tooOld = await get(
      sandbox,
      token,
      `${API}/sobjects/Contact/deleted/?start=${new Date(Date.now() - 16 * 86_400_000).toISOString()}&end=${end}`,
    );
    expect(tooOld.body[0]).toMatchObject({ errorCode: 'INVALID_REPLICATION_DATE' });
  });

  it('turns an exhausted daily allocation into rate_limited with the default wait (no Retry-After), signalling remaining 0', async () => {
    sandbox = await startSalesforceSandbox({ records: 3, extra: { dailyApiLimit: 2 } });
    const signals: RateLimitSignal[] = [];
    const { adapter } = await adapterFor(sandbox, signals);
    await adapter.fetchChanges({ entity: 'Account', pageSize: 5 }); // describe + query use the allocation
    const error = await adapter.fetchChanges({ entity: 'Account', pageSize: 5 }).catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe('rate_limited');
    expect(isAppError(error) && error.retryAfterMs).toBe(60_000);
    expect(isAppError(error) && error.details?.providerCode).toBe('REQUEST_LIMIT_EXCEEDED');
    expect(signals[signals.length - 1]).toMatchObject({
      provider: 'salesforce',
      resource: 'api-usage',
      limit: 2,
      remaining: 0,
      status: 403,
    });
  });

  it('refuses a stale expectedVersion as a conflict and leaves the record alone', async () => {
    sandbox = await startSalesforceSandbox({ records: 3 });
    const { adapter } = await adapterFor(sandbox);
    const { records } = await readAll(adapter, 'Account', undefined, 5);
    const target = records[0]!;
    sandbox.control.records.update('Account', target.id, { Name: 'changed elsewhere' });
    const [outcome] = await adapter.push({
      entity: 'Account',
      operations: [
        { kind: 'update', idempotencyKey: 'u', id: target.id, data: { Name: 'mine' }, expectedVersion: target.version },
      ],
    });
    expect(outcome).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(sandbox.control.records.get('Account', target.id)!.Name).toBe('changed elsewhere');
  });

  it('sends Outbound Messages as Salesforce does (secret in the endpoint URL, no signature header) that the product verifier accepts (shared secret + org id), not for deletes', async () => {
    const received: { body: Buffer; headers: Record<string, string | string[] | undefined>; url: string }[] = [];
    const receiver: Server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ body: Buffer.concat(chunks), headers: req.headers, url: req.url ?? '' });
        res.writeHead(200, { 'content-type': 'text/xml' }).end('<Ack>true</Ack>');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
      sandbox = await startSalesforceSandbox({ records: 3, webhookUrl: url, webhookSecret: 'org-secret' });
      const created = sandbox.control.records.create('Opportunity', { Name: 'Big deal' });
      sandbox.control.records.remove('Opportunity', String(created.Id));
      await sandbox.control.flushWebhooks();
      expect(received).toHaveLength(1);
      const delivery = received[0]!;
      const request = (secrets: string[]) => ({
        rawBody: delivery.body,
        headers: (name: string) => delivery.headers[name] as string | undefined,
        secrets,
        now: Date.now(),
      });
      // What the WebhookReceiver function hands the verifier: the `secret` query value of the endpoint URL.
      const candidate = new URL(delivery.url, 'http://receiver').searchParams.get('secret') ?? undefined;
      expect(candidate).toBe('org-secret');
      expect(Object.keys(delivery.headers).filter((name) => /signature|secret/.test(name))).toEqual([]);
      const auth = { kind: 'shared_secret' as const, candidate };
      expect(verifySalesforce(request(['org-secret']), { organizationId: '00D5g000004SandAAA', auth })).toMatchObject({
        ok: true,
      });
      expect(delivery.body.toString()).toContain(`<sf:Id>${String(created.Id)}</sf:Id>`);
      expect(verifySalesforce(request(['other']), { organizationId: '00D5g000004SandAAA', auth })).toMatchObject({
        ok: false,
        reason: 'bad_signature',
      });
      expect(verifySalesforce(request(['org-secret']), { organizationId: '00D5g000004OtherAA', auth })).toMatchObject({
        ok: false,
        reason: 'wrong_organization',
      });
      // An integration left in "hmac" mode is refused loudly for an Outbound Message (it never carries the header).
      expect(
        verifySalesforce(request(['org-secret']), { organizationId: '00D5g000004SandAAA', auth: { kind: 'hmac' } }),
      ).toMatchObject({ ok: false, reason: 'missing_signature' });
    } finally {
      await new Promise((resolve) => receiver.close(resolve));
    }
  });
});
