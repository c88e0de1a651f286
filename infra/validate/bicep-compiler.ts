/**
 * Runs the real Bicep compiler over an infra folder: `bicep build` of main.bicep and every module (into a
 * temp folder, never the repo) and `bicep lint` with the folder's bicepconfig.json, which makes the core
 * analyzer rules errors. The compiler's own type checks (unknown properties, enum values, types) are only
 * warnings in Bicep, so any diagnostic at all fails the report, quoted as the compiler wrote it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../../shared/core/app-error';
import { ensureBicepCli, type BicepCliOptions } from './bicep-cli';

const STEP_TIMEOUT_MS = 5 * 60_000;

export interface BicepDiagnostic {
  step: 'build' | 'lint';
  /** Path relative to the infra folder, or the compiler's own text when it named no file. */
  file: string;
  line?: number;
  column?: number;
  level: string;
  /** BCP037, no-unused-params, ... */
  code: string;
  message: string;
}

export interface CompilerReport {
  dir: string;
  bicepVersion: string;
  /** The .bicep files compiled, relative to the infra folder. */
  files: string[];
  diagnostics: BicepDiagnostic[];
  passed: boolean;
}

/** main.bicep and modules/*.bicep: what deploy.sh deploys. */
export function templateFiles(dir: string): string[] {
  const modulesDir = join(dir, 'modules');
  const modules = existsSync(modulesDir)
    ? readdirSync(modulesDir)
        .filter((name) => name.endsWith('.bicep'))
        .sort()
    : [];
  return ['main.bicep', ...modules.map((name) => `modules/${name}`)];
}

// The compiler's default format: `<path>(<line>,<column>) : <Level> <code>: <message>`.
const DIAGNOSTIC_LINE = /^(.*)\((\d+),(\d+)\) : (\w+) ([\w-]+): (.*)$/;

export function parseDiagnostics(step: BicepDiagnostic['step'], output: string, dir: string): BicepDiagnostic[] {
  const prefix = `${dir}/`;
  return output
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .map((line) => {
      const match = DIAGNOSTIC_LINE.exec(line);
      // Anything else the compiler prints (a crash, a bad config) still fails the run, word for word.
      if (!match) return { step, file: '(compiler)', level: 'Error', code: 'output', message: line };
      const [, path, lineNo, column, level, code, message] = match as unknown as string[];
      const file = path!.startsWith(prefix) ? path!.slice(prefix.length) : path!;
      return {
        step,
        file,
        line: Number(lineNo),
        column: Number(column),
        level: level!,
        code: code!,
        message: message!,
      };
    });
}

function runBicep(bicep: string, args: string[], cwd: string): { status: number | null; output: string } {
  const result = spawnSync(bicep, args, { cwd, encoding: 'utf8', timeout: STEP_TIMEOUT_MS });
  if (result.error)
    throw new AppError('dependency_unavailable', `bicep ${args[0]} could not run: ${result.error.message}`, {
      cause: result.error,
    });
  return { status: result.status, output: `${result.stderr}${result.stdout}` };
}

function runStep(step: BicepDiagnostic['step'], bicep: string, args: string[], dir: string): BicepDiagnostic[] {
  const { status, output } = runBicep(bicep, args, dir);
  const diagnostics = parseDiagnostics(step, output, dir);
  if (status !== 0 && diagnostics.length === 0) {
    diagnostics.push({
      step,
      file: '(compiler)',
      level: 'Error',
      code: 'exit',
      message: `bicep ${step} exited with ${status} and printed nothing`,
    });
  }
  return diagnostics;
}

export interface CompileOptions extends BicepCliOptions {
  /** Compile only these files (relative to the folder); default main.bicep and every module. */
  files?: string[];
}

/** What one compiler call covers: a file, or every .bicep under the folder at once (each call starts a
 * .NET process that takes seconds under load, so the whole folder is one build and one lint). */
interface Target {
  input: string[];
  /** Sub-folder of the temp output folder that mirrors the input's folder. */
  outSubdir: string;
}

function targetsFor(files: string[] | undefined): Target[] {
  if (!files) return [{ input: ['--pattern', '**/*.bicep'], outSubdir: '' }];
  return files.map((file) => ({
    input: [file],
    outSubdir: file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '',
  }));
}

function diagnosticKey(d: BicepDiagnostic): string {
  return `${d.file}|${d.line}|${d.column}|${d.code}|${d.message}`;
}

export function compileInfra(dir: string, options: CompileOptions = {}): CompilerReport {
  const config = join(dir, 'bicepconfig.json');
  if (!existsSync(config))
    throw new AppError('configuration', `${config} is missing: it sets the linter rules to errors`, { target: config });
  const bicep = ensureBicepCli(options);
  const files = options.files ?? templateFiles(dir);
  const outDir = mkdtempSync(join(tmpdir(), 'bicep-build-'));
  const diagnostics: BicepDiagnostic[] = [];
  const seen = new Set<string>();
  // build runs the linter too, and a pattern build can print a module's diagnostic twice: once is enough.
  const add = (found: BicepDiagnostic[]) => {
    for (const diagnostic of found) {
      if (seen.has(diagnosticKey(diagnostic))) continue;
      seen.add(diagnosticKey(diagnostic));
      diagnostics.push(diagnostic);
    }
  };
  try {
    for (const target of targetsFor(options.files)) {
      const buildArgs = ['build', ...target.input, '--outdir', join(outDir, target.outSubdir), '--config', config];
      add(runStep('build', bicep.path, buildArgs, dir));
      add(runStep('lint', bicep.path, ['lint', ...target.input, '--config', config], dir));
    }
    // A pattern that matches nothing exits 0 in silence: every template must have produced its ARM JSON.
    for (const file of files) {
      const failed = diagnostics.some((diagnostic) => diagnostic.file === file && diagnostic.level === 'Error');
      if (!failed && !existsSync(join(outDir, file.replace(/\.bicep$/, '.json')))) {
        diagnostics.push({
          step: 'build',
          file,
          level: 'Error',
          code: 'no-output',
          message: `bicep build wrote no ARM template for ${file}`,
        });
      }
    }
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
  return { dir, bicepVersion: bicep.version, files, diagnostics, passed: diagnostics.length === 0 };
}

/** The compiler's lines as it wrote them, then one verdict line. */
export function formatCompilerReport(report: CompilerReport): string {
  const lines = report.diagnostics.map((d) =>
    d.line === undefined
      ? `[bicep ${d.step}] ${d.file}: ${d.level} ${d.code}: ${d.message}`
      : `[bicep ${d.step}] ${d.file}(${d.line},${d.column}) : ${d.level} ${d.code}: ${d.message}`,
  );
  lines.push(
    report.passed
      ? `bicep ${report.bicepVersion}: ${report.files.length} templates build and lint clean`
      : `bicep ${report.bicepVersion}: ${report.diagnostics.length} diagnostics (errors and warnings both fail)`,
  );
  return lines.join('\n');
}
