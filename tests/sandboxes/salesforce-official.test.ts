/**
 * The official Salesforce client (jsforce 3) judges the Salesforce sandbox: SOQL through /query and /queryAll
 * followed through nextRecordsUrl to the seeded count (queryMore by hand and the client's own autoFetch), the
 * keyset SOQL our adapter really sends (captured on the wire and replayed), sObject retrieve and the writes the
 * adapter makes, Sforce-Limit-Info as jsforce reads it, REQUEST_LIMIT_EXCEEDED and INVALID_SESSION_ID as jsforce
 * surfaces them. OAuth and Outbound Messages: salesforce-official-oauth.test.ts.
 */
import { Connection } from 'jsforce';
import { startSalesforceSandbox, type SalesforceSandbox } from '../../dev/sandboxes/salesforce';
import { salesforceAdapterFactory } from '../../shared/adapters/salesforce';
import type { AdapterContext, FetchPage } from '../../shared/adapters/contract';
import { startRecordingProxy } from './support/recording-proxy';

const SEEDED = 2300;
const VERSION = '60.0';
const ACCOUNT_SOQL = 'SELECT Id, Name, SystemModstamp FROM Account';

type Row = { Id: string; SystemModstamp: string; [field: string]: unknown };
const stampMs = (stamp: string): number => Date.parse(stamp.replace(/\+0000$/, 'Z'));

let sandbox: SalesforceSandbox;
let conn: Connection;

beforeAll(async () => {
  sandbox = await startSalesforceSandbox({ records: SEEDED });
  conn = new Connection({
    instanceUrl: sandbox.url,
    accessToken: sandbox.control.issueToken().accessToken,
    version: VERSION,
  });
});
afterAll(async () => sandbox.stop());

describe('Salesforce sandbox judged by jsforce', () => {
  it('lists every seeded Account through nextRecordsUrl with query + queryMore, 2,000 per batch', async () => {
    const first = await conn.query<Row>(ACCOUNT_SOQL);
    expect(first).toMatchObject({ totalSize: SEEDED, done: false });
    expect(first.records).toHaveLength(2000);
    expect(first.nextRecordsUrl).toMatch(new RegExp(`/services/data/v${VERSION}/query/[^/]+$`));
    const second = await conn.queryMore<Row>(first.nextRecordsUrl!);
    expect(second).toMatchObject({ totalSize: SEEDED, done: true });
    expect(second.nextRecordsUrl).toBeUndefined();
    const ids = [...first.records, ...second.records].map((row) => row.Id);
    expect(ids).toHaveLength(SEEDED);
    expect(new Set(ids).size).toBe(SEEDED);
    expect(first.records[0]).toMatchObject({
      attributes: { type: 'Account', url: expect.stringContaining('/sobjects/Account/') },
    });
    // A QueryAll locator is named under /query/ (Salesforce's QueryAll More Results); /queryAll/ continues it too.
    const token = sandbox.control.issueToken().accessToken;
    const raw = async (path: string) =>
      (await (await fetch(`${sandbox.url}${path}`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
        done: boolean;
        nextRecordsUrl?: string;
        records: Row[];
      };
    const all = await raw(`/services/data/v${VERSION}/queryAll?q=${encodeURIComponent('SELECT Id FROM Account')}`);
    expect(all.nextRecordsUrl).toMatch(new RegExp(`^/services/data/v${VERSION}/query/[^/]+-2000$`));
    const viaQueryAll = await raw(all.nextRecordsUrl!.replace('/query/', '/queryAll/'));
    expect(viaQueryAll.records.length).toBeGreaterThan(0);
    // Sforce-Limit-Info as the client parses it.
    expect(conn.limitInfo.apiUsage).toEqual({ used: expect.any(Number), limit: 100_000 });
  });

  it('autoFetch follows the locators to the end (Sforce-Query-Options batchSize=200) and stops at maxFetch', async () => {
    const records: Row[] = [];
    let fetches = 0;
    await new Promise<void>((resolve, reject) => {
      const query = conn.query<Row>(ACCOUNT_SOQL, {
        autoFetch: true,
        maxFetch: 100_000,
        headers: { 'Sforce-Query-Options': 'batchSize=200' },
      });
      query
        .on('record', (row: Row) => records.push(row))
        .on('fetch', () => (fetches += 1))
        .on('end', () => resolve())
        .on('error', reject);
      void query.run({ autoFetch: true, maxFetch: 100_000, headers: { 'Sforce-Query-Options': 'batchSize=200' } });
    });
    expect(records).toHaveLength(SEEDED);
    expect(new Set(records.map((row) => row.Id)).size).toBe(SEEDED);
    expect(fetches).toBe(Math.ceil(SEEDED / 200));
    const capped = await conn.query<Row>(ACCOUNT_SOQL).run({ autoFetch: true, maxFetch: 2500 });
    expect(capped.records).toHaveLength(SEEDED);
    const short = await conn.query<Row>(ACCOUNT_SOQL).run({ autoFetch: true, maxFetch: 150 });
    expect(short.records).toHaveLength(150);
  });

  it('answers the keyset SOQL the adapter sends (queryAll, ORDER BY SystemModstamp, Id) exactly as computed', async () => {
    const proxy = await startRecordingProxy(sandbox.url);
    try {
      const token = sandbox.control.issueToken().accessToken;
      const context: AdapterContext = {
        baseUrl: proxy.url,
        options: {},
        auth: { headers: async () => ({ authorization: `Bearer ${token}` }) },
        requestTimeoutMs: 10_000,
      };
      const adapter = salesforceAdapterFactory.create(context);
      let page: FetchPage | undefined;
      const adapterIds: string[] = [];
      do {
        page = await adapter.fetchChanges({ entity: 'Contact', pageSize: 1000, cursor: page?.nextCursor });
        adapterIds.push(...page.records.map((record) => record.id));
      } while (!page.done);
      expect(new Set(adapterIds).size).toBe(SEEDED);
      // Changes after the full read: two updates and a delete, which only queryAll returns.
      const [a, b, c] = adapterIds.slice(10, 13) as [string, string, string];
      await conn.sobject('Contact').update({ Id: a, LastName: 'Changed A' });
      await conn.sobject('Contact').update({ Id: b, LastName: 'Changed B' });
      await conn.sobject('Contact').destroy(c);
      const incremental = await adapter.fetchChanges({ entity: 'Contact', pageSize: 1000, cursor: page.nextCursor });
      expect(incremental.records.map((record) => [record.id, record.deleted])).toEqual([
        [a, false],
        [b, false],
        [c, true],
      ]);

      const sent = proxy.requests
        .filter((request) => /\/query(All)?$/.test(request.url.pathname))
        .map((request) => ({ resource: request.url.pathname.split('/').pop(), q: request.url.searchParams.get('q')! }));
      const keyset = sent.filter((request) => request.q.includes(' WHERE SystemModstamp > '));
      expect(keyset.length).toBeGreaterThanOrEqual(2);
      // Every record, with deleted ones, as the independent basis for the expected answers.
      const everything: Row[] = [];
      let all = await conn.query<Row>('SELECT Id, SystemModstamp, IsDeleted FROM Contact', { scanAll: true });
      everything.push(...all.records);
      while (!all.done) {
        all = await conn.queryMore<Row>(all.nextRecordsUrl!);
        everything.push(...all.records);
      }
      expect(everything).toHaveLength(SEEDED);
      for (const { resource, q } of keyset) {
        const match =
          /WHERE SystemModstamp > (\S+) OR \(SystemModstamp = (\S+) AND Id > '([^']+)'\).*ORDER BY SystemModstamp ASC, Id ASC LIMIT (\d+)$/.exec(
            q,
          );
        expect(match).not.toBeNull();
        const [, after, same, afterId, limit] = match!;
        expect(same).toBe(after);
        const afterMs = Date.parse(after!);
        const expected = everything
          .filter((row) => resource === 'queryAll' || row.IsDeleted !== true)
          .filter(
            (row) =>
              stampMs(row.SystemModstamp) > afterMs || (stampMs(row.SystemModstamp) === afterMs && row.Id > afterId!),
          )
          .sort((x, y) => stampMs(x.SystemModstamp) - stampMs(y.SystemModstamp) || (x.Id < y.Id ? -1 : 1))
          .slice(0, Number(limit))
          .map((row) => row.Id);
        const answer = await conn
          .query<Row>(q, { scanAll: resource === 'queryAll' })
          .run({ autoFetch: true, maxFetch: 10_000 });
        expect(answer.records.map((row) => row.Id)).toEqual(expected);
      }
    } finally {
      await proxy.stop();
    }
  });

  it('retrieves by id, also with ?fields= as the adapter reads SystemModstamp, and by Id IN (...)', async () => {
    const [first, second] = (await conn.query<Row>(`${ACCOUNT_SOQL} ORDER BY Id LIMIT 2`)).records as [Row, Row];
    const record = await conn.sobject('Account').retrieve(first.Id);
    expect(record).toMatchObject({ Id: first.Id, Name: first.Name, SystemModstamp: first.SystemModstamp });
    const stampOnly = await conn.sobject('Account').retrieve(first.Id, { fields: ['SystemModstamp'] });
    expect(Object.keys(stampOnly).sort()).toEqual(['SystemModstamp', 'attributes']);
    const byIds = await conn.query<Row>(`SELECT Id FROM Account WHERE Id IN ('${first.Id}', '${second.Id}')`);
    expect(byIds.records.map((row) => row.Id).sort()).toEqual([first.Id, second.Id].sort());
    await expect(conn.sobject('Account').retrieve('001000000000000AAA')).rejects.toMatchObject({
      errorCode: 'NOT_FOUND',
    });
  });

  it('makes the writes the adapter makes: create, update, destroy; a deleted record is ENTITY_IS_DELETED; bad input names the field', async () => {
    const created = await conn.sobject('Account').create({ Name: 'Official client', Industry: 'Technology' });
    expect(created).toMatchObject({ id: expect.stringMatching(/^001[A-Za-z0-9]{15}$/), success: true, errors: [] });
    const id = (created as { id: string }).id;
    const updated = await conn.sobject('Account').update({ Id: id, Name: 'Official client (edited)' });
    expect(updated).toMatchObject({ id, success: true, errors: [] });
    expect(await conn.sobject('Account').retrieve(id)).toMatchObject({ Name: 'Official client (edited)' });
    const destroyed = await conn.sobject('Account').destroy(id);
    expect(destroyed).toMatchObject({ id, success: true, errors: [] });
    await expect(conn.sobject('Account').retrieve(id)).rejects.toMatchObject({ errorCode: 'ENTITY_IS_DELETED' });
    const inBin = await conn.query<Row>(`SELECT Id, IsDeleted FROM Account WHERE Id = '${id}'`, { scanAll: true });
    expect(inBin.records).toMatchObject([{ Id: id, IsDeleted: true }]);
    expect((await conn.query<Row>(`SELECT Id FROM Account WHERE Id = '${id}'`)).totalSize).toBe(0);

    await expect(conn.sobject('Account').create({ Industry: 'Technology' })).rejects.toMatchObject({
      errorCode: 'REQUIRED_FIELD_MISSING',
      data: { fields: ['Name'] },
    });
    await expect(conn.sobject('Account').create({ Name: 'x', Nope__c: 1 })).rejects.toMatchObject({
      errorCode: 'INVALID_FIELD',
    });
  });

  it('is refused with 403 REQUEST_LIMIT_EXCEEDED (no Retry-After) once the daily allocation is spent', async () => {
    const limited = await startSalesforceSandbox({ records: 5, extra: { dailyApiLimit: 3 } });
    try {
      const token = limited.control.issueToken().accessToken;
      const client = new Connection({ instanceUrl: limited.url, accessToken: token, version: VERSION });
      for (let i = 0; i < 3; i += 1) await client.query('SELECT Id FROM Account');
      expect(client.limitInfo.apiUsage).toEqual({ used: 3, limit: 3 });
      await expect(client.query('SELECT Id FROM Account')).rejects.toMatchObject({
        name: 'REQUEST_LIMIT_EXCEEDED',
        errorCode: 'REQUEST_LIMIT_EXCEEDED',
        message: expect.stringContaining('TotalRequests Limit exceeded'),
      });
      const raw = await fetch(`${limited.url}/services/data/v${VERSION}/query?q=SELECT+Id+FROM+Account`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(raw.status).toBe(403);
      expect(raw.headers.get('retry-after')).toBeNull();
      expect(raw.headers.get('sforce-limit-info')).toBe('api-usage=3/3');
      expect(await raw.json()).toEqual([
        { errorCode: 'REQUEST_LIMIT_EXCEEDED', message: 'TotalRequests Limit exceeded.', fields: [] },
      ]);
    } finally {
      await limited.stop();
    }
  });
});
