/**
 * The deployment as infra/ declares it, read from the Bicep itself so the model cannot drift from it: the Function
 * App's instance memory and maximum instance count, the Service Bus and Redis SKUs (defaults in main.bicep, production
 * in params/prod.parameters.json), the receipt TTL and archive retention, and each Cosmos container's partition key
 * (modules/cosmos.bicep), which says how a container's load spreads over logical partitions.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Deployment {
  functionMaximumInstanceCount: number;
  functionInstanceMemoryMB: number;
  webhookDeliveryTtlSeconds: number;
  webhookArchiveRetentionDays: number;
  serviceBusSku: 'Standard' | 'Premium';
  redisSku: string;
  partitionKeyOf: Record<string, string>;
}

export type Environment = 'default' | 'prod';

const INFRA = join(__dirname, '..', '..', 'infra');

function bicepDefault(text: string, name: string): string {
  const found = new RegExp(`^param ${name} (?:int|string) = '?([\\w-]+)'?`, 'm').exec(text);
  if (!found) throw new Error(`infra/main.bicep: no default for ${name}`);
  return found[1]!;
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
  const setting = (name: string): string => {
    const value = prod[name]?.value;
    return typeof value === 'number' || typeof value === 'string' ? String(value) : bicepDefault(main, name);
  };
  const serviceBusSku = setting('serviceBusSku');
  if (serviceBusSku !== 'Standard' && serviceBusSku !== 'Premium')
    throw new Error(`infra: serviceBusSku ${serviceBusSku} is not Standard or Premium`);
  return {
    functionMaximumInstanceCount: Number(setting('functionMaximumInstanceCount')),
    functionInstanceMemoryMB: Number(setting('functionInstanceMemoryMB')),
    webhookDeliveryTtlSeconds: Number(setting('webhookDeliveryTtlSeconds')),
    webhookArchiveRetentionDays: Number(setting('webhookArchiveRetentionDays')),
    serviceBusSku,
    redisSku: setting('redisSku'),
    partitionKeyOf: partitionKeys(readFileSync(join(infraDir, 'modules', 'cosmos.bicep'), 'utf8')),
  };
}
