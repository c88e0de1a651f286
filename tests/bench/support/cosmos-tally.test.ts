/**
 * The benchmarks' Cosmos meter against the real stand-in (cosmosdb-server in a services child, as the benchmarks run
 * it), written to through the product's own repositories: documents created with their own ttl are counted with
 * size × ttl (what the capacity model keeps in store for them), a rewrite of the same document is not.
 */
import { parseSettings } from '../../../shared/config/settings';
import { historyEntry } from '../../../shared/core/shard-history';
import { openDocumentStore } from '../../../shared/stores/documents/cosmos/document-store';
import type { DocumentStore } from '../../../shared/stores/documents/document-store';
import type { ActivityDoc } from '../../../shared/stores/documents/activity-repository';
import { startServicesChild, type ServicesChild } from './services-child';

const DAY_S = 86_400;
const bytes = (doc: object) => Buffer.byteLength(JSON.stringify(doc));

describe('Cosmos tally: documents kept for their own ttl', () => {
  let child: ServicesChild;
  let store: DocumentStore;

  beforeAll(async () => {
    child = await startServicesChild({ tally: true });
    store = await openDocumentStore(parseSettings({ ...child.cosmos, COSMOS_DATABASE: 'tally-ttl' }).cosmos);
  }, 120_000);

  afterAll(async () => {
    await store?.dispose();
    await child?.stop();
  });

  it('counts creates with a ttl as size × ttl, per container, and not their rewrites', async () => {
    const entry: ActivityDoc = {
      id: '2026-12-08T00:00:00.000Z~0a1b2c3d4e5f',
      tenantId: 't1',
      kind: 'activity',
      at: '2026-12-08T00:00:00.000Z',
      type: 'webhook',
      integrationId: 'i1',
      integrationName: 'GitHub',
      status: 'accepted',
      summary: '3 deliveries accepted',
      ttl: 90 * DAY_S,
    };
    const history = historyEntry(
      {
        tenantId: 't1',
        shardId: 'sh-1',
        source: 'provider',
        runId: 'r1',
        integrationId: 'i1',
        changedFields: ['title'],
        key: 'r1',
      },
      '2026-12-08T00:00:00.000Z',
      7,
    );
    const before = await child.tally();
    await store.activity.appendMany([entry]);
    await store.activity.appendMany([entry]); // the same document again: an update, nothing more kept
    await store.shardHistory.appendMany([history]);
    const after = await child.tally();
    const activity = after.activity!;
    const shardHistory = after['shard-history']!;
    expect(activity.ttlCreates - (before.activity?.ttlCreates ?? 0)).toBe(1);
    expect(activity.ttlByteSeconds - (before.activity?.ttlByteSeconds ?? 0)).toBe(bytes(entry) * 90 * DAY_S);
    expect(shardHistory.ttlCreates - (before['shard-history']?.ttlCreates ?? 0)).toBe(1);
    expect(shardHistory.ttlByteSeconds - (before['shard-history']?.ttlByteSeconds ?? 0)).toBe(
      bytes(history) * 7 * DAY_S,
    );
  });
});
