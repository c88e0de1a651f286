/**
 * The Azure footprint of a load, from the measured per-unit figures: a webhook delivery costs its intake plus the
 * targeted sync of the records it names; a record read by a scheduled sync costs its share of the pages. Everything
 * scales linearly with the load (each figure is a per-unit average); load spreads evenly over tenants and their
 * integrations. Writes the benchmarks do not exercise (shard history, webhook summaries) come from
 * modelled-writes.ts; how long each container keeps its documents from retention.ts. The platform limits the load is
 * checked against are in limits.ts.
 */
import { replaceCharge } from './cosmos-charge';
import type { ContainerUnits, Measured, UnitCosts } from './measured';
import type { ModelledWrites } from './modelled-writes';
import { retentionOf } from './retention';

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
  modelled: ModelledWrites;
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
    /** Webhook summary entries written per second (modelled: one per instance, integration and verdict per window). */
    webhookSummariesPerS: number;
    /** What each container keeps (retention.ts): documents for their own ttl, receipts for the container's. */
    storedGbByContainer: Record<string, number>;
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
const SHARD_HISTORY = 'shard-history';
const ACTIVITY = 'activity';

/**
 * The benchmark's targeted runs fetch records that have not changed since they were last synced, which the page
 * writer does not write again; a webhook's record has changed. So a delivery's record is written as a synced record's
 * documents are (their size and terms from the sync benchmark), priced as an update with every term changed: an
 * upper bound (a replace costs twice the size charge, plus the terms it changes). A changed shard also gets a history
 * entry, which the benchmarks never write (modelled-writes.ts).
 */
function withChangedRecords(targeted: UnitCosts, perRecord: UnitCosts, history: ContainerUnits): UnitCosts {
  const cosmos = { ...targeted.cosmos };
  for (const container of RECORD_CONTAINERS) {
    const written = perRecord.cosmos[container];
    if (!written || written.writes === 0) continue;
    cosmos[container] = {
      ...written,
      creates: 0,
      writeRu: written.writes * replaceCharge(written.avgWriteBytes, written.avgIndexedTerms),
      // An update adds nothing to what the container keeps.
      ttlCreates: 0,
      ttlByteSeconds: 0,
    };
  }
  cosmos[SHARD_HISTORY] = history;
  return { ...targeted, cosmos };
}

/** Per-unit reader: a delivery is its intake plus the targeted sync of the record ids it names. */
function unitReaders(measured: Required<Measured>, modelled: ModelledWrites) {
  const { webhooks, sync } = measured;
  const targeted = withChangedRecords(webhooks.targetedSync, sync.perRecord, modelled.historyPerChangedRecord);
  const perDelivery = (pick: (unit: UnitCosts) => number) =>
    pick(webhooks.intake) + pick(targeted) * webhooks.recordIdsPerDelivery;
  const perRecord = (pick: (unit: UnitCosts) => number) => pick(sync.perRecord);
  return { perDelivery, perRecord };
}

export function footprint(
  load: Load,
  measured: Required<Measured>,
  options: FootprintOptions,
  retention: { receiptTtlSeconds: number; archiveDays: number },
): Footprint {
  const { perDelivery, perRecord } = unitReaders(measured, options.modelled);
  const d = load.deliveriesPerS;
  const r = load.recordsPerDay / DAY_S;
  const both = (pick: (unit: UnitCosts) => number) => d * perDelivery(pick) + r * perRecord(pick);
  const integrations = load.tenants * load.integrationsPerTenant;

  const cpuCores = both((u) => u.hostCpuUs) / 1e6;
  const instancesNeeded = cpuCores / (options.coresPerInstance * options.targetCpuUtilization);
  const instances = Math.ceil(instancesNeeded);
  const secondsPerMonth = options.hoursPerMonth * 3600;

  // Each instance's activity recorder summarises the verdicts it counted, per integration, once per window: at
  // most one summary per delivery, however few deliveries a window sees.
  const { webhookSummary, summaryWindowS, verdictsPerWindow } = options.modelled;
  const webhookSummariesPerS = d > 0 ? Math.min(d, (instances * integrations * verdictsPerWindow) / summaryWindowS) : 0;
  const summaries = (pick: (figures: ContainerUnits) => number) => webhookSummariesPerS * pick(webhookSummary);

  const containers = new Set([
    ...Object.keys(measured.webhooks.intake.cosmos),
    ...Object.keys(measured.webhooks.targetedSync.cosmos),
    ...Object.keys(measured.sync.perRecord.cosmos),
    SHARD_HISTORY,
    ACTIVITY,
  ]);
  const figure = (container: string, pick: (figures: ContainerUnits) => number) =>
    both((u) => (u.cosmos[container] ? pick(u.cosmos[container]) : 0)) + (container === ACTIVITY ? summaries(pick) : 0);
  const ruPerSByContainer: Record<string, number> = {};
  const perPartition: Record<string, { key: string; ruPerS: number }> = {};
  const storedGbByContainer: Record<string, number> = {};
  let hottest = { container: '', key: '', ruPerS: 0 };
  for (const container of containers) {
    const ru = figure(container, (c) => c.writeRu + c.readRu + c.queryRu);
    ruPerSByContainer[container] = ru;
    const key = options.partitionKeyOf[container];
    if (!key)
      throw new Error(
        `infra/modules/cosmos.bicep declares no partition key for the container "${container}" the product writes`,
      );
    perPartition[container] = { key, ruPerS: ru / (key === 'integrationId' ? integrations : load.tenants) };
    if (perPartition[container].ruPerS > hottest.ruPerS) hottest = { container, ...perPartition[container] };
    storedGbByContainer[container] = storedBytes(container) / GB;
  }

  /** Bytes a container holds at this load (see retention.ts). */
  function storedBytes(container: string): number {
    const ownTtl = figure(container, (c) => c.ttlByteSeconds);
    const createdBytes = (c: ContainerUnits) => (c.creates - c.ttlCreates) * c.avgWriteBytes;
    switch (retentionOf(container).keptFor) {
      case 'receipt-ttl':
        return ownTtl + figure(container, createdBytes) * retention.receiptTtlSeconds;
      case 'a-month':
        return ownTtl + figure(container, createdBytes) * secondsPerMonth;
      case 'records':
        // The records synced in a day are taken as the distinct records kept (a daily sync of each).
        return (
          ownTtl + load.recordsPerDay * perRecord((u) => (u.cosmos[container] ? createdBytes(u.cosmos[container]) : 0))
        );
      case 'own-ttl':
      case 'not-counted':
        return ownTtl;
    }
  }

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
      writesPerS: [...containers].reduce((sum, container) => sum + figure(container, (c) => c.writes), 0),
      webhookSummariesPerS,
      storedGbByContainer,
      storedGb: Object.values(storedGbByContainer).reduce((sum, gb) => sum + gb, 0),
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
