/**
 * The deployment as infra/ declares it, read from the Bicep itself so the model cannot drift from it: the Function
 * App's instance memory and maximum instance count (defaults in main.bicep, production in
 * params/prod.parameters.json), the receipt TTL and archive retention, and each Cosmos container's partition key
 * (modules/cosmos.bicep), which says how a container's load spreads over logical partitions.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Deployment {
  functionMaximumInstanceCount: number;
  functionInstanceMemoryMB: number;
  webhookDeliveryTtlSeconds: number;
  webhookArchiveRetentionDays: number;
  partitionKeyOf: Record<string, string>;
}

export type Environment = 'default' | 'prod';

const INFRA = join(__dirname, '..', '..', 'infra');

function bicepDefault(text: string, name: string): number {
  const found = new RegExp(`^param ${name} int = (\\d+)`, 'm').exec(text);
  if (!found) throw new Error(`infra/main.bicep: no default for ${name}`);
  return Number(found[1]);
}

/** `/path` of each container's partition key, by container id. */
export function partitionKeys(cosmosBicep: string): Record<string, string> {
  const keys: Record<string, string> = {};
  for (const [, container, key] of cosmosBicep.matchAll(/id: '([\w-]+)'\s+partitionKey: \{\s+paths: \[\s+'\/(\w+)'/g))
    keys[container!] = key!;
  return keys;
}

export function readDeployment(environment: Environment, infraDir = INFRA): Deployment {
  const main = readFileSync(join(infraDir, 'main.bicep'), 'utf8');
  const prod =
    environment === 'prod'
      ? (
          JSON.parse(readFileSync(join(infraDir, 'params', 'prod.parameters.json'), 'utf8')) as {
            parameters: Record<string, { value: unknown }>;
          }
        ).parameters
      : {};
  const setting = (name: string) => {
    const value = prod[name]?.value;
    return typeof value === 'number' ? value : bicepDefault(main, name);
  };
  return {
    functionMaximumInstanceCount: setting('functionMaximumInstanceCount'),
    functionInstanceMemoryMB: setting('functionInstanceMemoryMB'),
    webhookDeliveryTtlSeconds: setting('webhookDeliveryTtlSeconds'),
    webhookArchiveRetentionDays: setting('webhookArchiveRetentionDays'),
    partitionKeyOf: partitionKeys(readFileSync(join(infraDir, 'modules', 'cosmos.bicep'), 'utf8')),
  };
}
