/**
 * `npm run capacity -- --deliveries-per-s <n> --records-per-day <n> [--tenants <n>] …` (args.ts): the Azure
 * footprint, the limits it runs into and a monthly cost for a load, from the benchmarks' measured per-unit figures
 * (measured.json), the deployment as infra/ declares it and the dated prices of prices.json. docs/capacity.md
 * explains the model. `--table` prints, or with `--into <file>` rewrites, that document's Results tables (table.ts).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { ArgumentError, parseArgs, USAGE } from './args';
import { readDeployment, type Environment } from './deployment';
import { footprint, type Load } from './footprint';
import { checkLimits, limitSpecs } from './limits';
import { readMeasured, type Measured } from './measured';
import { modelledWrites } from './modelled-writes';
import { monthlyCost } from './monthly-cost';
import { FLEX_CORES_BY_MEMORY_MB } from './platform-limits';
import { readPrices, type Prices } from './prices';
import { renderJson, renderMarkdown, renderText, type CapacityAnswer } from './report';
import { replaceTableBlock, TABLE_LOADS, tableBlock } from './table';

/** Share of an instance's cores the host may use before the platform should add one. */
const TARGET_CPU_UTILIZATION = 0.7;

function readComplete(file: string): Required<Measured> {
  const measured = readMeasured(file);
  if (!measured.webhooks || !measured.sync)
    throw new ArgumentError(
      `--measured: ${file} lacks the ${measured.webhooks ? 'sync' : 'webhooks'} figures (docs/capacity.md: how to measure them)`,
    );
  return measured as Required<Measured>;
}

/** The answer for one load in one deployment. */
export function answerFor(
  load: Load,
  environment: Environment,
  complete: Required<Measured>,
  prices: Prices,
): CapacityAnswer {
  const deployment = readDeployment(environment);
  const instanceMemoryMB = deployment.functionInstanceMemoryMB;
  const coresPerInstance = FLEX_CORES_BY_MEMORY_MB[instanceMemoryMB];
  if (coresPerInstance === undefined)
    throw new Error(`infra: no Flex Consumption instance size of ${instanceMemoryMB} MB`);
  const options = {
    instanceMemoryMB,
    coresPerInstance,
    targetCpuUtilization: TARGET_CPU_UTILIZATION,
    partitionKeyOf: deployment.partitionKeyOf,
    hoursPerMonth: prices.hoursPerMonth,
    modelled: modelledWrites(),
  };
  const retention = {
    receiptTtlSeconds: deployment.webhookDeliveryTtlSeconds,
    archiveDays: deployment.webhookArchiveRetentionDays,
  };
  const at = (l: Load) => footprint(l, complete, options, retention);
  return {
    load,
    environment,
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
}

/** The CLI's output for its arguments; with `--table --into <file>`, that file rewritten and a line saying so. */
export function capacity(argv: string[]): string {
  const args = parseArgs(argv);
  const complete = readComplete(args.measured);
  const prices = readPrices(args.prices);
  if (args.mode === 'table') {
    const block = tableBlock(
      TABLE_LOADS.map(({ environment, ...load }) => answerFor(load, environment, complete, prices)),
    );
    if (!args.into) return block;
    let document: string;
    try {
      document = readFileSync(args.into, 'utf8');
    } catch {
      throw new ArgumentError(`--into: cannot read ${args.into}`);
    }
    writeFileSync(args.into, replaceTableBlock(document, block, args.into));
    return `${args.into}: Results tables rewritten from ${args.measured}`;
  }
  const load: Load = {
    deliveriesPerS: args.deliveriesPerS,
    recordsPerDay: args.recordsPerDay,
    tenants: args.tenants,
    integrationsPerTenant: args.integrationsPerTenant,
  };
  const answer = answerFor(load, args.environment, complete, prices);
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
