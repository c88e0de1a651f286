/** Round per-unit figures for the model's tests, so that every expected value can be worked out by hand. */
import type { ContainerUnits, Measured, UnitCosts } from './measured';
import type { ModelledWrites } from './modelled-writes';
import { parsePrices, PRICE_NAMES, type PriceName } from './prices';

const container = (figures: Partial<ContainerUnits>): ContainerUnits => ({
  writes: 0,
  creates: 0,
  avgWriteBytes: 0,
  avgIndexedTerms: 0,
  writeRu: 0,
  pointReads: 0,
  readRu: 0,
  queries: 0,
  queryRu: 0,
  ttlCreates: 0,
  ttlByteSeconds: 0,
  ...figures,
});

const unit = (figures: Partial<UnitCosts>): UnitCosts => ({
  units: 1000,
  hostCpuUs: 0,
  cosmos: {},
  cosmosRequests: 0,
  queue: { messagesSent: 0, sendCalls: 0, avgMessageBytes: 0, messagesHandled: 0 },
  blob: { uploads: 0, bytes: 0 },
  redis: { commands: 0, byCommand: {} },
  providerCalls: 0,
  ...figures,
});

const provenance = {
  measuredAt: '2026-12-07T00:00:00.000Z',
  command: 'fixture',
  commit: '0000000',
  environment: { node: 'v20', cpus: 2, cpuModel: 'fixture', loadAverage: '0 0 0' },
};

export const MEASURED: Required<Measured> = {
  webhooks: {
    ...provenance,
    acceptedPerS: 1000,
    ceilingCpuUsPerRequest: 20,
    recordIdsPerDelivery: 1,
    intake: unit({
      hostCpuUs: 400,
      cosmos: {
        // A 1 KB receipt with 20 terms: 4.95 + 0.2 × 20 = 8.95 RU.
        'webhook-deliveries': container({
          writes: 1,
          creates: 1,
          avgWriteBytes: 1024,
          avgIndexedTerms: 20,
          writeRu: 8.95,
        }),
        // Half a run document per delivery, 2 KB with 30 terms: 0.5 × (6.29 + 6) = 6.145 RU.
        'sync-runs': container({ writes: 0.5, creates: 0.5, avgWriteBytes: 2048, avgIndexedTerms: 30, writeRu: 6.145 }),
      },
      queue: { messagesSent: 0.5, sendCalls: 0.1, avgMessageBytes: 1000, messagesHandled: 0 },
      blob: { uploads: 0.2, bytes: 2000 },
      redis: { commands: 3, byCommand: {} },
    }),
    targetedSync: {
      ...unit({
        hostCpuUs: 600,
        cosmos: {
          shards: container({ writes: 1, writeRu: 10 }),
          'sync-runs': container({ writes: 1, writeRu: 10 }),
          'sync-state': container({ writes: 1, writeRu: 10 }),
        },
        queue: { messagesSent: 0, sendCalls: 0, avgMessageBytes: 0, messagesHandled: 0.5 },
        redis: { commands: 2, byCommand: {} },
      }),
      runs: 100,
      idsPerRun: 2,
      runMsP50: 50,
    },
  },
  sync: {
    ...provenance,
    recordsPerS: 5000,
    pageSize: 1000,
    pageMsP50: 800,
    perRecord: unit({
      hostCpuUs: 100,
      cosmos: {
        shards: container({ writes: 1, creates: 1, avgWriteBytes: 2048, writeRu: 12 }),
        'sync-state': container({ writes: 1, creates: 1, avgWriteBytes: 1024, writeRu: 8 }),
      },
      queue: { messagesSent: 0.001, sendCalls: 0.001, avgMessageBytes: 500, messagesHandled: 0.001 },
      redis: { commands: 0.01, byCommand: {} },
    }),
  },
};

const VALUES: Record<PriceName, number> = {
  'functions.flexOnDemandPerGbSecond': 0.000026,
  'functions.flexOnDemandPerMillionExecutions': 0.4,
  'functions.flexFreeGbSecondsPerMonth': 100_000,
  'functions.flexFreeExecutionsPerMonth': 250_000,
  'cosmos.serverlessPerMillionRu': 0.25,
  'cosmos.autoscalePer100RuPerHour': 0.012,
  'cosmos.storagePerGbMonth': 0.25,
  'serviceBus.standardBasePerHour': 0.0135,
  'serviceBus.standardIncludedOperationsPerMonth': 13_000_000,
  'serviceBus.standardPerMillionOperations': 0.8,
  'serviceBus.premiumPerMessagingUnitHour': 0.928,
  'storage.blobHotLrsPerGbMonth': 0.0184,
  'storage.blobHotWritesPer10k': 0.065,
  'redis.managedBalancedB0PerHour': 0.02,
  'redis.managedBalancedB5PerHour': 0.193,
};

export const PRICES = parsePrices({
  asOf: '2026-12-07',
  region: 'test',
  currency: 'USD',
  hoursPerMonth: 730,
  note: 'fixture',
  items: Object.fromEntries(
    PRICE_NAMES.map((name) => [
      name,
      { value: VALUES[name], unit: 'x', source: 'https://example.test/', seenAt: null },
    ]),
  ),
});

/** Modelled writes: a 1 KB history entry and a 512-byte summary, 10 terms each (4.95 + 2 RU), kept 7 and 90 days. */
export const MODELLED: ModelledWrites = {
  historyPerChangedRecord: container({
    writes: 1,
    creates: 1,
    avgWriteBytes: 1024,
    avgIndexedTerms: 10,
    writeRu: 6.95,
    ttlCreates: 1,
    ttlByteSeconds: 1024 * 7 * 86_400,
  }),
  webhookSummary: container({
    writes: 1,
    creates: 1,
    avgWriteBytes: 512,
    avgIndexedTerms: 10,
    writeRu: 6.95,
    ttlCreates: 1,
    ttlByteSeconds: 512 * 90 * 86_400,
  }),
  summaryWindowS: 30,
  verdictsPerWindow: 1,
};

export const PARTITION_KEY_OF = {
  shards: 'tenantId',
  'sync-state': 'integrationId',
  'sync-runs': 'integrationId',
  'webhook-deliveries': 'integrationId',
  activity: 'tenantId',
  'shard-history': 'tenantId',
};
