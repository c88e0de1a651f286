/**
 * The capacity CLI's arguments: `--deliveries-per-s <n> --records-per-day <n> [--tenants <n>]
 * [--integrations-per-tenant <n>] [--environment default|prod] [--measured <file>] [--prices <file>]
 * [--format text|markdown|json]`. A bad or unknown argument is refused with a message naming it.
 * `--table [--into <file>] [--measured <file>] [--prices <file>]` instead prints (or writes into a document, between
 * its table markers) the Results tables of docs/capacity.md: the same loads, from the measured figures at hand.
 */
import { join } from 'node:path';
import type { Environment } from './deployment';

export interface CapacityArgs {
  mode: 'load';
  deliveriesPerS: number;
  recordsPerDay: number;
  tenants: number;
  integrationsPerTenant: number;
  environment: Environment;
  measured: string;
  prices?: string;
  format: 'text' | 'markdown' | 'json';
}

export interface TableArgs {
  mode: 'table';
  measured: string;
  prices?: string;
  /** The document whose table block is replaced; without it the block is printed. */
  into?: string;
}

export const USAGE =
  'usage: npm run capacity -- --deliveries-per-s <n> --records-per-day <n> [--tenants <n>] [--integrations-per-tenant <n>] ' +
  '[--environment default|prod] [--measured <file>] [--prices <file>] [--format text|markdown|json]\n' +
  '       npm run capacity -- --table [--into <file>] [--measured <file>] [--prices <file>]';

export const DEFAULT_MEASURED_FILE = join(__dirname, 'measured.json');

export class ArgumentError extends Error {}

const NUMBERS = {
  '--deliveries-per-s': { key: 'deliveriesPerS', min: 0, integer: false },
  '--records-per-day': { key: 'recordsPerDay', min: 0, integer: false },
  '--tenants': { key: 'tenants', min: 1, integer: true },
  '--integrations-per-tenant': { key: 'integrationsPerTenant', min: 1, integer: true },
} as const;

export function parseArgs(argv: string[]): CapacityArgs | TableArgs {
  const given: Partial<Record<string, string>> = {};
  let table = false;
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i]!;
    if (name === '--table') {
      if (table) throw new ArgumentError('--table: given twice');
      table = true;
      i--;
      continue;
    }
    const value = argv[i + 1];
    if (!name.startsWith('--')) throw new ArgumentError(`unexpected argument "${name}"; ${USAGE}`);
    if (value === undefined || value.startsWith('--')) throw new ArgumentError(`${name}: a value is required`);
    if (name in given) throw new ArgumentError(`${name}: given twice`);
    given[name] = value;
  }
  if (table) return tableArgs(given);
  if (given['--into']) throw new ArgumentError('--into: only with --table');
  const known = new Set([...Object.keys(NUMBERS), '--environment', '--measured', '--prices', '--format']);
  for (const name of Object.keys(given))
    if (!known.has(name)) throw new ArgumentError(`unknown argument ${name}; ${USAGE}`);

  const numbers: Record<string, number> = { tenants: 1, integrationsPerTenant: 1 };
  for (const [flag, { key, min, integer }] of Object.entries(NUMBERS)) {
    const raw = given[flag];
    if (raw === undefined) {
      if (key === 'deliveriesPerS' || key === 'recordsPerDay') throw new ArgumentError(`${flag} is required; ${USAGE}`);
      continue;
    }
    const value = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(value) || value < min || (integer && !Number.isInteger(value)))
      throw new ArgumentError(
        `${flag}: "${raw}" is not ${integer ? 'a whole number' : 'a number'}${min > 0 ? ` of at least ${min}` : ' of 0 or more'}`,
      );
    numbers[key] = value;
  }

  const environment = given['--environment'] ?? 'default';
  if (environment !== 'default' && environment !== 'prod')
    throw new ArgumentError(`--environment: "${environment}" is not default or prod`);
  const format = given['--format'] ?? 'text';
  if (format !== 'text' && format !== 'markdown' && format !== 'json')
    throw new ArgumentError(`--format: "${format}" is not text, markdown or json`);
  return {
    mode: 'load',
    deliveriesPerS: numbers.deliveriesPerS!,
    recordsPerDay: numbers.recordsPerDay!,
    tenants: numbers.tenants!,
    integrationsPerTenant: numbers.integrationsPerTenant!,
    environment,
    measured: given['--measured'] ?? DEFAULT_MEASURED_FILE,
    ...(given['--prices'] ? { prices: given['--prices'] } : {}),
    format,
  };
}

/** The table's loads are fixed (docs/capacity.md): only where the figures come from, and where they go, are given. */
function tableArgs(given: Partial<Record<string, string>>): TableArgs {
  const known = new Set(['--measured', '--prices', '--into']);
  for (const name of Object.keys(given))
    if (!known.has(name)) throw new ArgumentError(`${name}: not with --table (its loads are fixed); ${USAGE}`);
  return {
    mode: 'table',
    measured: given['--measured'] ?? DEFAULT_MEASURED_FILE,
    ...(given['--prices'] ? { prices: given['--prices'] } : {}),
    ...(given['--into'] ? { into: given['--into'] } : {}),
  };
}
