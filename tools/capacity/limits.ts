/**
 * The limits a footprint runs into, each as demand against capacity with its source, and the delivery rate at which
 * it is reached with the records per day held fixed (each demand is linear in the deliveries: measured at the load
 * and at zero deliveries). The first limit is the one with the highest share used.
 */
import type { Footprint, Load } from './footprint';
import {
  COSMOS_LIMITS_PAGE,
  COSMOS_MAX_RU_PER_LOGICAL_PARTITION,
  FLEX_MAX_INSTANCES,
  FLEX_PAGE,
  FLEX_REGIONAL_MEMORY_QUOTA_MB,
  REDIS_COMMANDS_PER_S_ASSUMED,
  SERVICE_BUS_PERFORMANCE_PAGE,
  SERVICE_BUS_PREMIUM_BYTES_PER_S_PER_MU,
  SERVICE_BUS_SESSIONS_PAGE,
  SERVICE_BUS_STANDARD_CREDITS_PER_S,
  SERVICE_BUS_THROTTLING_PAGE,
} from './platform-limits';

export interface LimitCheck {
  name: string;
  demand: number;
  capacity: number;
  unit: string;
  /** demand / capacity */
  used: number;
  /** Deliveries/s at which the demand meets the capacity (records per day unchanged); Infinity when it never does. */
  reachedAtDeliveriesPerS: number;
  source: string;
}

interface LimitSpec {
  name: string;
  unit: string;
  capacity: number;
  source: string;
  demand(footprint: Footprint): number;
}

/** One check per container: each container's partitions fill at their own rate. */
function partitionSpecs(partitionKeyOf: Record<string, string>, containers: string[]): LimitSpec[] {
  return containers.map((container) => ({
    name: `Cosmos DB: one logical partition of ${container} (/${partitionKeyOf[container] ?? 'tenantId'})`,
    unit: 'RU/s',
    capacity: COSMOS_MAX_RU_PER_LOGICAL_PARTITION,
    source: COSMOS_LIMITS_PAGE,
    demand: (f) => f.cosmos.perPartition[container]?.ruPerS ?? 0,
  }));
}

export function limitSpecs(options: {
  appMaxInstances: number;
  instanceMemoryMB: number;
  partitionKeyOf: Record<string, string>;
  containers: string[];
  serviceBusSku: 'Standard' | 'Premium';
}): LimitSpec[] {
  const namespace: LimitSpec =
    options.serviceBusSku === 'Standard'
      ? {
          name: 'Service Bus Standard: namespace credits',
          unit: 'credits/s',
          capacity: SERVICE_BUS_STANDARD_CREDITS_PER_S,
          source: SERVICE_BUS_THROTTLING_PAGE,
          demand: (f) => f.serviceBus.creditsPerS,
        }
      : {
          // servicebus.bicep sets no capacity: one messaging unit.
          name: 'Service Bus Premium: one messaging unit (about 4 MB/s in)',
          unit: 'bytes/s',
          capacity: SERVICE_BUS_PREMIUM_BYTES_PER_S_PER_MU,
          source: SERVICE_BUS_PERFORMANCE_PAGE,
          demand: (f) => f.serviceBus.bytesPerS,
        };
  return [
    ...partitionSpecs(options.partitionKeyOf, options.containers),
    {
      name: 'Flex Consumption: the app’s maximum instance count (infra)',
      unit: 'instances',
      capacity: options.appMaxInstances,
      source: 'infra/main.bicep functionMaximumInstanceCount',
      demand: (f) => f.compute.instancesNeeded,
    },
    {
      name: 'Flex Consumption: highest maximum instance count',
      unit: 'instances',
      capacity: FLEX_MAX_INSTANCES,
      source: FLEX_PAGE,
      demand: (f) => f.compute.instancesNeeded,
    },
    {
      name: 'Flex Consumption: regional memory quota of the subscription',
      unit: 'MB',
      capacity: FLEX_REGIONAL_MEMORY_QUOTA_MB,
      source: FLEX_PAGE,
      demand: (f) => f.compute.instancesNeeded * options.instanceMemoryMB,
    },
    {
      name: 'Service Bus: one session (an integration’s pages and targeted runs, one message at a time)',
      unit: 'ms of handling per s',
      capacity: 1000,
      source: SERVICE_BUS_SESSIONS_PAGE,
      demand: (f) => f.serviceBus.sessionBusyMsPerS,
    },
    namespace,
    {
      name: 'Redis: one shard (assumed rate, see platform-limits.ts)',
      unit: 'commands/s',
      capacity: REDIS_COMMANDS_PER_S_ASSUMED,
      source: 'tools/capacity/platform-limits.ts (assumption)',
      demand: (f) => f.redis.commandsPerS,
    },
  ];
}

export function checkLimits(load: Load, at: (load: Load) => Footprint, specs: LimitSpec[]): LimitCheck[] {
  const loaded = at(load);
  const idle = at({ ...load, deliveriesPerS: 0 });
  return specs
    .map((spec) => {
      const demand = spec.demand(loaded);
      const base = spec.demand(idle);
      const perDelivery = load.deliveriesPerS > 0 ? (demand - base) / load.deliveriesPerS : 0;
      const reachedAt = base >= spec.capacity ? 0 : perDelivery > 0 ? (spec.capacity - base) / perDelivery : Infinity;
      return {
        name: spec.name,
        unit: spec.unit,
        capacity: spec.capacity,
        source: spec.source,
        demand,
        used: demand / spec.capacity,
        reachedAtDeliveriesPerS: reachedAt,
      };
    })
    .sort((a, b) => b.used - a.used);
}
