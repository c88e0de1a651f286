/**
 * `npm run bench -- <name> [args…]`: runs tests/bench/<name>.bench.ts, whose default export prints one JSON line
 * per figure: {"bench", "metric", "value", "unit"}. `npm run bench -- list` lists the benchmarks.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

async function main(): Promise<void> {
  const [name, ...args] = process.argv.slice(2);
  const available = readdirSync(__dirname)
    .filter((file) => file.endsWith('.bench.ts'))
    .map((file) => file.replace(/\.bench\.ts$/, ''));
  if (!name || name === 'list') {
    console.log(`benchmarks: ${available.join(', ')}\nusage: npm run bench -- <name>`);
    return;
  }
  if (!available.includes(name)) {
    console.error(`unknown benchmark "${name}"; available: ${available.join(', ')}`);
    process.exitCode = 2;
    return;
  }
  // require, not import(): the benchmarks run under tsx's CommonJS hook alone (see package.json), and the
  // benchmark is chosen at run time.
  const module = require(join(__dirname, `${name}.bench.ts`)) as { default: (args: string[]) => Promise<void> };
  await module.default(args);
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
