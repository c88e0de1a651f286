/**
 * BENCH_MEASURED=<file>: the benchmarks write their per-unit figures into that JSON file, one section per benchmark
 * (the other sections are kept), in the shape tools/capacity/measured.ts reads. Each section says when, by which
 * command, at which commit and on what machine it was measured.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { measuredSchema, type Measured } from '../../../tools/capacity/measured';

export const measuredFile = (): string | undefined => process.env.BENCH_MEASURED || undefined;

/** The commit measured: BENCH_COMMIT when set (an exported tree has no .git), else HEAD, marked when the tree differs. */
function commit(): string {
  if (process.env.BENCH_COMMIT) return process.env.BENCH_COMMIT;
  try {
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8' }).trim();
    return dirty ? `${head} with uncommitted changes` : head;
  } catch {
    return 'unknown';
  }
}

export function provenance(bench: string, args: string[], loadAverage: string) {
  return {
    measuredAt: new Date().toISOString(),
    command: `BENCH_MEASURED=<file> npm run bench -- ${[bench, ...args].join(' ')}`,
    commit: commit(),
    environment: {
      node: process.version,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      loadAverage,
    },
  };
}

export function writeMeasuredSection<K extends keyof Measured>(
  file: string,
  key: K,
  section: NonNullable<Measured[K]>,
): void {
  const existing: Record<string, unknown> = existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>)
    : {};
  const next = measuredSchema.parse({ ...existing, [key]: section });
  writeFileSync(file, `${JSON.stringify(next, null, 2)}\n`);
  console.error(`per-unit figures written to ${file} (${String(key)})`);
}
