/**
 * Deduplication across integrations and relationships, end to end in demo mode: the Salesforce and Slack
 * sandboxes, their real adapters, the admin API (mappings, per-entity dedup config), SyncInboundWorker on the
 * embedded queue, and cosmosdb-server.
 *  - The same person as a Salesforce Contact and a Slack user (emails differing in case and padding) becomes
 *    one shard with both external refs; each source's external-id map resolves to it; the decision is kept.
 *  - A Contact synced before its Account holds a pending link, resolved when the Account page is written.
 */
import { startLocalHost, type LocalHost } from '../../hosts/local/local-host';
import { testEnv, TEST_ADMIN_KEY } from '../support/test-services';
import { pendingLinkId } from '../../shared/stores/documents/sync-state-repository';

jest.setTimeout(120_000);

const SLACK_USER = 'U00000000';
let host: LocalHost;

type JsonResponse = Omit<Response, 'json'> & { json(): Promise<any> };
function api(path: string, init: RequestInit = {}): Promise<JsonResponse> {
  return fetch(`${host.url}/api/admin/tenants/demo/${path}`, {
    ...init,
    headers: { 'x-api-key': TEST_ADMIN_KEY, 'content-type': 'application/json' },
  });
}

async function sync(integrationId: string, mode: 'full' | 'incremental' = 'full'): Promise<any> {
  const started = await api(`integrations/${integrationId}/sync`, { method: 'POST', body: JSON.stringify({ mode }) });
  expect(started.status).toBe(202);
  const { runId } = await started.json();
  const deadline = Date.now() + 60_000;
  for (;;) {
    const run = await (await api(`integrations/${integrationId}/runs/${runId}`)).json();
    if (run.status === 'succeeded' || run.status === 'failed') return run;
    if (Date.now() > deadline) throw new Error(`run ${runId} still ${run.status}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function configure(integrationId: string, body: Record<string, unknown>): Promise<void> {
  const response = await api(`integrations/${integrationId}`, { method: 'PATCH', body: JSON.stringify(body) });
  expect([response.status, await response.text()]).toEqual([200, expect.any(String)]);
}

async function putMapping(integrationId: string, entity: string, schema: Record<string, unknown>): Promise<void> {
  const response = await api(`integrations/${integrationId}/mappings/${entity}`, {
    method: 'PUT',
    body: JSON.stringify(schema),
  });
  expect([response.status, await response.text()]).toEqual([200, expect.any(String)]);
}

const sandbox = (provider: string) =>
  host.demo!.sandboxes.find((candidate) => candidate.provider === provider)!.control;
const stateOf = async (integrationId: string, entity: string, externalId: string) =>
  [...(await host.services.syncState.records(integrationId, entity, [externalId])).values()][0];

beforeAll(async () => {
  host = await startLocalHost({
    env: testEnv({ DEMO_MODE: 'true', DEMO_RECORDS: '6', SYNC_PAGE_SIZE: '4' }),
    useProcessEnv: false,
    timers: false,
  });
  // Syncs run only when a test asks.
  for (const integration of host.demo!.integrations) {
    const stored = (await host.services.integrations.get('demo', integration.id))!;
    await host.services.integrations.replace({ ...stored, nextSyncAt: '2099-01-01T00:00:00.000Z' });
  }
});
afterAll(async () => host?.stop());

describe('deduplication across integrations', () => {
  it('merges a Salesforce Contact and a Slack user with the same email into one shard with both refs', async () => {
    const emailKey = [
      { kind: 'external_id' },
      { kind: 'content_hash' },
      { kind: 'natural_key', name: 'email', parts: [{ field: 'email', normalise: { kind: 'email' } }] },
    ];
    await putMapping('demo-slack', 'users', {
      provider: 'slack',
      entity: 'users',
      shardType: 'person',
      fields: { email: { source: 'profile.email' }, name: { source: 'real_name' } },
    });
    await configure('demo-slack', { entities: ['users'], dedup: { users: emailKey } });
    await putMapping('demo-salesforce', 'Contact', {
      provider: 'salesforce',
      entity: 'Contact',
      shardType: 'person',
      fields: {
        email: { source: 'Email' },
        name: { expression: "FirstName & ' ' & LastName" },
        title: { source: 'Title' },
      },
    });
    await configure('demo-salesforce', { entities: ['Contact'], dedup: { Contact: emailKey } });

    const user = sandbox('slack').records.get('users', SLACK_USER)!;
    sandbox('slack').records.update('users', SLACK_USER, {
      real_name: 'Ada Lovelace',
      profile: { ...(user.profile as object), email: '  Ada.Lovelace@Example.COM ' },
    });
    const contact = sandbox('salesforce').records.create('Contact', {
      FirstName: 'Ada',
      LastName: 'Lovelace',
      Email: 'ada.lovelace@example.com',
      Title: 'Analyst',
    });
    const contactId = String(contact.Id);

    const slackRun = await sync('demo-slack');
    expect(slackRun.status).toBe('succeeded');
    const salesforceRun = await sync('demo-salesforce');
    expect(salesforceRun.status).toBe('succeeded');

    const slackState = (await stateOf('demo-slack', 'users', SLACK_USER))!;
    const contactState = (await stateOf('demo-salesforce', 'Contact', contactId))!;
    // The external-id map of each source resolves to the one shard.
    expect(contactState.shardId).toBe(slackState.shardId);
    expect(contactState.dedup).toMatchObject({ strategy: 'natural_key', matchedShardId: slackState.shardId });
    const shard = (await host.services.shards.get('demo', slackState.shardId))!;
    expect(shard.externalRefs).toEqual([
      expect.objectContaining({
        provider: 'slack',
        integrationId: 'demo-slack',
        entity: 'users',
        externalId: SLACK_USER,
      }),
      expect.objectContaining({
        provider: 'salesforce',
        integrationId: 'demo-salesforce',
        entity: 'Contact',
        externalId: contactId,
      }),
    ]);
    // The first source's values stay; the second adds what the shard lacked.
    expect(shard.data).toMatchObject({ email: '  Ada.Lovelace@Example.COM ', name: 'Ada Lovelace', title: 'Analyst' });
    expect(shard.dedupDecisions).toEqual([
      expect.objectContaining({
        strategy: 'natural_key',
        matchedShardId: shard.id,
        source: expect.objectContaining({ externalId: contactId }),
        runId: salesforceRun.id,
      }),
    ]);
    // Nothing else of the seeded data shares an email: exactly one merge in the tenant.
    const persons = await host.services.shards.count('demo', { shardType: 'person' });
    expect(persons).toBe(sandbox('slack').records.count('users') + sandbox('salesforce').records.count('Contact') - 1);

    // Again: every record is known now, nothing changes and nothing is merged twice.
    const again = await sync('demo-salesforce');
    expect(again.counters).toMatchObject({
      created: 0,
      updated: 0,
      unchanged: sandbox('salesforce').records.count('Contact'),
    });
    expect((await host.services.shards.get('demo', shard.id))!.externalRefs).toHaveLength(2);
    expect(await host.services.shards.count('demo', { shardType: 'person' })).toBe(persons);

    // The Contact deleted at Salesforce leaves the shard to its Slack source instead of deleting the person.
    sandbox('salesforce').records.remove('Contact', contactId);
    expect((await sync('demo-salesforce')).counters).toMatchObject({ deleted: 1 });
    const left = (await host.services.shards.get('demo', shard.id))!;
    expect(left.deleted).toBe(false);
    expect(left.externalRefs.map((ref) => ref.externalId)).toEqual([SLACK_USER]);
  });
});

describe('relationships', () => {
  it('keeps a Contact→Account link pending until the Account page is written, then resolves it', async () => {
    await configure('demo-salesforce', {
      entities: ['Contact'],
      dedup: { Contact: [{ kind: 'external_id' }, { kind: 'content_hash' }] },
    });
    await putMapping('demo-salesforce', 'Contact', {
      provider: 'salesforce',
      entity: 'Contact',
      shardType: 'person',
      fields: { email: { source: 'Email' }, accountId: { source: 'AccountId' } },
      relationships: [{ name: 'account', field: 'AccountId', targetEntity: 'Account' }],
    });
    const account = sandbox('salesforce').records.create('Account', { Name: 'Analytical Engines Ltd' });
    const accountId = String(account.Id);
    const contact = sandbox('salesforce').records.create('Contact', {
      FirstName: 'Charles',
      LastName: 'Babbage',
      Email: 'charles@example.com',
      AccountId: accountId,
    });
    const contactId = String(contact.Id);

    // Contacts only: the Account is not synced yet.
    expect((await sync('demo-salesforce')).status).toBe('succeeded');
    const contactShardId = (await stateOf('demo-salesforce', 'Contact', contactId))!.shardId;
    expect((await host.services.shards.get('demo', contactShardId))!.links).toEqual([
      {
        name: 'account',
        integrationId: 'demo-salesforce',
        pending: { provider: 'salesforce', entity: 'Account', externalId: accountId },
      },
    ]);
    const [waiting] = await host.services.syncState.pendingLinksTo('demo', [`salesforce/Account/${accountId}`]);
    expect(waiting).toMatchObject({
      id: pendingLinkId(`salesforce/Account/${accountId}`),
      waiting: [{ shardId: contactShardId, name: 'account' }],
    });

    // The Account arrives (after the Contacts, in the same run): the link is resolved on the Contact's shard.
    await configure('demo-salesforce', { entities: ['Contact', 'Account'] });
    const run = await sync('demo-salesforce');
    expect(run.status).toBe('succeeded');
    const accountShardId = (await stateOf('demo-salesforce', 'Account', accountId))!.shardId;
    expect((await host.services.shards.get('demo', contactShardId))!.links).toEqual([
      { name: 'account', integrationId: 'demo-salesforce', targetShardId: accountShardId },
    ]);
    expect(await host.services.syncState.pendingLinksTo('demo', [`salesforce/Account/${accountId}`])).toEqual([]);

    // A Contact whose Account is already synced links at once; the same run again changes nothing.
    const second = sandbox('salesforce').records.create('Contact', {
      FirstName: 'Ada',
      LastName: 'King',
      Email: 'ada.king@example.com',
      AccountId: accountId,
    });
    expect((await sync('demo-salesforce', 'incremental')).status).toBe('succeeded');
    const secondShard = (await host.services.shards.get(
      'demo',
      (await stateOf('demo-salesforce', 'Contact', String(second.Id)))!.shardId,
    ))!;
    expect(secondShard.links).toEqual([
      { name: 'account', integrationId: 'demo-salesforce', targetShardId: accountShardId },
    ]);
    expect((await sync('demo-salesforce')).counters).toMatchObject({ created: 0, updated: 0, deleted: 0 });
  });
});
