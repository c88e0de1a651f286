/**
 * A backfill's first read (FetchChangesRequest.since) against the GitHub, Notion and Salesforce sandboxes: it
 * returns every record changed at or after the date, and none changed before it (GitHub's `since` has second
 * precision, so the bound is the date's second).
 */
import type { AdapterContext, AdapterFactory, ProviderAdapter, ProviderRecord } from '../../shared/adapters/contract';
import { githubAdapterFactory } from '../../shared/adapters/github';
import { notionAdapterFactory } from '../../shared/adapters/notion';
import { salesforceAdapterFactory } from '../../shared/adapters/salesforce';
import { startGithubSandbox } from '../../dev/sandboxes/github';
import { notionIds, startNotionSandbox } from '../../dev/sandboxes/notion';
import { startSalesforceSandbox } from '../../dev/sandboxes/salesforce';
import type { RunningSandbox } from '../../dev/sandboxes';

jest.setTimeout(60_000);

async function readAll(adapter: ProviderAdapter, entity: string, since?: string): Promise<ProviderRecord[]> {
  const records: ProviderRecord[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 100; page++) {
    const result = await adapter.fetchChanges({
      entity,
      cursor,
      pageSize: 7,
      ...(page === 0 && since ? { since } : {}),
    });
    records.push(...result.records);
    if (result.done) return records;
    cursor = result.nextCursor;
  }
  throw new Error('too many pages');
}

const cases: Array<[string, AdapterFactory, string, () => Promise<RunningSandbox>, Record<string, unknown>, number]> = [
  [
    'github',
    githubAdapterFactory,
    'issues',
    () => startGithubSandbox({ records: 20, extra: { repositories: ['acme/widgets'] } }),
    { repositories: ['acme/widgets'] },
    1000,
  ],
  [
    'notion',
    notionAdapterFactory,
    'pages',
    () => startNotionSandbox({ records: 20, seed: 5 }),
    { dataSourceId: notionIds(5).dataSourceId },
    1,
  ],
  ['salesforce', salesforceAdapterFactory, 'Account', () => startSalesforceSandbox({ records: 20 }), {}, 1],
];

describe.each(cases)('%s: a read from a date', (_name, factory, entity, start, options, precisionMs) => {
  let sandbox: RunningSandbox;
  afterAll(() => sandbox?.stop());

  it('returns the records changed at or after it, and none before', async () => {
    sandbox = await start();
    const token = sandbox.control.issueToken().accessToken;
    const context: AdapterContext = {
      baseUrl: sandbox.url,
      options,
      requestTimeoutMs: 5000,
      auth: { headers: async () => ({ authorization: `Bearer ${token}` }) },
    };
    const adapter = factory.create(context);
    const all = (await readAll(adapter, entity)).filter((record) => !record.deleted);
    const times = all.map((record) => Date.parse(record.modifiedAt!)).sort((a, b) => a - b);
    const middle = times[Math.floor(times.length / 2)]!;
    expect(times[0]).toBeLessThan(middle);
    const since = new Date(middle).toISOString();
    const bound = Math.floor(middle / precisionMs) * precisionMs;
    const read = await readAll(adapter, entity, since);
    const expected = all.filter((record) => Date.parse(record.modifiedAt!) >= middle).map((record) => record.id);
    expect(read.map((record) => record.id)).toEqual(expect.arrayContaining(expected));
    for (const record of read) expect(Date.parse(record.modifiedAt!)).toBeGreaterThanOrEqual(bound);
    expect(read.length).toBeLessThan(all.length);
  });
});
