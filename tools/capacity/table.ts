/**
 * The Results tables of docs/capacity.md, regenerated from whatever measured.json holds: `npm run capacity --
 * --table` prints them, `--into docs/capacity.md` replaces the block between the document's markers (formatted with
 * the repository's Prettier settings, as `npm run check:format` wants it).
 */
import { execFileSync } from 'node:child_process';
import type { Environment } from './deployment';
import type { Load } from './footprint';
import { renderMarkdown, type CapacityAnswer } from './report';

/** The loads the document shows: 100, 1,000 and 10,000 deliveries/s on one integration, and 10,000 over 100 tenants. */
export const TABLE_LOADS: ReadonlyArray<Load & { environment: Environment }> = [
  ...[100, 1_000, 10_000].map((deliveriesPerS) => ({
    deliveriesPerS,
    recordsPerDay: 10_000_000,
    tenants: 1,
    integrationsPerTenant: 1,
    environment: 'default' as const,
  })),
  {
    deliveriesPerS: 10_000,
    recordsPerDay: 10_000_000,
    tenants: 100,
    integrationsPerTenant: 1,
    environment: 'prod',
  },
];

export const TABLE_BEGIN = '<!-- capacity-table:begin (npm run capacity -- --table --into docs/capacity.md) -->';
export const TABLE_END = '<!-- capacity-table:end -->';

export function tableBlock(answers: CapacityAnswer[]): string {
  const first = answers[0];
  const provenance = first
    ? `Measured figures: webhooks ${first.measured.webhooks.measuredAt} at commit ${first.measured.webhooks.commit.slice(0, 7)}, ` +
      `sync ${first.measured.sync.measuredAt} at commit ${first.measured.sync.commit.slice(0, 7)}; prices as of ${first.prices.asOf}.`
    : '';
  return [TABLE_BEGIN, '', provenance, '', ...answers.flatMap((a) => [renderMarkdown(a), '']), TABLE_END].join('\n');
}

/** The document with its table block replaced; an error naming the file when it has no (or a broken) block. */
export function replaceTableBlock(document: string, block: string, file: string): string {
  const begin = document.indexOf(TABLE_BEGIN);
  const end = document.indexOf(TABLE_END);
  if (begin < 0 || end < begin)
    throw new Error(`--into: ${file} has no table block (a line "${TABLE_BEGIN}", later a line "${TABLE_END}")`);
  const next = document.slice(0, begin) + block + document.slice(end + TABLE_END.length);
  // The repository's Prettier, as a command (its API is an ES module, which the test runner cannot load).
  return execFileSync(process.execPath, [require.resolve('prettier/bin/prettier.cjs'), '--stdin-filepath', file], {
    input: next,
    encoding: 'utf8',
  });
}
