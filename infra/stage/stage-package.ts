/**
 * Builds the folder that ships to Azure, the one way deploy.sh, `azd up` (azure.yaml) and
 * tests/functions/shipped-package.test.ts all use:
 *   dist/             the product compiled with tsconfig.deploy.json (no local host, no provider sandboxes),
 *                     plus the built admin UI in dist/admin-ui
 *   host.json, package.json, package-lock.json
 *   node_modules/     `npm ci --omit=dev`, then pruned of what Node never loads (prune.ts)
 * To check the staged package, stage it outside the repository: from inside, Node would also find the
 * repository's node_modules and a missing production dependency would go unnoticed. (azd stages into
 * .local/azd-package, which is only zipped, never run there.)
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pruneNodeModules } from './prune';

export interface StageOptions {
  /** The repository root. */
  root: string;
  /** Where to stage (created; must be empty or absent). */
  dest: string;
  /**
   * A folder that keeps pruned production node_modules by lockfile hash, so repeated stagings (the test) skip
   * `npm ci`. The staged node_modules is then hard-linked to it: read it, never write it. Deployments leave
   * it unset and always install afresh.
   */
  nodeModulesCache?: string;
  log?: (line: string) => void;
}

export interface StageResult {
  dest: string;
  /** True when node_modules came from the cache. */
  cached: boolean;
}

const PACKAGE_FILES = ['host.json', 'package.json', 'package-lock.json'];

/** Runs a build step; a failure carries the step's own output (compiler errors go to stdout). */
function run(command: string, args: string[], cwd: string): void {
  try {
    // npm is npm.cmd on Windows (azd's pwsh hook), which only a shell runs.
    const shell = process.platform === 'win32' && command === 'npm';
    execFileSync(command, args, {
      cwd,
      shell,
      stdio: ['ignore', 'pipe', 'pipe'],
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; message: string };
    const output = `${failed.stdout ?? ''}${failed.stderr ?? ''}`.trim().split('\n').slice(-30).join('\n');
    throw new Error(`${[command, ...args].join(' ')} failed:\n${output || failed.message}`);
  }
}

/** What decides the production tree: the lockfile, the manifest and the pruning rules. */
function cacheKey(root: string): string {
  const hash = createHash('sha256');
  for (const file of ['package.json', 'package-lock.json']) hash.update(readFileSync(join(root, file)));
  hash.update(readFileSync(join(__dirname, 'prune.ts')));
  return hash.digest('hex').slice(0, 16);
}

function installProduction(dest: string): void {
  run('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline'], dest);
  pruneNodeModules(join(dest, 'node_modules'));
}

/** node_modules from the cache, filled first when needed (through a rename, so a half-written copy never counts). */
function installFromCache(dest: string, cacheDir: string, key: string): boolean {
  const entry = join(cacheDir, key);
  const hit = existsSync(entry);
  if (!hit) {
    const scratch = join(cacheDir, `${key}.${process.pid}.tmp`);
    rmSync(scratch, { recursive: true, force: true });
    mkdirSync(scratch, { recursive: true });
    for (const file of ['package.json', 'package-lock.json']) cpSync(join(dest, file), join(scratch, file));
    installProduction(scratch);
    // Trees of other keys are stale lockfiles: keep one (a concurrent fill of this key is left alone).
    for (const name of readdirSync(cacheDir))
      if (!name.startsWith(key)) rmSync(join(cacheDir, name), { recursive: true, force: true });
    try {
      renameSync(scratch, entry);
    } catch (error) {
      // Another process filled the same key first: use its tree.
      rmSync(scratch, { recursive: true, force: true });
      if (!existsSync(entry)) throw error;
    }
  }
  try {
    // Hard links: a copy of ~15,000 files takes minutes on a busy machine, links take a second.
    execFileSync('cp', ['-al', join(entry, 'node_modules'), join(dest, 'node_modules')], { stdio: 'ignore' });
  } catch {
    rmSync(join(dest, 'node_modules'), { recursive: true, force: true });
    cpSync(join(entry, 'node_modules'), join(dest, 'node_modules'), { recursive: true, verbatimSymlinks: true });
  }
  return hit;
}

export function stagePackage(options: StageOptions): StageResult {
  const root = resolve(options.root);
  const dest = resolve(options.dest);
  const log = options.log ?? (() => undefined);
  if (existsSync(dest) && readdirSync(dest).length > 0) throw new Error(`stage folder ${dest} is not empty`);
  mkdirSync(dest, { recursive: true });

  log('compiling (tsconfig.deploy.json)');
  run(
    process.execPath,
    [
      require.resolve('typescript/bin/tsc', { paths: [root] }),
      '-p',
      'tsconfig.deploy.json',
      '--outDir',
      join(dest, 'dist'),
    ],
    root,
  );
  log('building the admin UI');
  const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  run(
    process.execPath,
    [
      vite,
      'build',
      '--config',
      'admin-ui/vite.config.ts',
      '--outDir',
      join(dest, 'dist', 'admin-ui'),
      '--emptyOutDir',
      '--logLevel',
      'warn',
    ],
    root,
  );
  for (const file of PACKAGE_FILES) cpSync(join(root, file), join(dest, file));

  let cached = false;
  if (options.nodeModulesCache) {
    log('production dependencies (cached by lockfile)');
    cached = installFromCache(dest, options.nodeModulesCache, cacheKey(root));
  } else {
    log('production dependencies (npm ci --omit=dev)');
    installProduction(dest);
  }
  return { dest, cached };
}
