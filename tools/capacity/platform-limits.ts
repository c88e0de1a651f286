/**
 * Azure facts the capacity model checks a load against, each with the page it comes from (the deployment's own
 * settings are read from infra/: deployment.ts). Figures that are assumptions, not published limits, say so.
 */

/** Flex Consumption: instance memory → CPU cores ("Instance memory" table of the Flex Consumption plan page). */
export const FLEX_CORES_BY_MEMORY_MB: Readonly<Record<number, number>> = { 512: 0.25, 2048: 1, 4096: 2 };
/** Flex Consumption: highest supported maximum instance count (same page, "Considerations"). */
export const FLEX_MAX_INSTANCES = 1000;
/**
 * Flex Consumption: memory of all instances per subscription and region (same page, "Regional subscription memory
 * quotas"; raised on request through a support ticket).
 */
export const FLEX_REGIONAL_MEMORY_QUOTA_MB = 512_000;
export const FLEX_PAGE = 'https://learn.microsoft.com/azure/azure-functions/flex-consumption-plan';

/** Cosmos DB: "Maximum RUs per partition (logical & physical)". */
export const COSMOS_MAX_RU_PER_LOGICAL_PARTITION = 10_000;
export const COSMOS_LIMITS_PAGE = 'https://learn.microsoft.com/azure/cosmos-db/concepts-limits';

/** Service Bus Standard: credits per second per namespace; Send/Receive cost 1 credit per message. */
export const SERVICE_BUS_STANDARD_CREDITS_PER_S = 1000;
export const SERVICE_BUS_THROTTLING_PAGE =
  'https://learn.microsoft.com/azure/service-bus-messaging/service-bus-throttling';
/** Service Bus Premium: "approximately 4 MB/second per Messaging Unit (MU) of ingress and egress" (Microsoft's benchmark). */
export const SERVICE_BUS_PREMIUM_BYTES_PER_S_PER_MU = 4 * 1024 * 1024;
export const SERVICE_BUS_PERFORMANCE_PAGE =
  'https://learn.microsoft.com/azure/service-bus-messaging/service-bus-performance-improvements';

/**
 * Assumption, not a published limit: commands per second one Redis shard serves for this workload. The deployment
 * uses a non-clustered Azure Managed Redis (infra/main.bicep), whose commands run on one primary; measured on the
 * development machines, one redis-server answered about 45,000 three-level limiter scripts/s and 72,000 SET/s from
 * 50 clients (docs: LOCAL-SERVICES measurements). Azure publishes no per-SKU operation rate for non-clustered caches.
 */
export const REDIS_COMMANDS_PER_S_ASSUMED = 45_000;

/**
 * A session's messages are handled one at a time: the session processor the Functions trigger uses calls the handler
 * at most MaxConcurrentCallsPerSession times per session at once, "The default value is 1".
 */
export const SERVICE_BUS_SESSIONS_PAGE =
  'https://learn.microsoft.com/dotnet/api/azure.messaging.servicebus.servicebussessionprocessoroptions.maxconcurrentcallspersession';
