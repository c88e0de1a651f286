/**
 * The Azure footprint of a load, from the measured per-unit figures: a webhook delivery costs its intake plus the
 * targeted sync of the records it names; a record read by a scheduled sync costs its share of the pages. Everything
 * scales linearly with the load (each figure is a per-unit average); load spreads evenly over tenants and their
 * integrations. The platform limits the load is checked against are in limits.ts.
 */
import { replaceCharge } from './cosmos-charge';
import type { Measured, UnitCosts } from './measured';

export interface Load {
  deliveriesPerS: number;
  recordsPerDay: number;
  tenants: number;
  integrationsPerTenant: number;
}

export interface FootprintOptions {
  instanceMemoryMB: number;
  coresPerInstance: number;
  /** Share of an instance's cores the host may use before another instance is needed. */
  targetCpuUtilization: number;
  partitionKeyOf: Record<string, string>;
  hoursPerMonth: number;
}

export interface Footprint {
  recordsPerS: number;
  integrations: number;
  compute: {
    cpuCores: number;
    /** Instances the CPU needs, unrounded (the limits solve on this). */
    instancesNeeded: number;
    instances: number;
    gbSecondsPerMonth: number;
    executionsPerS: number;
  };
  cosmos: {
    ruPerS: number;
    ruPerSByContainer: Record<string, number>;
    /** Each container's load on one of its logical partitions (even spread over tenants or integrations). */
    perPartition: Record<string, { key: string; ruPerS: number }>;
    hottestPartition: { container: string; key: string; ruPerS: number };
    writesPerS: number;
    /** Receipts kept for their TTL, plus one month of run documents and the documents of the records synced. */
    storedGb: number;
  };
  serviceBus: {
    messagesPerS: number;
    /** Send, receive and complete: the operations Standard bills. */
    operationsPerS: number;
    /** Send and receive, 1 credit per message each: what Standard's credit limit counts. */
    creditsPerS: number;
    bytesPerS: number;
    /** Milliseconds of handling per second that one integration's session needs (1000 is the most it has). */
    sessionBusyMsPerS: number;
  };
  blob: { uploadsPerS: number; bytesPerS: number; storedGb: number };
  redis: { commandsPerS: number };
}

const GB = 1024 ** 3;
const DAY_S = 86_400;

/** The containers holding a record's own documents (its shard and its sync state). */
const RECORD_CONTAINERS = ['shards', 'sync-state'];

/**
 * The benchmark's targeted runs fetch records that have not changed since they were last synced, which the page
 * writer does not write again; a webhook's record has changed. So a delivery's record is written as a synced record's
 * documents are (their size and terms from the sync benchmark), priced as an update with every term changed: an
 * upper bound (a replace costs twice the size charge, plus the terms it changes).
 */
function withChangedRecords(targeted: UnitCosts, perRecord: UnitCosts): UnitCosts {
  const cosmos = { ...targeted.cosmos };
  for (const container of RECORD_CONTAINERS) {
    const written = perRecord.cosmos[container];
    if (!written || written.writes === 0) continue;
    cosmos[container] = {
      ...written,
      creates: 0,
      writeRu: written.writes * replaceCharge(written.avgWriteBytes, written.avgIndexedTerms),
    };
  }
  return { ...targeted, cosmos };
}

/** Per-unit reader: a delivery is its intake plus the targeted sync of the record ids it names. */
function unitReaders(measured: Required<Measured>) {
  const { webhooks, sync } = measured;
  const targeted = withChangedRecords(webhooks.targetedSync, sync.perRecord);
  const perDelivery = (pick: (unit: UnitCosts) => number) =>
    pick(webhooks.intake) + pick(targeted) * webhooks.recordIdsPerDelivery;
  const perRecord = (pick: (unit: UnitCosts) => number) => pick(sync.perRecord);
  return { perDelivery, perRecord };
}

function containerRu(unit: UnitCosts, container: string): number {
  const figures = unit.cosmos[container];
  return figures ? figures.writeRu + figures.readRu + figures.queryRu : 0;
}

export function footprint(
  load: Load,
  measured: Required<Measured>,
  options: FootprintOptions,
  retention: { receiptTtlSeconds: number; archiveDays: number },
): Footprint {
  const { perDelivery, perRecord } = unitReaders(measured);
  const d = load.deliveriesPerS;
  const r = load.recordsPerDay / DAY_S;
  const both = (pick: (unit: UnitCosts) => number) => d * perDelivery(pick) + r * perRecord(pick);
  const integrations = load.tenants * load.integrationsPerTenant;

  const cpuCores = both((u) => u.hostCpuUs) / 1e6;
  const instancesNeeded = cpuCores / (options.coresPerInstance * options.targetCpuUtilization);
  const instances = Math.ceil(instancesNeeded);
  const secondsPerMonth = options.hoursPerMonth * 3600;

  const containers = new Set([
    ...Object.keys(measured.webhooks.intake.cosmos),
    ...Object.keys(measured.webhooks.targetedSync.cosmos),
    ...Object.keys(measured.sync.perRecord.cosmos),
  ]);
  const ruPerSByContainer: Record<string, number> = {};
  const perPartition: Record<string, { key: string; ruPerS: number }> = {};
  let hottest = { container: '', key: '', ruPerS: 0 };
  for (const container of containers) {
    const ru = both((u) => containerRu(u, container));
    ruPerSByContainer[container] = ru;
    const key = options.partitionKeyOf[container] ?? 'tenantId';
    perPartition[container] = { key, ruPerS: ru / (key === 'integrationId' ? integrations : load.tenants) };
    if (perPartition[container].ruPerS > hottest.ruPerS) hottest = { container, ...perPartition[container] };
  }
  const created = (container: string) => (u: UnitCosts) =>
    (u.cosmos[container]?.creates ?? 0) * (u.cosmos[container]?.avgWriteBytes ?? 0);
  const receiptsGb = (d * perDelivery(created('webhook-deliveries')) * retention.receiptTtlSeconds) / GB;
  const runsGb = (d * perDelivery(created('sync-runs')) * secondsPerMonth) / GB;
  // The records synced in a day are taken as the distinct records kept (a daily sync of each).
  const recordsGb = (load.recordsPerDay * (perRecord(created('shards')) + perRecord(created('sync-state')))) / GB;

  const messagesPerS = both((u) => u.queue.messagesSent);
  // A session's work on sync-inbound: the first pages of the targeted runs the intake sends, and the sync pages.
  const deliveryMessages = d * measured.webhooks.intake.queue.messagesSent;
  const recordMessages = r * perRecord((u) => u.queue.messagesSent);
  const sessionBusyMsPerS =
    (deliveryMessages * measured.webhooks.targetedSync.runMsP50 + recordMessages * measured.sync.pageMsP50) /
    integrations;

  const uploadsPerS = both((u) => u.blob.uploads);
  const blobBytesPerS = both((u) => u.blob.bytes);

  return {
    recordsPerS: r,
    integrations,
    compute: {
      cpuCores,
      instancesNeeded,
      instances,
      gbSecondsPerMonth: instances * (options.instanceMemoryMB / 1024) * secondsPerMonth,
      executionsPerS: d + both((u) => u.queue.messagesHandled),
    },
    cosmos: {
      ruPerS: Object.values(ruPerSByContainer).reduce((sum, ru) => sum + ru, 0),
      ruPerSByContainer,
      perPartition,
      hottestPartition: hottest,
      writesPerS: both((u) => Object.values(u.cosmos).reduce((sum, c) => sum + c.writes, 0)),
      storedGb: receiptsGb + runsGb + recordsGb,
    },
    serviceBus: {
      messagesPerS,
      operationsPerS: 3 * messagesPerS,
      creditsPerS: 2 * messagesPerS,
      bytesPerS: both((u) => u.queue.messagesSent * u.queue.avgMessageBytes),
      sessionBusyMsPerS,
    },
    blob: {
      uploadsPerS,
      bytesPerS: blobBytesPerS,
      storedGb: (blobBytesPerS * retention.archiveDays * DAY_S) / GB,
    },
    redis: { commandsPerS: both((u) => u.redis.commands) },
  };
}
