/**
 * Command line: `npx tsx infra/validate/cli.ts [infra-dir]` prints each rule's verdict and exits 1 when
 * any rule fails (2 when the folder cannot be read), so deploy.sh and CI can stop before Azure is touched.
 */
import { join } from 'node:path';
import { isAppError } from '../../shared/core/app-error';
import { formatReport, validateInfra } from './validate';

function main(argv: string[]): number {
  const dir = argv[0] ?? join(__dirname, '..');
  try {
    const report = validateInfra(dir);
    console.log(formatReport(report));
    return report.passed ? 0 : 1;
  } catch (error) {
    console.error(isAppError(error) ? `${error.code}: ${error.message}` : error);
    return 2;
  }
}

process.exitCode = main(process.argv.slice(2));
