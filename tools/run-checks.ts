/**
 * `npm run check`: every static check CI runs besides the type check and the tests, each one to the end even when
 * an earlier one fails, so one run names every problem. Exits 1 when any failed.
 */
import { spawnSync } from 'node:child_process';

/** npm scripts, in the order they run (cheapest first). */
export const CHECKS = ['check:layout', 'check:format', 'check:cycles', 'lint'] as const;

if (require.main === module) {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const failed = CHECKS.filter(
    (check) => spawnSync(npm, ['run', '--silent', check], { stdio: 'inherit' }).status !== 0,
  );
  if (failed.length > 0) {
    console.error(`checks failed: ${failed.join(', ')}`);
    process.exit(1);
  }
  console.log(`checks passed: ${CHECKS.join(', ')}`);
}
