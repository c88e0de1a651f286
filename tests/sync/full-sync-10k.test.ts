/**
 * A 10,000-record full refresh through the real workers: the Salesforce sandbox seeded with 10,000 Contacts,
 * its adapter, SyncInboundWorker on the embedded queue (one page per message), cosmosdb-server. Exactly 10,000
 * shards and the right run counters; a second full run changes nothing; 50 records deleted at the provider are
 * marked deleted by the next full run (mark and sweep); deleting more than the configured share is refused.
 */
import { startLocalHost, type LocalHost } from '../../hosts/local/local-host';
import { testEnv, TEST_ADMIN_KEY } from '../support/test-services';
import { credentialRef } from '../../shared/app/integration-credentials';

jest.setTimeout(180_000);

const RECORDS = 10_000;
const PAGE = 2_000;
const SHARD_TYPE = 'salesforce.Contact';
let host: LocalHost;

type JsonResponse = Omit<Response, 'json'> & { json(): Promise<any> };
const api = (path: string, init: RequestInit = {}): Promise<JsonResponse> =>
  fetch(`${host.url}/api/admin/tenants/demo/integrations/demo-salesforce/${path}`, {
    ...init,
    headers: { 'x-api-key': TEST_ADMIN_KEY, 'content-type': 'application/json' },
  });

async function fullSync(): Promise<any> {
  const started = await api('sync', { method: 'POST', body: JSON.stringify({ mode: 'full' }) });
  expect(started.status).toBe(202);
  const { runId } = await started.json();
  const deadline = Date.now() + 120_000;
  for (;;) {
    const run = await (await api(`runs/${runId}`)).json();
    if (run.status === 'succeeded' || run.status === 'failed') return run;
    if (Date.now() > deadline) throw new Error(`run ${runId} still ${run.status}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const salesforce = () => host.demo!.sandboxes.find((sandbox) => sandbox.provider === 'salesforce')!.control;
const liveShards = () => host.services.shards.count('demo', { shardType: SHARD_TYPE });

beforeAll(async () => {
  host = await startLocalHost({
    env: testEnv({
      DEMO_MODE: 'true',
      DEMO_RECORDS: String(RECORDS),
      SYNC_PAGE_SIZE: String(PAGE),
      SYNC_MAX_DELETE_SHARE: '0.01',
      LOG_LEVEL: 'warn',
    }),
    useProcessEnv: false,
    timers: false,
  });
  for (const integration of host.demo!.integrations) {
    const stored = (await host.services.integrations.get('demo', integration.id))!;
    await host.services.integrations.replace({
      ...stored,
      nextSyncAt: '2099-01-01T00:00:00.000Z',
      ...(integration.id === 'demo-salesforce' ? { entities: ['Contact'] } : {}),
    });
  }
  // Deletions must reach the engine through the full run under test, not through the sandbox's webhooks.
  await host.services.credentials.service.setWebhookSecret(
    credentialRef({ tenantId: 'demo', id: 'demo-salesforce' }, 'webhook'),
    'not-the-sandbox-secret-000',
    0,
  );
});
afterAll(async () => host?.stop());

describe('full refresh of 10,000 records', () => {
  it('makes exactly 10,000 shards, changes nothing the second time, sweeps 50 deletions and refuses too many', async () => {
    expect(salesforce().records.count('Contact')).toBe(RECORDS);
    const first = await fullSync();
    expect(first.status).toBe('succeeded');
    // Salesforce cannot tell the 10th full page is the last: an 11th, empty page may close the read.
    const pages = first.counters.pages;
    expect(pages === RECORDS / PAGE || pages === RECORDS / PAGE + 1).toBe(true);
    expect(first.counters).toEqual({
      fetched: RECORDS,
      created: RECORDS,
      updated: 0,
      unchanged: 0,
      deleted: 0,
      conflicts: 0,
      errors: 0,
      pages,
    });
    expect(await liveShards()).toBe(RECORDS);

    const second = await fullSync();
    expect(second.status).toBe('succeeded');
    expect(second.counters).toEqual({
      fetched: RECORDS,
      created: 0,
      updated: 0,
      unchanged: RECORDS,
      deleted: 0,
      conflicts: 0,
      errors: 0,
      pages,
    });
    expect(await liveShards()).toBe(RECORDS);

    // 50 deleted at the provider: 0.5% of the entity, within the 1% allowed.
    const { unseen } = await host.services.syncState.unseenSince('demo-salesforce', 'Contact', 'none', 250);
    const gone = unseen.slice(0, 50);
    for (const state of gone) expect(salesforce().records.remove('Contact', state.externalId)).toBe(true);
    const third = await fullSync();
    expect(third.status).toBe('succeeded');
    expect(third.counters).toMatchObject({
      fetched: RECORDS - 50,
      created: 0,
      updated: 0,
      unchanged: RECORDS - 50,
      deleted: 50,
    });
    expect(await liveShards()).toBe(RECORDS - 50);
    const swept = await host.services.shards.getMany(
      'demo',
      gone.map((state) => state.shardId),
    );
    expect([...swept.values()].every((shard) => shard.deleted)).toBe(true);

    // 200 more (2% of what is left): above the 1% allowed, the run fails and nothing is deleted.
    for (const state of unseen.slice(50, 250)) salesforce().records.remove('Contact', state.externalId);
    const refused = await fullSync();
    expect(refused.status).toBe('failed');
    expect(refused.lastError).toMatchObject({ code: 'validation', target: 'SYNC_MAX_DELETE_SHARE' });
    expect(await liveShards()).toBe(RECORDS - 50);
  });
});
