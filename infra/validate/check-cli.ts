/**
 * `npm run validate:infra [infra-dir]`: the real Bicep compiler and linter over every template (restored
 * from NuGet on first use, see bicep-cli.ts), then the code↔infra consistency rules of validate.ts.
 * Exits 1 when either fails, including when the compiler cannot be had (no .NET SDK): never a silent pass.
 */
import { join } from 'node:path';
import { isAppError } from '../../shared/core/app-error';
import { compileInfra, formatCompilerReport } from './bicep-compiler';
import { formatReport, validateInfra } from './validate';

function describe(error: unknown): string {
  return isAppError(error) ? `${error.code}: ${error.message}` : String(error);
}

function main(argv: string[]): number {
  const dir = argv[0] ?? join(__dirname, '..');
  let compilerPassed = false;
  console.log('== Bicep compiler and linter');
  try {
    const report = compileInfra(dir);
    console.log(formatCompilerReport(report));
    compilerPassed = report.passed;
  } catch (error) {
    console.error(`FAIL  bicep: ${describe(error)}`);
  }
  console.log('\n== code↔infra consistency rules');
  try {
    const report = validateInfra(dir);
    console.log(formatReport(report));
    return compilerPassed && report.passed ? 0 : 1;
  } catch (error) {
    console.error(describe(error));
    return 1;
  }
}

process.exitCode = main(process.argv.slice(2));
