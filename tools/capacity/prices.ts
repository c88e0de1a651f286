/**
 * The prices the monthly cost uses, read from prices.json: the one file of dated price inputs (asOf, region, and
 * per price the official page to check it against). The cost model asks for prices by name; a missing one is an
 * error naming it, not a silent zero.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

export const PRICE_NAMES = [
  'functions.flexOnDemandPerGbSecond',
  'functions.flexOnDemandPerMillionExecutions',
  'functions.flexFreeGbSecondsPerMonth',
  'functions.flexFreeExecutionsPerMonth',
  'cosmos.serverlessPerMillionRu',
  'cosmos.autoscalePer100RuPerHour',
  'cosmos.storagePerGbMonth',
  'serviceBus.standardBasePerHour',
  'serviceBus.standardIncludedOperationsPerMonth',
  'serviceBus.standardPerMillionOperations',
  'serviceBus.premiumPerMessagingUnitHour',
  'storage.blobHotLrsPerGbMonth',
  'storage.blobHotWritesPer10k',
  'redis.managedBalancedB0PerHour',
  'redis.managedBalancedB5PerHour',
] as const;
export type PriceName = (typeof PRICE_NAMES)[number];

const priceSchema = z.object({
  value: z.number().nonnegative(),
  unit: z.string(),
  source: z.string().url(),
  seenAt: z.string().nullable(),
});

const pricesSchema = z.object({
  asOf: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  region: z.string(),
  currency: z.string(),
  hoursPerMonth: z.number().positive(),
  note: z.string(),
  items: z.record(z.string(), priceSchema),
});

export interface Prices {
  asOf: string;
  region: string;
  currency: string;
  hoursPerMonth: number;
  price(name: PriceName): number;
}

export const DEFAULT_PRICES_FILE = join(__dirname, 'prices.json');

export function parsePrices(json: unknown, file = 'prices.json'): Prices {
  const parsed = pricesSchema.safeParse(json);
  if (!parsed.success) throw new Error(`--prices: ${file}: ${parsed.error.issues[0]?.message}`);
  const missing = PRICE_NAMES.filter((name) => !(name in parsed.data.items));
  if (missing.length > 0) throw new Error(`--prices: ${file} has no price ${missing.join(', ')}`);
  const { asOf, region, currency, hoursPerMonth, items } = parsed.data;
  return { asOf, region, currency, hoursPerMonth, price: (name) => items[name]!.value };
}

export function readPrices(file = DEFAULT_PRICES_FILE): Prices {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new Error(`--prices: cannot read ${file}`);
  }
  return parsePrices(JSON.parse(text), file);
}
