/** The delete sweep's candidate query against the real local Cosmos: every page of candidates, bounded. */
import { randomBytes } from 'node:crypto';
import { openCosmosDatabase, type CosmosDatabase } from './cosmos-client';
import { recordStateId, type RecordState } from '../../../core/record-state';
import { CosmosSyncStateRepository } from './sync-state-repository';

let store: CosmosDatabase;
let repo: CosmosSyncStateRepository;
beforeAll(async () => {
  store = await openCosmosDatabase({
    endpoint: process.env.COSMOS_ENDPOINT!,
    key: process.env.COSMOS_KEY!,
    database: `sweep-${randomBytes(6).toString('hex')}`,
    allowSelfSignedLocal: true,
  });
  repo = new CosmosSyncStateRepository(store.containers.syncState);
});
afterAll(() => store.dispose());

const state = (integrationId: string, i: number, lastSeenRunId: string, deleted = false): RecordState => ({
  id: recordStateId('Account', `r${i}`),
  kind: 'record',
  integrationId,
  tenantId: 't',
  entity: 'Account',
  externalId: `r${i}`,
  shardId: `sh-${i}`,
  base: { Name: `n${i}` },
  contentHash: 'h',
  lastSeenRunId,
  deleted,
  updatedAt: '2026-03-01T00:00:00.000Z',
});

describe('unseenSince', () => {
  it('pages through more candidates than one query page holds, and counts only live records', async () => {
    // 2,500 unseen (more than one page of 1,000), 500 seen by the run, 100 already deleted.
    const states = [
      ...Array.from({ length: 2500 }, (_, i) => state('int-sweep', i, 'run-old')),
      ...Array.from({ length: 500 }, (_, i) => state('int-sweep', 2500 + i, 'run-new')),
      ...Array.from({ length: 100 }, (_, i) => state('int-sweep', 3000 + i, 'run-old', true)),
      ...Array.from({ length: 50 }, (_, i) => state('int-other', i, 'run-old')),
    ];
    await repo.saveRecords(states);
    const { unseen, live } = await repo.unseenSince('int-sweep', 'Account', 'run-new', 10_000);
    expect(live).toBe(3000);
    expect(unseen).toHaveLength(2500);
    expect(new Set(unseen.map((s) => s.externalId)).size).toBe(2500);
    expect(unseen.every((s) => s.integrationId === 'int-sweep' && s.lastSeenRunId === 'run-old' && !s.deleted)).toBe(
      true,
    );
  });

  it('stops at the limit', async () => {
    const { unseen, live } = await repo.unseenSince('int-sweep', 'Account', 'run-new', 1200);
    expect(unseen).toHaveLength(1200);
    expect(live).toBe(3000);
  });
});
