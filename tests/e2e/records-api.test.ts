/**
 * The record browser and record history through the admin API of the local host (demo mode: cosmosdb-server,
 * the GitHub sandbox): paging, the entity filter and the q search, 400s naming the parameter, another tenant
 * answered 404 or nothing; history written by an inbound run (the changed fields exactly), by an admin PATCH
 * (with its actor) and by a conflict resolution, and nothing written when a record did not change.
 */
import { startLocalHost, type LocalHost } from '../../hosts/local/local-host';
import { testEnv, TEST_ADMIN_KEY } from '../support/test-services';
import { createMemoryLogger } from '../../shared/platform/observability/logger';
import { isPullRequestIndex } from '../../dev/sandboxes/github/data';
import { issueId } from '../../shared/adapters/github/ids';
import { changedFieldNames } from '../../shared/core/shard-history';

jest.setTimeout(180_000);

const ISSUES = 30;
const INTEGRATION = 'demo-github';
let host: LocalHost;
beforeAll(async () => {
  host = await startLocalHost({
    env: testEnv({ DEMO_MODE: 'true', DEMO_RECORDS: String(ISSUES) }),
    useProcessEnv: false,
    timers: false,
    overrides: { logger: createMemoryLogger('warn').logger },
  });
});
afterAll(async () => host?.stop());

type JsonResponse = Omit<Response, 'json'> & { json(): Promise<any> };
const api = (path: string, init: RequestInit = {}): Promise<JsonResponse> =>
  fetch(`${host.url}/api/admin/tenants/${path}`, {
    ...init,
    headers: { 'x-api-key': TEST_ADMIN_KEY, 'content-type': 'application/json' },
  });
const ok = async (path: string, init: RequestInit = {}): Promise<any> => {
  const response = await api(path, init);
  if (response.status >= 300) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response.json();
};

async function sync(mode: 'incremental' | 'full' = 'incremental'): Promise<any> {
  const { runId } = await ok(`demo/integrations/${INTEGRATION}/sync`, {
    method: 'POST',
    body: JSON.stringify({ mode }),
  });
  const deadline = Date.now() + 90_000;
  for (;;) {
    const run = await ok(`demo/integrations/${INTEGRATION}/runs/${runId}`);
    if (run.status === 'succeeded' || run.status === 'failed') return run;
    if (Date.now() > deadline) throw new Error(`run still ${run.status}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const github = () => host.demo!.sandboxes.find((sandbox) => sandbox.provider === 'github')!;
const issueNumbers = Array.from({ length: ISSUES }, (_, index) => index)
  .filter((index) => !isPullRequestIndex(index))
  .map((index) => index + 1);
async function shardOf(number: number) {
  const recordId = issueId('acme/widgets', number);
  const state = (await host.services.syncState.records(INTEGRATION, 'issues', [recordId])).get(recordId)!;
  return (await host.services.shards.get('demo', state.shardId))!;
}
const history = async (shardId: string) => (await ok(`demo/shards/${shardId}/history`)).items as any[];
const historyDocuments = (shardId: string) =>
  host.services.documents.shardHistory.list('demo', shardId, new Date(0).toISOString(), 100);

let firstRunId: string;
beforeAll(async () => {
  const run = await sync();
  expect(run.status).toBe('succeeded');
  firstRunId = run.runId ?? run.id;
});

describe('GET …/shards (the record browser)', () => {
  it('pages through the integration’s records with a continuation token, each record once', async () => {
    const all = await ok(`demo/shards?integrationId=${INTEGRATION}&limit=100`);
    expect(all.continuationToken).toBeUndefined();
    expect(all.items.length).toBeGreaterThan(issueNumbers.length);
    const paged: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await ok(
        `demo/shards?integrationId=${INTEGRATION}&limit=7${token ? `&continuationToken=${encodeURIComponent(token)}` : ''}`,
      );
      expect(page.items.length).toBeLessThanOrEqual(7);
      paged.push(...page.items.map((item: any) => item.id));
      token = page.continuationToken;
      pages++;
    } while (token);
    expect(pages).toBe(Math.ceil(all.items.length / 7));
    expect(paged).toEqual(all.items.map((item: any) => item.id));
    expect(new Set(paged).size).toBe(paged.length);
    // A summary, not the record: the title it shows, its references, no data.
    const first = all.items[0];
    expect(first).toHaveProperty('externalRefs');
    expect(first).not.toHaveProperty('data');
  });

  it('filters by entity and finds a record by its title (any case) or its external id', async () => {
    const issues = await ok(`demo/shards?integrationId=${INTEGRATION}&entity=issues&limit=100`);
    expect(issues.items).toHaveLength(issueNumbers.length);
    for (const item of issues.items)
      expect(item.externalRefs.some((ref: any) => ref.integrationId === INTEGRATION && ref.entity === 'issues')).toBe(
        true,
      );
    const target = await shardOf(issueNumbers[3]!);
    const title = String(target.data.title);
    expect(issues.items.find((item: any) => item.id === target.id).title).toBe(title);
    const byTitle = await ok(`demo/shards?integrationId=${INTEGRATION}&q=${encodeURIComponent(title.toUpperCase())}`);
    expect(byTitle.items.map((item: any) => item.id)).toContain(target.id);
    const externalId = target.externalRefs[0]!.externalId;
    const byId = await ok(`demo/shards?q=${encodeURIComponent(externalId)}`);
    expect(byId.items.map((item: any) => item.id)).toEqual([target.id]);
    expect((await ok(`demo/shards?integrationId=${INTEGRATION}&q=no-record-has-this`)).items).toEqual([]);
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['limit=abc', 'limit'],
    [`integrationId=${INTEGRATION}&entity=tickets`, 'entity'],
    ['integrationId=has%20space', 'integrationId'],
    ['continuationToken=not-a-token', 'continuationToken'],
    [`continuationToken=${Buffer.from('{"after":"x","tenant":"other"}').toString('base64url')}`, 'continuationToken'],
    ['sort=title', 'sort'],
    ['entity=', 'entity'],
  ])('answers 400 naming the parameter for %s', async (query, target) => {
    const response = await api(`demo/shards?${query}`);
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(JSON.stringify(body)).toContain(target);
  });

  it('shows another tenant nothing of this one', async () => {
    const shard = await shardOf(issueNumbers[0]!);
    expect((await api(`other-tenant/shards?integrationId=${INTEGRATION}`)).status).toBe(404);
    expect((await ok(`other-tenant/shards?q=${encodeURIComponent(shard.externalRefs[0]!.externalId)}`)).items).toEqual(
      [],
    );
    expect((await ok('other-tenant/shards')).items).toEqual([]);
    expect((await api(`other-tenant/shards/${shard.id}`)).status).toBe(404);
    expect((await api(`other-tenant/shards/${shard.id}/history`)).status).toBe(404);
    expect((await api('demo/shards/no-such-shard/history')).status).toBe(404);
  });
});

describe('GET …/shards/{shardId}/history', () => {
  it('has the run that created a record, with every field it brought', async () => {
    const shard = await shardOf(issueNumbers[1]!);
    const items = await history(shard.id);
    expect(items).toEqual([
      {
        at: expect.any(String),
        source: 'provider',
        runId: firstRunId,
        integrationId: INTEGRATION,
        changedFields: Object.keys(shard.data).sort(),
        created: true,
      },
    ]);
    // The creation is kept on the shard: a first sync writes no history document per record.
    expect(await historyDocuments(shard.id)).toHaveLength(0);
  });

  it('has the run that changed fields at the provider, naming exactly those fields; an unchanged record writes nothing', async () => {
    const number = issueNumbers[2]!;
    const before = await shardOf(number);
    github().control.records.update('issues', issueId('acme/widgets', number), {
      title: 'Renamed at the provider',
      body: 'New body at the provider',
    });
    const run = await sync();
    expect(run.status).toBe('succeeded');
    const after = await shardOf(number);
    const expected = changedFieldNames(before.data, after.data);
    expect(expected).toEqual(expect.arrayContaining(['body', 'title']));
    const items = await history(before.id);
    expect(items).toHaveLength(2);
    expect(items[0]).toEqual({
      at: expect.any(String),
      source: 'provider',
      runId: expect.any(String),
      integrationId: INTEGRATION,
      changedFields: expected,
    });
    // The sandbox may also announce the change by webhook, whose run can be the one that brought it in.
    expect((await ok(`demo/integrations/${INTEGRATION}/runs/${items[0].runId}`)).status).toBe('succeeded');
    expect(items[0].runId).not.toBe(firstRunId);
    expect(items[0].at >= items[1].at).toBe(true);
    // Values are never in the history.
    expect(JSON.stringify(items)).not.toContain('Renamed at the provider');

    const unchanged = await shardOf(issueNumbers[4]!);
    expect((await sync('full')).status).toBe('succeeded');
    expect(await history(unchanged.id)).toHaveLength(1);
    expect(await history(before.id)).toHaveLength(2);
  });

  it('has an admin PATCH with its actor and the fields whose value changed', async () => {
    const shard = await shardOf(issueNumbers[5]!);
    const patched = await ok(`demo/shards/${shard.id}`, {
      method: 'PATCH',
      body: JSON.stringify({ data: { title: 'Edited by an operator', state: shard.data.state } }),
    });
    expect(patched.data.title).toBe('Edited by an operator');
    const items = await history(shard.id);
    expect(items[0]).toEqual({ at: expect.any(String), source: 'admin', actor: 'api-key', changedFields: ['title'] });
    // Writing the same values again changes nothing and records nothing.
    await ok(`demo/shards/${shard.id}`, {
      method: 'PATCH',
      body: JSON.stringify({ data: { title: 'Edited by an operator' } }),
    });
    expect(await history(shard.id)).toHaveLength(items.length);
  });

  it('has a conflict resolution that took the provider’s value', async () => {
    await ok(`demo/integrations/${INTEGRATION}`, {
      method: 'PATCH',
      body: JSON.stringify({ conflictStrategy: 'manual' }),
    });
    const number = issueNumbers[6]!;
    const shard = await shardOf(number);
    await ok(`demo/shards/${shard.id}`, { method: 'PATCH', body: JSON.stringify({ data: { title: 'Local title' } }) });
    github().control.records.update('issues', issueId('acme/widgets', number), { title: 'Remote title' });
    expect((await sync()).status).toBe('succeeded');
    const open = (await ok(`demo/conflicts?integrationId=${INTEGRATION}`)).items.find(
      (conflict: any) => conflict.shardId === shard.id,
    );
    expect(open).toBeDefined();
    await ok(`demo/conflicts/${open.id}/resolve`, {
      method: 'POST',
      body: JSON.stringify({ choices: { title: { take: 'remote' } } }),
    });
    const items = await history(shard.id);
    expect(items[0]).toEqual({
      at: expect.any(String),
      source: 'conflict',
      actor: 'api-key',
      integrationId: INTEGRATION,
      changedFields: ['title'],
    });
    // Before it: the run that held the title (and took the provider's other changes), and the local edit.
    expect(items.map((item) => item.source)).toEqual(['conflict', 'provider', 'admin', 'provider']);
    expect(items[1].changedFields).not.toContain('title');
    expect(items[2]).toMatchObject({ source: 'admin', changedFields: ['title'] });
    expect((await host.services.shards.get('demo', shard.id))!.data.title).toBe('Remote title');
  });
});

describe('history of an outbound push', () => {
  it('has the settle that took the provider’s answer, naming the fields it changed', async () => {
    await ok(`demo/integrations/${INTEGRATION}`, {
      method: 'PATCH',
      body: JSON.stringify({ direction: 'bidirectional' }),
    });
    const shard = await shardOf(issueNumbers[7]!);
    const edited = await ok(`demo/shards/${shard.id}`, {
      method: 'PATCH',
      body: JSON.stringify({ data: { title: 'Pushed from the platform' } }),
    });
    await host.triggers.fire('SyncScheduler');
    const deadline = Date.now() + 60_000;
    let settled = await host.services.shards.get('demo', shard.id);
    while (settled?.lastWrittenBy !== 'inbound') {
      if (Date.now() > deadline) throw new Error('the push did not settle');
      await new Promise((resolve) => setTimeout(resolve, 100));
      settled = await host.services.shards.get('demo', shard.id);
    }
    const expected = changedFieldNames(edited.data, settled.data);
    // The sandbox stamps the record it changed: the provider's answer differs from what was pushed.
    expect(expected).toContain('updatedAt');
    const items = await history(shard.id);
    expect(items[0]).toEqual({
      at: expect.any(String),
      source: 'outbound',
      integrationId: INTEGRATION,
      changedFields: expected,
    });
    expect(items[1]).toMatchObject({ source: 'admin', changedFields: ['title'] });
  });
});
