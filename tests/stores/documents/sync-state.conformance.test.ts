/** The sync-state repository's promises, held by the Cosmos and the memory implementation alike. */
import { recordStateId, type RecordState } from '../../../shared/core/record-state';
import {
  outboundLedgerId,
  pendingLinkId,
  pendingLinkPartition,
} from '../../../shared/stores/documents/sync-state-repository';
import type { OutboundLedger, PendingLinkDoc } from '../../../shared/stores/documents/sync-state-repository';
import { eachDocumentStore, rejectionCode, uniqueId } from './harness';

const state = (integrationId: string, externalId: string, changes: Partial<RecordState> = {}): RecordState => ({
  id: recordStateId('Account', externalId),
  kind: 'record',
  integrationId,
  tenantId: 't',
  entity: 'Account',
  externalId,
  shardId: `sh-${externalId}`,
  base: { Name: externalId },
  contentHash: 'h',
  lastSeenRunId: 'run-1',
  deleted: false,
  updatedAt: '2026-03-01T00:00:00.000Z',
  ...changes,
});

const ledger = (integrationId: string, shardId: string): OutboundLedger => ({
  id: outboundLedgerId(shardId),
  kind: 'outbound',
  integrationId,
  tenantId: 't',
  shardId,
  entity: 'issues',
  status: 'pushing',
  updatedAt: '2026-03-01T00:00:00.000Z',
});

eachDocumentStore((store) => {
  it('keeps one checkpoint per entity of an integration', async () => {
    const integration = uniqueId('i');
    expect(await store().syncState.checkpoint(integration, 'Account')).toBeUndefined();
    const checkpoint = { integrationId: integration, tenantId: 't', entity: 'Account', lastRunId: 'r', updatedAt: 'x' };
    await store().syncState.saveCheckpoint({ ...checkpoint, cursor: 'c-1' });
    await store().syncState.saveCheckpoint({ ...checkpoint, cursor: 'c-2' });
    expect(await store().syncState.checkpoint(integration, 'Account')).toMatchObject({
      id: 'checkpoint-Account',
      kind: 'checkpoint',
      cursor: 'c-2',
    });
    expect(await store().syncState.checkpoint(integration, 'Contact')).toBeUndefined();
    expect(await store().syncState.checkpoint(uniqueId('i'), 'Account')).toBeUndefined();
  });

  it('writes record states in bulk and reads those asked for by external id, within the integration', async () => {
    const integration = uniqueId('i');
    await store().syncState.saveRecords(Array.from({ length: 150 }, (_, i) => state(integration, `r${i}`)));
    await store().syncState.saveRecords([state(integration, 'r3', { contentHash: 'h2' })]);
    const found = await store().syncState.records(integration, 'Account', ['r3', 'r149', 'missing']);
    expect([...found.keys()].sort()).toEqual(['r149', 'r3']);
    expect(found.get('r3')).toMatchObject({ externalId: 'r3', contentHash: 'h2', shardId: 'sh-r3' });
    expect((await store().syncState.records(uniqueId('i'), 'Account', ['r3'])).size).toBe(0);
    expect((await store().syncState.records(integration, 'Contact', ['r3'])).size).toBe(0);
  });

  it('finds live records a run did not see, bounded, and counts the live ones', async () => {
    const integration = uniqueId('i');
    await store().syncState.saveRecords([
      ...Array.from({ length: 5 }, (_, i) => state(integration, `old-${i}`, { lastSeenRunId: 'run-old' })),
      ...Array.from({ length: 3 }, (_, i) => state(integration, `seen-${i}`, { lastSeenRunId: 'run-new' })),
      state(integration, 'gone', { lastSeenRunId: 'run-old', deleted: true }),
      state(integration, 'contact', { entity: 'Contact', id: recordStateId('Contact', 'contact') }),
    ]);
    const all = await store().syncState.unseenSince(integration, 'Account', 'run-new', 100);
    expect(all.live).toBe(8);
    expect(all.unseen.map((found) => found.externalId).sort()).toEqual(['old-0', 'old-1', 'old-2', 'old-3', 'old-4']);
    const bounded = await store().syncState.unseenSince(integration, 'Account', 'run-new', 2);
    expect(bounded.unseen).toHaveLength(2);
    expect(bounded.live).toBe(8);
  });

  it("keeps pending links in the tenant's partition: read by target, deleted once", async () => {
    const tenant = uniqueId('t');
    const link = (targetKey: string): PendingLinkDoc => ({
      id: pendingLinkId(targetKey),
      kind: 'pending-link',
      integrationId: pendingLinkPartition(tenant),
      tenantId: tenant,
      targetKey,
      waiting: [{ shardId: 'sh-1', name: 'parent' }],
      updatedAt: 'x',
    });
    await store().syncState.savePendingLinks([link('github/issues/1'), link('github/issues/2')]);
    const found = await store().syncState.pendingLinksTo(tenant, ['github/issues/1', 'github/issues/9']);
    expect(found.map((doc) => doc.targetKey)).toEqual(['github/issues/1']);
    expect(await store().syncState.pendingLinksTo(uniqueId('t'), ['github/issues/1'])).toEqual([]);
    await store().syncState.deletePendingLinks(tenant, [pendingLinkId('github/issues/1')]);
    // Deleting one that is gone already is no error.
    await store().syncState.deletePendingLinks(tenant, [pendingLinkId('github/issues/1')]);
    expect(await store().syncState.pendingLinksTo(tenant, ['github/issues/1', 'github/issues/2'])).toHaveLength(1);
  });

  it('writes a ledger entry only from the version it read: a second create or a stale ETag fails', async () => {
    const integration = uniqueId('i');
    const created = await store().syncState.saveOutboundLedger(ledger(integration, 'sh-1'), undefined);
    expect(typeof created._etag).toBe('string');
    expect(await rejectionCode(store().syncState.saveOutboundLedger(ledger(integration, 'sh-1'), undefined))).toBe(
      'conflict',
    );
    const pushed = await store().syncState.saveOutboundLedger({ ...created, status: 'pushed' }, created._etag);
    expect(pushed).toMatchObject({ status: 'pushed' });
    expect(
      await rejectionCode(store().syncState.saveOutboundLedger({ ...created, status: 'failed' }, created._etag)),
    ).toBe('precondition_failed');
    expect(await store().syncState.outboundLedger(integration, 'sh-1')).toMatchObject({
      status: 'pushed',
      _etag: pushed._etag,
    });
    await store().syncState.saveOutboundLedger(ledger(integration, 'sh-2'), undefined);
    const many = await store().syncState.outboundLedgers(integration, ['sh-1', 'sh-2', 'sh-3']);
    expect([...many.keys()].sort()).toEqual(['sh-1', 'sh-2']);
    expect(many.get('sh-1')?._etag).toBe(pushed._etag);
    expect(await store().syncState.outboundLedger(uniqueId('i'), 'sh-1')).toBeUndefined();
  });

  it('keeps the last health state per integration, written only from the version it read', async () => {
    const integrationId = uniqueId('i');
    const doc = {
      id: 'health' as const,
      kind: 'health' as const,
      integrationId,
      tenantId: 't',
      status: 'ok',
      since: '2026-03-01T00:00:00.000Z',
      updatedAt: '2026-03-01T00:00:00.000Z',
    };
    expect(await store().syncState.healthState(integrationId)).toBeUndefined();
    const first = await store().syncState.saveHealthState(doc, undefined);
    expect(await rejectionCode(store().syncState.saveHealthState(doc, undefined))).toBe('conflict');
    const second = await store().syncState.saveHealthState({ ...doc, status: 'failing' }, first._etag);
    expect(await rejectionCode(store().syncState.saveHealthState({ ...doc, status: 'stale' }, first._etag))).toBe(
      'precondition_failed',
    );
    expect(await store().syncState.healthState(integrationId)).toMatchObject({
      status: 'failing',
      _etag: second._etag,
    });
    expect(await store().syncState.healthState(uniqueId('i'))).toBeUndefined();
  });

  it('keeps the outbound scan checkpoint per integration', async () => {
    const integration = uniqueId('i');
    expect(await store().syncState.outboundCheckpoint(integration)).toBeUndefined();
    await store().syncState.saveOutboundCheckpoint({
      integrationId: integration,
      tenantId: 't',
      sinceTs: 5,
      updatedAt: 'x',
    });
    await store().syncState.saveOutboundCheckpoint({
      integrationId: integration,
      tenantId: 't',
      sinceTs: 9,
      catchUp: true,
      updatedAt: 'y',
    });
    expect(await store().syncState.outboundCheckpoint(integration)).toMatchObject({
      id: 'outbound-checkpoint',
      sinceTs: 9,
      catchUp: true,
    });
  });

  it('forgets one entity’s checkpoint and leaves the others', async () => {
    const integration = uniqueId('i');
    const checkpoint = { integrationId: integration, tenantId: 't', lastRunId: 'r', updatedAt: 'x', cursor: 'c' };
    await store().syncState.saveCheckpoint({ ...checkpoint, entity: 'Account' });
    await store().syncState.saveCheckpoint({ ...checkpoint, entity: 'Contact' });
    expect(await store().syncState.deleteCheckpoint(integration, 'Account')).toBe(true);
    expect(await store().syncState.deleteCheckpoint(integration, 'Account')).toBe(false);
    expect(await store().syncState.checkpoint(integration, 'Account')).toBeUndefined();
    expect(await store().syncState.checkpoint(integration, 'Contact')).toMatchObject({ cursor: 'c' });
  });

  it('deletes an integration’s whole state, naming the shards its records made, and no other integration’s', async () => {
    const integration = uniqueId('i');
    const other = uniqueId('i');
    await store().syncState.saveCheckpoint({
      integrationId: integration,
      tenantId: 't',
      entity: 'Account',
      lastRunId: 'r',
      updatedAt: 'x',
    });
    await store().syncState.saveRecords([
      state(integration, 'a-1'),
      state(integration, 'a-2', { derivedShardIds: ['sh-derived'] }),
      state(other, 'a-1'),
    ]);
    await store().syncState.saveOutboundLedger(ledger(integration, 'sh-9'), undefined);
    await store().syncState.saveOutboundCheckpoint({
      integrationId: integration,
      tenantId: 't',
      sinceTs: 1,
      updatedAt: 'x',
    });

    const removed = await store().syncState.deleteIntegration(integration);
    expect(removed.deleted).toBe(5);
    expect(removed.shardIds.sort()).toEqual(['sh-a-1', 'sh-a-2', 'sh-derived']);
    expect(await store().syncState.checkpoint(integration, 'Account')).toBeUndefined();
    expect((await store().syncState.records(integration, 'Account', ['a-1', 'a-2'])).size).toBe(0);
    expect(await store().syncState.outboundLedger(integration, 'sh-9')).toBeUndefined();
    expect(await store().syncState.outboundCheckpoint(integration)).toBeUndefined();
    expect((await store().syncState.records(other, 'Account', ['a-1'])).size).toBe(1);
    expect(await store().syncState.deleteIntegration(integration)).toEqual({ deleted: 0, shardIds: [] });
  });
});
