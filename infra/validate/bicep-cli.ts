/**
 * Gets the real Bicep compiler: the NuGet package pinned in infra/tools/bicep-cli.csproj, restored with
 * `dotnet restore` into .local/bicep/ (git-ignored). A complete earlier restore is reused without starting
 * dotnet, so a warm run costs a few file checks. A machine without the .NET SDK gets an error that says how
 * to install it: the compiler check fails there, it is never skipped.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, chmodSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../shared/core/app-error';

const REPO_ROOT = join(__dirname, '..', '..');
export const BICEP_TOOLS_PROJECT = join(REPO_ROOT, 'infra', 'tools', 'bicep-cli.csproj');
export const DEFAULT_BICEP_CACHE_DIR = join(REPO_ROOT, '.local', 'bicep');
const PACKAGE_ID = 'Azure.Bicep.CommandLine.linux-x64';
const RESTORE_TIMEOUT_MS = 10 * 60_000;

export const DOTNET_INSTALL_HINT =
  'install the .NET SDK (any current version): `apt-get install dotnet-sdk-8.0` where the distribution ships it ' +
  "(Ubuntu 24.04, Debian 13), otherwise Microsoft's package feed or https://dot.net/download; then run " +
  '`npm run validate:infra` again';

export interface BicepCliOptions {
  /** Where the NuGet packages and restore files go; default .local/bicep/ in the repo. */
  cacheDir?: string;
  /** The dotnet command; default `dotnet` on PATH. */
  dotnet?: string;
}

export interface BicepCli {
  path: string;
  version: string;
  /** True when this call ran `dotnet restore`, false when a complete earlier restore was reused. */
  restored: boolean;
}

/** The exact version pinned in the tools project (the one place it is written). */
export function pinnedBicepVersion(project = BICEP_TOOLS_PROJECT): string {
  const match = /<PackageDownload\s+Include="Azure\.Bicep\.CommandLine\.linux-x64"\s+Version="\[([0-9][^\]]*)\]"/.exec(
    readFileSync(project, 'utf8'),
  );
  if (!match?.[1]) throw new AppError('configuration', `${project} pins no exact ${PACKAGE_ID} version ("[x.y.z]")`);
  return match[1];
}

function packageDir(cacheDir: string, version: string): string {
  // NuGet lays packages out as <id lower-case>/<version>/ in the folder given to --packages.
  return join(cacheDir, 'packages', PACKAGE_ID.toLowerCase(), version);
}

/** NuGet writes .nupkg.metadata last, so its presence means the package was extracted completely. */
function cachedExecutable(dir: string): string | undefined {
  const executable = join(dir, 'tools', 'bicep');
  return existsSync(join(dir, '.nupkg.metadata')) && existsSync(executable) ? executable : undefined;
}

function makeExecutable(path: string): void {
  try {
    accessSync(path, constants.X_OK);
  } catch {
    // The package stores the file as rwxr--r--, so the owner of a restore made by another user cannot be assumed.
    chmodSync(path, statSync(path).mode | 0o755);
  }
}

function restore(options: { dotnet: string; cacheDir: string; version: string }): void {
  const args = [
    'restore',
    BICEP_TOOLS_PROJECT,
    '--packages',
    join(options.cacheDir, 'packages'),
    // Restore files (project.assets.json) go beside the packages, never into infra/tools/.
    `-p:BaseIntermediateOutputPath=${join(options.cacheDir, 'obj')}/`,
    '--verbosity',
    'quiet',
  ];
  const result = spawnSync(options.dotnet, args, { encoding: 'utf8', timeout: RESTORE_TIMEOUT_MS });
  if (result.error && (result.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new AppError(
      'configuration',
      `the Bicep compiler comes from NuGet through the .NET SDK, and '${options.dotnet}' was not found: ${DOTNET_INSTALL_HINT}`,
      {
        target: 'dotnet',
      },
    );
  }
  if (result.error || result.status !== 0) {
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim();
    const why = result.error ? result.error.message : `exit code ${result.status}`;
    throw new AppError(
      'dependency_unavailable',
      `NuGet restore of ${PACKAGE_ID} ${options.version} failed (${why}): ${output}`,
      {
        target: BICEP_TOOLS_PROJECT,
      },
    );
  }
}

/** The pinned compiler, restored first when the cache lacks it. */
export function ensureBicepCli(options: BicepCliOptions = {}): BicepCli {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new AppError(
      'configuration',
      `the pinned Bicep compiler package is ${PACKAGE_ID}; this machine is ${process.platform}-${process.arch}`,
    );
  }
  const cacheDir = options.cacheDir ?? DEFAULT_BICEP_CACHE_DIR;
  const version = pinnedBicepVersion();
  const dir = packageDir(cacheDir, version);
  let path = cachedExecutable(dir);
  const restored = path === undefined;
  if (restored) {
    restore({ dotnet: options.dotnet ?? 'dotnet', cacheDir, version });
    path = cachedExecutable(dir);
    if (!path)
      throw new AppError(
        'dependency_unavailable',
        `NuGet restore succeeded but ${join(dir, 'tools', 'bicep')} is missing`,
      );
  }
  makeExecutable(path!);
  return { path: path!, version, restored };
}
