import { footprint, type Load } from './footprint';
import { checkLimits, limitSpecs } from './limits';
import { monthlyCost, premiumMessagingUnits } from './monthly-cost';
import { MEASURED, MODELLED, PARTITION_KEY_OF, PRICES } from './test-fixtures';

// 100 deliveries/s and 100 records/s (8,640,000 a day) over 2 tenants with one integration each.
const LOAD: Load = { deliveriesPerS: 100, recordsPerDay: 8_640_000, tenants: 2, integrationsPerTenant: 1 };
const OPTIONS = {
  instanceMemoryMB: 2048,
  coresPerInstance: 1,
  targetCpuUtilization: 0.7,
  partitionKeyOf: PARTITION_KEY_OF,
  hoursPerMonth: 730,
  modelled: MODELLED,
};
const RETENTION = { receiptTtlSeconds: 2_592_000, archiveDays: 30 };
const at = (load: Load) => footprint(load, MEASURED, OPTIONS, RETENTION);

describe('capacity model (figures worked out by hand from test-fixtures.ts)', () => {
  const f = at(LOAD);

  it('sizes compute from host CPU per delivery (intake + targeted sync) and per record', () => {
    // 100 × (400 + 600) µs + 100 × 100 µs = 110,000 µs per second = 0.11 cores.
    expect(f.compute.cpuCores).toBeCloseTo(0.11, 10);
    // 0.11 / (1 core × 0.7) = 0.157 → 1 instance; 1 × 2 GB × 730 h × 3600 s = 5,256,000 GB-s.
    expect(f.compute.instancesNeeded).toBeCloseTo(0.157142857, 6);
    expect(f.compute.instances).toBe(1);
    expect(f.compute.gbSecondsPerMonth).toBe(5_256_000);
    // 100 HTTP executions + 100 × 0.5 targeted-run messages + 100 × 0.001 page messages.
    expect(f.compute.executionsPerS).toBeCloseTo(150.1, 10);
  });

  it('adds request units per container and finds the hottest logical partition', () => {
    expect(f.cosmos.ruPerSByContainer).toEqual({
      'webhook-deliveries': expect.closeTo(895, 6), // 100 × 8.95
      'sync-runs': expect.closeTo(1614.5, 6), // 100 × (6.145 + 10)
      // A delivery's record is an update of a synced record's 2 KB shard (no terms in the fixture): 2 × 6.29 RU,
      // instead of the targeted run's 10; plus the records' 100 × 12.
      shards: expect.closeTo(2458, 6),
      // Its 1 KB sync state: 2 × 4.95 = 9.9 RU; plus 100 × 8.
      'sync-state': expect.closeTo(1790, 6),
      // The changed record's history entry, which no benchmark writes: 100 × 6.95 (modelled).
      'shard-history': expect.closeTo(695, 6),
      // One instance summarises 2 integrations' verdicts every 30 s: 2 / 30 summaries/s × 6.95 RU.
      activity: expect.closeTo((2 / 30) * 6.95, 6),
    });
    expect(f.cosmos.webhookSummariesPerS).toBeCloseTo(2 / 30, 10);
    expect(f.cosmos.ruPerS).toBeCloseTo(6757.5 + 695 + (2 / 30) * 6.95, 6);
    // shards is keyed by tenant: 2458 / 2 = 1229 RU/s, more than any integration-keyed container's share.
    expect(f.cosmos.hottestPartition).toEqual({ container: 'shards', key: 'tenantId', ruPerS: 1229 });
    // Receipts for 30 days (247.192 GB) + a month of runs (250.626 GB) + the records' documents (24.719 GB), and the
    // documents kept for their own ttl: history 100/s × 1 KB × 7 days (57.678 GB), summaries 2/30 per s × 512 B × 90
    // days (0.247 GB).
    expect(f.cosmos.storedGbByContainer).toEqual({
      'webhook-deliveries': expect.closeTo(247.192, 3),
      'sync-runs': expect.closeTo(250.626, 3),
      shards: expect.closeTo(16.479, 3),
      'sync-state': expect.closeTo(8.24, 3),
      'shard-history': expect.closeTo(57.678, 3),
      activity: expect.closeTo(0.247, 3),
    });
    expect(f.cosmos.storedGb).toBeCloseTo(580.463, 3);
  });

  it('counts queue, archive and Redis work', () => {
    expect(f.serviceBus.messagesPerS).toBeCloseTo(50.1, 10);
    expect(f.serviceBus.operationsPerS).toBeCloseTo(150.3, 10);
    expect(f.serviceBus.creditsPerS).toBeCloseTo(100.2, 10);
    expect(f.serviceBus.bytesPerS).toBeCloseTo(50_050, 6);
    // Per integration: (50 messages × 50 ms + 0.1 × 800 ms) / 2 = 1290 ms of handling per second.
    expect(f.serviceBus.sessionBusyMsPerS).toBeCloseTo(1290, 6);
    expect(f.blob.uploadsPerS).toBeCloseTo(20, 10);
    // 200,000 B/s for 30 days = 518,400,000,000 B = 482.798 GB.
    expect(f.blob.storedGb).toBeCloseTo(482.798, 3);
    expect(f.redis.commandsPerS).toBeCloseTo(501, 6);
  });

  it('finds the first limit and the delivery rate that reaches it', () => {
    const containers = Object.keys(f.cosmos.perPartition);
    const specs = limitSpecs({
      appMaxInstances: 40,
      instanceMemoryMB: 2048,
      partitionKeyOf: PARTITION_KEY_OF,
      containers,
      serviceBusSku: 'Standard',
    });
    const limits = checkLimits(LOAD, at, specs);
    const first = limits[0]!;
    expect(first.name).toMatch(/one session/);
    expect(first.used).toBeCloseTo(1.29, 6);
    // Busy ms per s = 12.5 × deliveries + 40 → 1000 at 76.8 deliveries/s.
    expect(first.reachedAtDeliveriesPerS).toBeCloseTo(76.8, 6);
    const partition = (container: string) => limits.find((limit) => limit.name.includes(`partition of ${container} `))!;
    expect(partition('shards').used).toBeCloseTo(0.1229, 10);
    // shards: 6.29 RU/s per delivery per tenant + 600 RU/s from the records → 10,000 at 1,494.4 deliveries/s.
    expect(partition('shards').reachedAtDeliveriesPerS).toBeCloseTo(9400 / 6.29, 6);
    // sync-runs: 16.145 / 2 = 8.0725 RU/s per delivery per integration, nothing from the records → 1,238.8/s:
    // the first partition to fill as deliveries grow, though shards is hotter at this load.
    expect(partition('sync-runs').reachedAtDeliveriesPerS).toBeCloseTo(10_000 / 8.0725, 6);
    // shard-history: 6.95 / 2 tenants = 3.475 RU/s per delivery per tenant.
    expect(partition('shard-history').reachedAtDeliveriesPerS).toBeCloseTo(10_000 / 3.475, 6);
  });

  it('prices a month at the given prices', () => {
    const cost = monthlyCost(f, PRICES, { instanceMemoryMB: 2048, redisSku: 'Balanced_B0', serviceBusSku: 'Standard' });
    const line = (service: RegExp) => cost.lines.find((l) => service.test(l.service))!.monthly;
    // (5,256,000 − 100,000) × 0.000026 + (394,462,800 − 250,000) / 1e6 × 0.40
    expect(line(/Functions/)).toBeCloseTo(134.056 + 157.68512, 4);
    // 7,500 RU/s autoscale (7,453 needed): 75 × 0.012 × 730, plus 580.463 GB × 0.25.
    expect(line(/Cosmos/)).toBeCloseTo(657 + 145.1155, 2);
    // Standard: 0.0135 × 730 + (394,988,400 − 13,000,000) / 1e6 × 0.80
    expect(line(/Service Bus/)).toBeCloseTo(9.855 + 305.59072, 4);
    // 482.798 GB × 0.0184 + 52,560,000 uploads / 10,000 × 0.065
    expect(line(/Storage/)).toBeCloseTo(8.8835 + 341.64, 3);
    expect(line(/Redis/)).toBeCloseTo(14.6, 10);
    expect(cost.total).toBeCloseTo(
      cost.lines.reduce((sum, l) => sum + l.monthly, 0),
      10,
    );
  });

  it('takes Premium messaging units past Standard’s credit limit', () => {
    expect(premiumMessagingUnits(0)).toBe(1);
    expect(premiumMessagingUnits(4 * 1024 * 1024)).toBe(1);
    expect(premiumMessagingUnits(4 * 1024 * 1024 + 1)).toBe(2);
    const busy = at({ ...LOAD, deliveriesPerS: 1100 });
    // 1100 × 0.5 × 2 + 0.2 credits/s > 1000.
    expect(busy.serviceBus.creditsPerS).toBeGreaterThan(1000);
    const cost = monthlyCost(busy, PRICES, {
      instanceMemoryMB: 2048,
      redisSku: 'Balanced_B0',
      serviceBusSku: 'Standard',
    });
    expect(cost.lines.find((l) => /Service Bus/.test(l.service))!.service).toMatch(/Premium/);
    // A Premium namespace (production) is priced by messaging units whatever the load: 1 × 0.928 × 730.
    const premium = monthlyCost(f, PRICES, {
      instanceMemoryMB: 2048,
      redisSku: 'Balanced_B5',
      serviceBusSku: 'Premium',
    });
    expect(premium.lines.find((l) => /Service Bus/.test(l.service))!.monthly).toBeCloseTo(677.44, 6);
    expect(premium.lines.find((l) => /Redis/.test(l.service))!.monthly).toBeCloseTo(0.193 * 730, 6);
  });
});

describe('what the model refuses to guess', () => {
  it('names a container the product writes that infra declares no partition key for', () => {
    const { activity, ...withoutActivity } = PARTITION_KEY_OF;
    void activity;
    expect(() => footprint(LOAD, MEASURED, { ...OPTIONS, partitionKeyOf: withoutActivity }, RETENTION)).toThrow(
      /no partition key for the container "activity"/,
    );
  });

  it('names a container it has no retention rule for', () => {
    const measured = structuredClone(MEASURED);
    measured.sync.perRecord.cosmos['audit-trail'] = { ...measured.sync.perRecord.cosmos.shards! };
    expect(() =>
      footprint(
        LOAD,
        measured,
        { ...OPTIONS, partitionKeyOf: { ...PARTITION_KEY_OF, 'audit-trail': 'tenantId' } },
        RETENTION,
      ),
    ).toThrow(/no retention rule for the Cosmos container "audit-trail"/);
  });

  it('counts what documents keep for their own ttl, wherever they are written', () => {
    const measured = structuredClone(MEASURED);
    // Run logs measured by the benchmark: 0.1 per delivery, 2 KB each, kept 7 days.
    measured.webhooks.targetedSync.cosmos.activity = {
      ...measured.webhooks.targetedSync.cosmos.shards!,
      writes: 0.1,
      creates: 0.1,
      avgWriteBytes: 2048,
      writeRu: 0.629,
      ttlCreates: 0.1,
      ttlByteSeconds: 0.1 * 2048 * 604_800,
    };
    const g = footprint(LOAD, measured, OPTIONS, RETENTION);
    // 100/s × 0.1 × 2 KB × 7 days = 11.536 GB, beside the summaries' 0.247 GB.
    expect(g.cosmos.storedGbByContainer.activity).toBeCloseTo(11.536 + 0.247, 3);
    expect(g.cosmos.ruPerSByContainer.activity).toBeCloseTo(62.9 + (2 / 30) * 6.95, 6);
  });
});
