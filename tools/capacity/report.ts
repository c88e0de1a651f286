/**
 * The capacity model's answer as text (the CLI's default), as Markdown tables (docs/capacity.md) or as JSON.
 */
import type { Footprint, Load } from './footprint';
import type { LimitCheck } from './limits';
import type { Measured } from './measured';
import { fmt, type MonthlyCost } from './monthly-cost';
import type { Prices } from './prices';

export interface CapacityAnswer {
  load: Load;
  environment: string;
  instanceMemoryMB: number;
  coresPerInstance: number;
  targetCpuUtilization: number;
  measured: Required<Measured>;
  prices: Prices;
  footprint: Footprint;
  limits: LimitCheck[];
  cost: MonthlyCost;
}

const pct = (share: number) => `${fmt(share * 100)}%`;
const usd = (value: number) => `$${fmt(value, 2)}`;
const reached = (limit: LimitCheck) =>
  limit.reachedAtDeliveriesPerS === Infinity
    ? 'not by deliveries'
    : limit.reachedAtDeliveriesPerS === 0
      ? 'already by the records alone'
      : `${fmt(limit.reachedAtDeliveriesPerS, limit.reachedAtDeliveriesPerS < 10 ? 2 : 0)} deliveries/s`;

function footprintRows(a: CapacityAnswer): Array<[string, string]> {
  const f = a.footprint;
  const containers = Object.entries(f.cosmos.ruPerSByContainer)
    .filter(([, ru]) => ru > 0)
    .sort((x, y) => y[1] - x[1])
    .map(([name, ru]) => `${name} ${fmt(ru)}`)
    .join(', ');
  const stored = Object.entries(f.cosmos.storedGbByContainer)
    .filter(([, gb]) => gb >= 0.05)
    .sort((x, y) => y[1] - x[1])
    .map(([name, gb]) => `${name} ${fmt(gb, 1)}`)
    .join(', ');
  return [
    [
      'Functions (Flex Consumption)',
      `${fmt(f.compute.cpuCores, 2)} cores of host CPU → ${f.compute.instances} instance(s) of ${a.instanceMemoryMB} MB (${a.coresPerInstance} core each, at ${pct(a.targetCpuUtilization)} CPU); ${fmt(f.compute.gbSecondsPerMonth)} GB-s a month; ${fmt(f.compute.executionsPerS)} executions/s`,
    ],
    [
      'Cosmos DB',
      `${fmt(f.cosmos.ruPerS)} RU/s (${containers}); ${fmt(f.cosmos.writesPerS)} document writes/s; hottest logical partition: ${f.cosmos.hottestPartition.container} (/${f.cosmos.hottestPartition.key}) ${fmt(f.cosmos.hottestPartition.ruPerS)} RU/s; ${fmt(f.cosmos.storedGb, 1)} GB stored (${stored})`,
    ],
    [
      'Service Bus',
      `${fmt(f.serviceBus.messagesPerS, 1)} messages/s, ${fmt(f.serviceBus.operationsPerS)} operations/s, ${fmt(f.serviceBus.creditsPerS)} credits/s, ${fmt(f.serviceBus.bytesPerS / 1024)} KB/s; one integration's session busy ${fmt(f.serviceBus.sessionBusyMsPerS)} ms per second`,
    ],
    [
      'Storage (archive)',
      `${fmt(f.blob.uploadsPerS, 1)} uploads/s, ${fmt(f.blob.bytesPerS / 1024)} KB/s, ${fmt(f.blob.storedGb, 1)} GB kept`,
    ],
    ['Redis', `${fmt(f.redis.commandsPerS)} commands/s`],
  ];
}

function heading(a: CapacityAnswer): string {
  const { load } = a;
  return `${fmt(load.deliveriesPerS)} deliveries/s and ${fmt(load.recordsPerDay)} records/day over ${load.tenants} tenant(s) × ${load.integrationsPerTenant} integration(s), ${a.environment} deployment`;
}

function sources(a: CapacityAnswer): string {
  const { webhooks, sync } = a.measured;
  return (
    `measured: webhooks ${webhooks.measuredAt} (${webhooks.command}, commit ${webhooks.commit.slice(0, 7)}, load ${webhooks.environment.loadAverage}); ` +
    `sync ${sync.measuredAt} (${sync.command}, commit ${sync.commit.slice(0, 7)}); prices as of ${a.prices.asOf}, ${a.prices.region}, ${a.prices.currency}`
  );
}

export function renderText(a: CapacityAnswer): string {
  const out: string[] = [`Capacity for ${heading(a)}`, `(${sources(a)})`, '', 'Footprint'];
  for (const [name, value] of footprintRows(a)) out.push(`  ${name}: ${value}`);
  out.push('', 'Limits (share used; where reached with the records per day unchanged)');
  for (const limit of a.limits)
    out.push(
      `  ${pct(limit.used).padStart(6)}  ${limit.name}: ${fmt(limit.demand, 1)} of ${fmt(limit.capacity)} ${limit.unit}; reached at ${reached(limit)}`,
    );
  const first = a.limits[0];
  if (first) out.push(`  First limit: ${first.name} (${pct(first.used)} used; reached at ${reached(first)})`);
  out.push('', `Monthly cost (${a.prices.currency}, prices as of ${a.prices.asOf})`);
  for (const line of a.cost.lines) out.push(`  ${usd(line.monthly).padStart(12)}  ${line.service}: ${line.what}`);
  out.push(
    `  ${usd(a.cost.total).padStart(12)}  total (Cosmos DB serverless instead of autoscale: ${usd(a.cost.cosmosServerless)})`,
  );
  return out.join('\n');
}

export function renderMarkdown(a: CapacityAnswer): string {
  const out: string[] = [`**${heading(a)}**`, '', '| part | footprint |', '| --- | --- |'];
  for (const [name, value] of footprintRows(a)) out.push(`| ${name} | ${value} |`);
  out.push('', '| limit | demand / capacity | used | reached at |', '| --- | --- | --- | --- |');
  for (const limit of a.limits)
    out.push(
      `| ${limit.name} | ${fmt(limit.demand, 1)} / ${fmt(limit.capacity)} ${limit.unit} | ${pct(limit.used)} | ${reached(limit)} |`,
    );
  out.push('', `| monthly (${a.prices.currency}) | | |`, '| --- | --- | --- |');
  for (const line of a.cost.lines) out.push(`| ${line.service} | ${line.what} | ${usd(line.monthly)} |`);
  out.push(`| **total** | Cosmos DB serverless instead: ${usd(a.cost.cosmosServerless)} | **${usd(a.cost.total)}** |`);
  return out.join('\n');
}

export function renderJson(a: CapacityAnswer): string {
  const { measured, prices, ...rest } = a;
  return JSON.stringify(
    {
      ...rest,
      measuredAt: { webhooks: measured.webhooks.measuredAt, sync: measured.sync.measuredAt },
      pricesAsOf: prices.asOf,
    },
    (_key, value: unknown) => (value === Infinity ? null : value),
    2,
  );
}
