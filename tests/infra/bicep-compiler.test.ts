/**
 * The real Bicep compiler (restored from NuGet, pinned in infra/tools/bicep-cli.csproj) over the templates,
 * through the same module as `npm run validate:infra`. Each break below is one the tree-sitter rules of
 * infra/validate cannot see: the test shows the rules' verdicts unchanged by it and the compiler failing on
 * it with the expected diagnostic. Without the .NET SDK these tests fail with the install hint: no skip.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAppError } from '../../shared/core/app-error';
import { DOTNET_INSTALL_HINT, ensureBicepCli, pinnedBicepVersion } from '../../infra/validate/bicep-cli';
import {
  compileInfra,
  formatCompilerReport,
  parseDiagnostics,
  templateFiles,
  type BicepDiagnostic,
} from '../../infra/validate/bicep-compiler';
import { validateInfra } from '../../infra/validate/validate';
import { copyInfra, INFRA_DIR, type InfraCopy } from './infra-copy';

const REPO_ROOT = join(__dirname, '..', '..');

// A cold NuGet restore plus a .NET start-up per compiler call, on a shared 2-core machine.
jest.setTimeout(240_000);

function failingRules(dir: string): string[] {
  return validateInfra(dir)
    .verdicts.filter((verdict) => !verdict.passed)
    .map((verdict) => verdict.rule);
}

let failingOnCommittedInfra: string[];
beforeAll(() => {
  failingOnCommittedInfra = failingRules(INFRA_DIR);
});

/** Breaks a copy, checks the tree-sitter rules do not notice, and returns what the compiler says about `file`. */
function compileBroken(file: string, breakIt: (copy: InfraCopy) => void): BicepDiagnostic[] {
  const copy = copyInfra();
  try {
    breakIt(copy);
    expect(failingRules(copy.dir)).toEqual(failingOnCommittedInfra);
    const report = compileInfra(copy.dir, { files: [file] });
    expect(report.passed).toBe(false);
    return report.diagnostics.filter((diagnostic) => diagnostic.file === file);
  } finally {
    copy.remove();
  }
}

describe('bicep compiler over infra/', () => {
  test('the committed templates build and lint clean with the pinned compiler', () => {
    const report = compileInfra(INFRA_DIR);
    expect(formatCompilerReport(report)).toBe(
      `bicep ${pinnedBicepVersion()}: ${report.files.length} templates build and lint clean`,
    );
    expect(report.diagnostics).toEqual([]);
    expect(report.files).toEqual(templateFiles(INFRA_DIR));
    expect(report.files).toEqual(
      expect.arrayContaining(['main.bicep', 'modules/functionapp.bicep', 'modules/cosmos.bicep']),
    );
    expect(report.bicepVersion).toBe('0.49.2');
  });

  test('an API version of Microsoft.Web/sites without functionAppConfig fails', () => {
    const diagnostics = compileBroken('modules/functionapp.bicep', (copy) =>
      copy.edit('modules/functionapp.bicep', /'Microsoft\.Web\/sites@[0-9a-z-]+'/, "'Microsoft.Web/sites@2022-03-01'"),
    );
    expect(diagnostics).toContainEqual(
      expect.objectContaining({
        code: 'BCP037',
        message: expect.stringContaining('"functionAppConfig" is not allowed'),
      }),
    );
  });

  test('a misspelled property fails', () => {
    const diagnostics = compileBroken('modules/functionapp.bicep', (copy) =>
      copy.edit('modules/functionapp.bicep', 'http20Enabled: true', 'http2Enabled: true'),
    );
    expect(diagnostics).toContainEqual(
      expect.objectContaining({
        code: expect.stringMatching(/^BCP0(37|89)$/),
        message: expect.stringContaining('"http2Enabled" is not allowed'),
      }),
    );
  });

  test('an invalid enum value fails', () => {
    const diagnostics = compileBroken('modules/cosmos.bicep', (copy) =>
      copy.edit('modules/cosmos.bicep', "defaultConsistencyLevel: 'Session'", "defaultConsistencyLevel: 'Sesion'"),
    );
    expect(diagnostics).toContainEqual(
      expect.objectContaining({
        code: 'BCP088',
        message: expect.stringMatching(
          /"defaultConsistencyLevel" expected a value of type .*'Session'.* but the provided value is of type "'Sesion'"/,
        ),
      }),
    );
  });

  test('a string where an int is required fails', () => {
    const diagnostics = compileBroken('modules/monitoring.bicep', (copy) =>
      copy.edit(
        'modules/monitoring.bicep',
        'retentionInDays: retentionInDays',
        "retentionInDays: '${retentionInDays}'",
      ),
    );
    expect(diagnostics).toContainEqual(
      expect.objectContaining({
        code: 'BCP036',
        message: expect.stringMatching(/"retentionInDays" expected a value of type "int/),
      }),
    );
  });

  test('bicepconfig.json makes the core linter rules errors, and lint reports them', () => {
    const copy = copyInfra();
    try {
      copy.edit('modules/identity.bicep', /\n/, "\nparam notUsed string = 'x'\n");
      const report = compileInfra(copy.dir, { files: ['modules/identity.bicep'] });
      expect(report.diagnostics).toContainEqual(
        expect.objectContaining({ file: 'modules/identity.bicep', level: 'Error', code: 'no-unused-params' }),
      );
    } finally {
      copy.remove();
    }
  });

  test('a warm cache reuses the compiler without running dotnet', () => {
    const first = ensureBicepCli();
    const second = ensureBicepCli({ dotnet: '/nonexistent/dotnet' });
    expect(second).toEqual({ path: first.path, version: '0.49.2', restored: false });
  });

  test('a machine without the .NET SDK gets a failing check that says how to install it', () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'bicep-cache-'));
    try {
      expect.assertions(3);
      try {
        compileInfra(INFRA_DIR, { cacheDir, dotnet: join(cacheDir, 'no-dotnet-here') });
      } catch (error) {
        expect(isAppError(error) && error.code).toBe('configuration');
        expect((error as Error).message).toContain(DOTNET_INSTALL_HINT);
        expect((error as Error).message).toContain('npm run validate:infra');
      }
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  });
});

describe('npm run validate:infra (infra/validate/check-cli.ts)', () => {
  test('fails a copy with one warning, quoting the compiler, and still runs the consistency rules', () => {
    const copy = copyInfra();
    try {
      copy.edit('modules/functionapp.bicep', 'http20Enabled: true', 'http2Enabled: true');
      const cli = [
        join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'),
        join(REPO_ROOT, 'infra', 'validate', 'check-cli.ts'),
        copy.dir,
      ];
      const result = spawnSync(process.execPath, cli, { cwd: REPO_ROOT, encoding: 'utf8', timeout: 200_000 });
      const output = `${result.stdout}${result.stderr}`;
      expect(output).toMatch(
        /\[bicep (build|lint)\] modules\/functionapp\.bicep\(\d+,\d+\) : Warning BCP0(37|89): The property "http2Enabled" is not allowed/,
      );
      expect(output).toContain('bicep 0.49.2: 1 diagnostics (errors and warnings both fail)');
      expect(output).toContain('PASS  bicep-syntax:');
      expect(result.status).toBe(1);
    } finally {
      copy.remove();
    }
  });
});

describe('parseDiagnostics', () => {
  test('reads the compiler lines and keeps any other output as an error', () => {
    const output = [
      '/x/infra/modules/a.bicep(3,5) : Warning BCP037: The property "foo" is not allowed on objects of type "X".',
      '/x/infra/main.bicep(10,1) : Error no-unused-params: Parameter "p" is declared but never used.',
      'Unhandled exception. System.IO.IOException: boom',
    ].join('\n');
    expect(parseDiagnostics('lint', output, '/x/infra')).toEqual([
      {
        step: 'lint',
        file: 'modules/a.bicep',
        line: 3,
        column: 5,
        level: 'Warning',
        code: 'BCP037',
        message: 'The property "foo" is not allowed on objects of type "X".',
      },
      {
        step: 'lint',
        file: 'main.bicep',
        line: 10,
        column: 1,
        level: 'Error',
        code: 'no-unused-params',
        message: 'Parameter "p" is declared but never used.',
      },
      {
        step: 'lint',
        file: '(compiler)',
        level: 'Error',
        code: 'output',
        message: 'Unhandled exception. System.IO.IOException: boom',
      },
    ]);
  });
});
