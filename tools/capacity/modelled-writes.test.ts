import { ActivityRecorder } from '../../shared/activity/recorder';
import { createMemoryLogger } from '../../shared/platform/observability/logger';
import type { ActivityDoc } from '../../shared/stores/documents/activity-repository';
import { createCharge } from './cosmos-charge';
import { indexedTermCount } from './indexed-terms';
import { retentionDays, shardHistoryEntryUnits, webhookSummaryUnits } from './modelled-writes';

const DAY_S = 86_400;

describe('writes the benchmarks do not exercise, modelled', () => {
  it('prices a shard history entry as a create of its size and terms, kept for SHARD_HISTORY_RETENTION_DAYS', () => {
    expect(retentionDays('SHARD_HISTORY_RETENTION_DAYS')).toBe(7);
    const entry = shardHistoryEntryUnits();
    expect(entry.avgWriteBytes).toBeGreaterThan(300);
    // id, tenantId, shardId, at, source, runId, integrationId, ttl and one term per changed field (5).
    expect(entry.avgIndexedTerms).toBe(13);
    expect(entry.writeRu).toBeCloseTo(createCharge(entry.avgWriteBytes, 13), 10);
    expect(entry.ttlByteSeconds).toBe(entry.avgWriteBytes * 7 * DAY_S);
    const month = shardHistoryEntryUnits(30);
    expect(month.ttlByteSeconds).toBe(month.avgWriteBytes * 30 * DAY_S);
  });

  it('models a webhook summary as the activity recorder writes it', async () => {
    const written: ActivityDoc[] = [];
    const recorder = new ActivityRecorder({
      repository: {
        appendMany: async (docs) => void written.push(...docs),
        list: async () => ({ items: [] }),
        appendRunLog: async () => undefined,
        runLog: async () => [],
      },
      integrations: { get: async () => ({ name: 'GitHub issues (production)' }) as never },
      retentionDays: retentionDays('ACTIVITY_RETENTION_DAYS'),
      logger: createMemoryLogger().logger,
      now: () => new Date('2026-12-08T00:00:00.000Z'),
    });
    for (let i = 0; i < 1250; i++)
      recorder.webhookVerdict({
        tenantId: '7d0c5a3e-1f2b-4c8d-9e6f-0a1b2c3d4e5f',
        integrationId: '3f9e8d7c-6b5a-4938-8271-605f4e3d2c1b',
        verdict: 'accepted',
        deliveryId: '72a4b6c8-d0e2-11ef-8a1b-2c3d4e5f6a7b',
        receivedAt: '2026-12-08T00:00:00.000Z',
      });
    await recorder.close();
    expect(written).toHaveLength(1);
    const real = written[0]!;
    const modelled = webhookSummaryUnits();
    expect(modelled.avgWriteBytes).toBe(Buffer.byteLength(JSON.stringify(real)));
    expect(modelled.avgIndexedTerms).toBe(indexedTermCount(real));
    expect(modelled.ttlByteSeconds).toBe(modelled.avgWriteBytes * real.ttl);
    expect(real.ttl).toBe(90 * DAY_S);
  });
});
