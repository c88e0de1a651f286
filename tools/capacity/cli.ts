/**
 * `npm run capacity -- --deliveries-per-s <n> --records-per-day <n> [--tenants <n>] …` (args.ts): the Azure
 * footprint, the limits it runs into and a monthly cost for a load, from the benchmarks' measured per-unit figures
 * (measured.json), the deployment as infra/ declares it and the dated prices of prices.json. docs/capacity.md
 * explains the model.
 */
import { ArgumentError, parseArgs, USAGE } from './args';
import { readDeployment } from './deployment';
import { footprint, type Load } from './footprint';
import { checkLimits, limitSpecs } from './limits';
import { readMeasured, type Measured } from './measured';
import { monthlyCost } from './monthly-cost';
import { FLEX_CORES_BY_MEMORY_MB } from './platform-limits';
import { readPrices } from './prices';
import { renderJson, renderMarkdown, renderText, type CapacityAnswer } from './report';

/** Share of an instance's cores the host may use before the platform should add one. */
const TARGET_CPU_UTILIZATION = 0.7;

export function capacity(argv: string[]): string {
  const args = parseArgs(argv);
  const measured = readMeasured(args.measured);
  if (!measured.webhooks || !measured.sync)
    throw new ArgumentError(
      `--measured: ${args.measured} lacks the ${measured.webhooks ? 'sync' : 'webhooks'} figures (docs/capacity.md: how to measure them)`,
    );
  const complete = measured as Required<Measured>;
  const prices = readPrices(args.prices);
  const deployment = readDeployment(args.environment);
  const instanceMemoryMB = deployment.functionInstanceMemoryMB;
  const coresPerInstance = FLEX_CORES_BY_MEMORY_MB[instanceMemoryMB];
  if (coresPerInstance === undefined)
    throw new Error(`infra: no Flex Consumption instance size of ${instanceMemoryMB} MB`);
  const load: Load = {
    deliveriesPerS: args.deliveriesPerS,
    recordsPerDay: args.recordsPerDay,
    tenants: args.tenants,
    integrationsPerTenant: args.integrationsPerTenant,
  };
  const options = {
    instanceMemoryMB,
    coresPerInstance,
    targetCpuUtilization: TARGET_CPU_UTILIZATION,
    partitionKeyOf: deployment.partitionKeyOf,
    hoursPerMonth: prices.hoursPerMonth,
  };
  const retention = {
    receiptTtlSeconds: deployment.webhookDeliveryTtlSeconds,
    archiveDays: deployment.webhookArchiveRetentionDays,
  };
  const at = (l: Load) => footprint(l, complete, options, retention);
  const answer: CapacityAnswer = {
    load,
    environment: args.environment,
    instanceMemoryMB,
    coresPerInstance,
    targetCpuUtilization: TARGET_CPU_UTILIZATION,
    measured: complete,
    prices,
    footprint: at(load),
    limits: checkLimits(
      load,
      at,
      limitSpecs({
        appMaxInstances: deployment.functionMaximumInstanceCount,
        instanceMemoryMB,
        partitionKeyOf: deployment.partitionKeyOf,
        containers: Object.keys(at(load).cosmos.perPartition),
        serviceBusSku: deployment.serviceBusSku,
      }),
    ),
    cost: monthlyCost(at(load), prices, {
      instanceMemoryMB,
      redisSku: deployment.redisSku,
      serviceBusSku: deployment.serviceBusSku,
    }),
  };
  if (args.format === 'json') return renderJson(answer);
  return args.format === 'markdown' ? renderMarkdown(answer) : renderText(answer);
}

if (require.main === module) {
  try {
    console.log(capacity(process.argv.slice(2)));
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    if (!(error instanceof ArgumentError) && !(error instanceof Error && error.message.startsWith('--')))
      console.error(USAGE);
    process.exitCode = 2;
  }
}
