/**
 * Removes from a production node_modules what Node never loads in Azure: source maps, TypeScript sources and
 * declarations, Markdown, and builds for other platforms (browser, react-native, workerd, and the esm/esnext
 * copies that only bundlers read through the "module"/"esnext" fields). A platform folder stays when any
 * entry Node can resolve (main, exports or imports under conditions other than the bundler and browser ones)
 * points into it, so a package whose `import` or `require` entry is its esm/ build keeps it.
 * tests/functions/shipped-package.test.ts loads every production dependency from the pruned tree.
 */
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, normalize, relative } from 'node:path';

/** Files Node does not load at run time (a .ts file in node_modules is never type-stripped either). */
const DEAD_FILE = /(\.map|\.[cm]?ts|\.md|\.markdown|\.tsbuildinfo)$|^changelog/i;
/** Folders that hold builds for another platform or for bundlers. */
const PLATFORM_DIRS = new Set(['browser', 'react-native', 'workerd', 'esm', 'esnext']);
/** Export conditions Node never matches by default. */
const FOREIGN_CONDITIONS = new Set([
  'browser',
  'react-native',
  'workerd',
  'worker',
  'deno',
  'edge-light',
  'types',
  'typings',
  'module',
  'esnext',
  'development',
]);

export interface PruneResult {
  removedFiles: number;
  removedDirs: string[];
}

/** Every path an entry Node can resolve may lead to, relative to the package root. */
function nodeTargets(manifest: Record<string, unknown>): string[] {
  const targets: string[] = [];
  const walk = (value: unknown): void => {
    if (typeof value === 'string') targets.push(normalize(value));
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) if (!FOREIGN_CONDITIONS.has(key)) walk(inner);
    }
  };
  walk(manifest.main ?? 'index.js');
  walk(manifest.exports);
  walk(manifest.imports);
  return targets;
}

function pruneFiles(dir: string, result: PruneResult): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) pruneFiles(path, result);
    else if (entry.isFile() && DEAD_FILE.test(entry.name)) {
      rmSync(path);
      result.removedFiles++;
    }
  }
}

/** Platform folders of one package (not inside its own node_modules) that no Node entry reaches. */
function prunePlatformDirs(packageDir: string, result: PruneResult): void {
  const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as Record<string, unknown>;
  const targets = nodeTargets(manifest);
  const visit = (dir: string, depth: number): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name === 'node_modules') continue;
      const path = join(dir, entry.name);
      const rel = relative(packageDir, path);
      if (PLATFORM_DIRS.has(entry.name) && !targets.some((target) => target === rel || target.startsWith(rel + '/'))) {
        rmSync(path, { recursive: true });
        result.removedDirs.push(relative(join(packageDir, '..'), path));
      } else if (depth < 3) visit(path, depth + 1);
    }
  };
  visit(packageDir, 1);
}

/** Every package folder under a node_modules folder, nested ones included. */
function packages(nodeModules: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(nodeModules)) {
    if (name.startsWith('.')) continue;
    const path = join(nodeModules, name);
    if (!statSync(path).isDirectory()) continue;
    const dirs = name.startsWith('@') ? readdirSync(path).map((inner) => join(path, inner)) : [path];
    for (const dir of dirs) {
      if (!existsSync(join(dir, 'package.json'))) continue;
      found.push(dir);
      if (existsSync(join(dir, 'node_modules'))) found.push(...packages(join(dir, 'node_modules')));
    }
  }
  return found;
}

export function pruneNodeModules(nodeModules: string): PruneResult {
  const result: PruneResult = { removedFiles: 0, removedDirs: [] };
  for (const dir of packages(nodeModules)) prunePlatformDirs(dir, result);
  pruneFiles(nodeModules, result);
  return result;
}
