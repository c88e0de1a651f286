/**
 * Command line: `npx tsx infra/stage/cli.ts <folder>` stages the package that ships to Azure into <folder>
 * (see stage-package.ts) and prints the size of its production node_modules. Used by infra/deploy.sh and by
 * the prepackage hook of azure.yaml (`azd up`).
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { stagePackage } from './stage-package';

/** Disk use as `du -sm` reports it, or '?' where du does not exist (Windows). */
function sizeMb(dir: string): string {
  try {
    return execFileSync('du', ['-sm', dir], { encoding: 'utf8' }).split('\t')[0] ?? '?';
  } catch {
    return '?';
  }
}

function main(argv: string[]): number {
  const dest = argv[0];
  if (!dest) {
    console.error('usage: npx tsx infra/stage/cli.ts <empty or new folder>');
    return 2;
  }
  try {
    const { dest: staged } = stagePackage({
      root: join(__dirname, '..', '..'),
      dest,
      log: (line) => console.log(`stage: ${line}`),
    });
    console.log(`stage: ${staged} ready (production node_modules ${sizeMb(join(staged, 'node_modules'))} MB)`);
    return 0;
  } catch (error) {
    console.error(`stage: ${(error as Error).message}`);
    return 1;
  }
}

process.exitCode = main(process.argv.slice(2));
