/**
 * A month of a footprint at the prices of prices.json. Sustained load is assumed: every instance executes all
 * month (Flex Consumption bills on-demand memory while executing, minus the monthly free grant), Cosmos DB is
 * priced as autoscale with its maximum at the RU/s needed (serverless, billed per request unit, is shown beside it),
 * Service Bus as the deployment's tier (Standard while its credit limit holds, Premium messaging units past it), the
 * archive as hot LRS blobs kept for the retention days, Redis as the deployment's SKU.
 */
import type { Footprint } from './footprint';
import { SERVICE_BUS_PREMIUM_BYTES_PER_S_PER_MU, SERVICE_BUS_STANDARD_CREDITS_PER_S } from './platform-limits';
import type { PriceName, Prices } from './prices';

const REDIS_PRICES: Readonly<Record<string, PriceName>> = {
  Balanced_B0: 'redis.managedBalancedB0PerHour',
  Balanced_B5: 'redis.managedBalancedB5PerHour',
};

export interface CostLine {
  service: string;
  what: string;
  monthly: number;
}

export interface MonthlyCost {
  lines: CostLine[];
  total: number;
  /** For comparison, not in the total: Cosmos DB serverless at the same request units. */
  cosmosServerless: number;
}

export function monthlyCost(
  footprint: Footprint,
  prices: Prices,
  options: { instanceMemoryMB: number; redisSku: string; serviceBusSku: 'Standard' | 'Premium' },
): MonthlyCost {
  const p = prices.price;
  const hours = prices.hoursPerMonth;
  const seconds = hours * 3600;
  const lines: CostLine[] = [];

  const gbSeconds = footprint.compute.gbSecondsPerMonth;
  const executions = footprint.compute.executionsPerS * seconds;
  lines.push({
    service: 'Functions (Flex Consumption)',
    what: `${footprint.compute.instances} × ${options.instanceMemoryMB} MB instances all month: ${fmt(gbSeconds)} GB-s, ${fmt(executions)} executions`,
    monthly:
      Math.max(0, gbSeconds - p('functions.flexFreeGbSecondsPerMonth')) * p('functions.flexOnDemandPerGbSecond') +
      (Math.max(0, executions - p('functions.flexFreeExecutionsPerMonth')) / 1e6) *
        p('functions.flexOnDemandPerMillionExecutions'),
  });

  // Autoscale bills the highest RU/s of each hour, at least 10% of the maximum; the maximum is set at the need.
  const autoscaleRu = Math.max(100, Math.ceil(footprint.cosmos.ruPerS / 100) * 100);
  const cosmosStorage = footprint.cosmos.storedGb * p('cosmos.storagePerGbMonth');
  lines.push({
    service: 'Cosmos DB',
    what: `autoscale at ${fmt(autoscaleRu)} RU/s, ${fmt(footprint.cosmos.storedGb, 1)} GB stored`,
    monthly: (autoscaleRu / 100) * p('cosmos.autoscalePer100RuPerHour') * hours + cosmosStorage,
  });

  const operations = footprint.serviceBus.operationsPerS * seconds;
  if (options.serviceBusSku === 'Standard' && footprint.serviceBus.creditsPerS <= SERVICE_BUS_STANDARD_CREDITS_PER_S) {
    lines.push({
      service: 'Service Bus (Standard)',
      what: `${fmt(operations)} operations`,
      monthly:
        p('serviceBus.standardBasePerHour') * hours +
        (Math.max(0, operations - p('serviceBus.standardIncludedOperationsPerMonth')) / 1e6) *
          p('serviceBus.standardPerMillionOperations'),
    });
  } else {
    const units = premiumMessagingUnits(footprint.serviceBus.bytesPerS);
    lines.push({
      service:
        options.serviceBusSku === 'Premium'
          ? 'Service Bus (Premium)'
          : 'Service Bus (Premium: Standard’s credit limit is exceeded)',
      what: `${units} messaging unit${units === 1 ? '' : 's'}`,
      monthly: units * p('serviceBus.premiumPerMessagingUnitHour') * hours,
    });
  }

  const writes = footprint.blob.uploadsPerS * seconds;
  lines.push({
    service: 'Storage (archive blobs, hot LRS)',
    what: `${fmt(footprint.blob.storedGb, 1)} GB kept, ${fmt(writes)} uploads`,
    monthly:
      footprint.blob.storedGb * p('storage.blobHotLrsPerGbMonth') +
      (writes / 10_000) * p('storage.blobHotWritesPer10k'),
  });

  const redisPrice = REDIS_PRICES[options.redisSku];
  if (!redisPrice)
    throw new Error(`prices: no price for the Redis SKU ${options.redisSku} (tools/capacity/prices.json)`);
  lines.push({
    service: `Redis (Azure Managed Redis ${options.redisSku})`,
    what: `${fmt(footprint.redis.commandsPerS)} commands/s`,
    monthly: p(redisPrice) * hours,
  });

  return {
    lines,
    total: lines.reduce((sum, line) => sum + line.monthly, 0),
    cosmosServerless: ((footprint.cosmos.ruPerS * seconds) / 1e6) * p('cosmos.serverlessPerMillionRu') + cosmosStorage,
  };
}

/** Premium messaging units for a message rate: ~4 MB/s of ingress (and as much egress) per unit, at least one. */
export function premiumMessagingUnits(bytesPerS: number): number {
  return Math.max(1, Math.ceil(bytesPerS / SERVICE_BUS_PREMIUM_BYTES_PER_S_PER_MU));
}

export function fmt(value: number, digits = 0): string {
  if (!Number.isFinite(value)) return '∞';
  return value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}
