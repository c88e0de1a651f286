/** SyncScheduler's changed-shard scan against real Cosmos (cosmosdb-server) and the embedded queue: batches, checkpoint, targets. */
import { syncScheduler } from '../../functions/SyncScheduler';
import { createTestServices, type TestServices } from '../support/test-services';
import { invocation } from '../support/invoke';
import { newIntegration } from '../../shared/core/integration';
import { QUEUES } from '../../shared/stores/queue/queues';
import type { Shard } from '../../shared/core/shard';

let t: TestServices;
beforeAll(async () => {
  // Two shards per tick, so a backlog needs several ticks (and a busy second needs paging by id).
  t = await createTestServices({ OUTBOUND_SCAN_MAX_PER_TICK: '2' });
  await t.services.integrations.create({
    ...newIntegration(
      't1',
      'gh',
      { provider: 'github', name: 'gh', direction: 'bidirectional' },
      { intervalMinutes: 30 },
      new Date(),
    ),
    nextSyncAt: '2099-01-01T00:00:00.000Z',
  });
});
afterAll(async () => t.services.close());

const timer = {
  isPastDue: false,
  schedule: { adjustForDST: false },
  scheduleStatus: { last: '', next: '', lastUpdated: '' },
};
const outbound = QUEUES.syncOutbound.name;

function drain(): Array<{ messageId: string; body: any }> {
  const out = [];
  for (
    let message = t.services.embeddedQueue!.receive(outbound);
    message;
    message = t.services.embeddedQueue!.receive(outbound)
  ) {
    t.services.embeddedQueue!.complete(outbound, message.lockToken);
    out.push(message);
  }
  return out;
}

function shard(id: string, fields: Partial<Shard> = {}): Shard {
  return {
    id,
    tenantId: 't1',
    shardType: 'github.issues',
    data: { title: id },
    externalRefs: [{ provider: 'github', integrationId: 'gh', entity: 'issues', externalId: `acme/widgets#${id}` }],
    links: [],
    lastWrittenBy: 'local',
    deleted: false,
    updatedAt: new Date().toISOString(),
    ...fields,
  };
}

async function tick(): Promise<string[]> {
  await syncScheduler.handler(timer, invocation('SyncScheduler'), t.services);
  return drain().map((message) => message.body.shardId);
}

describe('outbound changed-shard scan', () => {
  it('drains a backlog larger than one batch over several ticks, each changed shard once', async () => {
    // Written together: most land in the same second, more than one batch of them.
    await t.services.shards.upsertMany(['a', 'b', 'c', 'd', 'e'].map((id) => shard(id)));
    await t.services.shards.upsertMany([
      shard('from-sync', { lastWrittenBy: 'inbound' }),
      shard('other-type', { shardType: 'github.pulls' }),
    ]);
    const seen: string[] = [];
    for (let i = 0; i < 8; i++) seen.push(...(await tick()));
    expect([...seen].sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('enqueues a shard again when it is edited again (a new ETag), and a local create only for its target', async () => {
    await t.services.shards.replace({ ...(await t.services.shards.get('t1', 'c'))!, data: { title: 'again' } });
    await t.services.shards.upsertMany([
      shard('new-here', { externalRefs: [], targetIntegrationId: 'gh' }),
      shard('new-elsewhere', { externalRefs: [], targetIntegrationId: 'another' }),
    ]);
    const seen: string[] = [];
    for (let i = 0; i < 8; i++) seen.push(...(await tick()));
    expect([...seen].sort()).toEqual(['c', 'new-here']);
  });
});
