/**
 * Layout checks for CI (`npm run check:layout`): no source file over MAX_LINES lines (a file that long holds two
 * ideas: split it by responsibility), and every folder the README's "Layout" section names exists, so the map
 * cannot drift from the tree. Prints every problem, exits 1 when there is any.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';

export const MAX_LINES = 400;
/** Where our own source lives (generated and installed folders below them are skipped). */
export const SOURCE_FOLDERS = ['functions', 'shared', 'hosts', 'dev', 'tests', 'tools', 'admin-ui', 'infra'];
const SOURCE_FILE = /\.(ts|tsx|js|mjs)$/;
const SKIPPED_FOLDERS = new Set(['node_modules', 'dist', 'coverage', '.local', 'bin', 'obj']);

/** Lines as `wc -l` counts them for a file that ends with a newline (a last line without one counts too). */
export function lineCount(text: string): number {
  if (text === '') return 0;
  const breaks = text.split('\n').length - 1;
  return text.endsWith('\n') ? breaks : breaks + 1;
}

function walk(root: string, folder: string, found: string[]): void {
  for (const entry of readdirSync(join(root, folder), { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_FOLDERS.has(entry.name)) walk(root, path, found);
    } else if (entry.isFile() && SOURCE_FILE.test(entry.name)) {
      found.push(path.split(sep).join('/'));
    }
  }
}

/** Source files under `folders` of `root`, as paths relative to root with forward slashes, sorted. */
export function sourceFiles(root: string, folders: readonly string[] = SOURCE_FOLDERS): string[] {
  const found: string[] = [];
  for (const folder of folders) if (existsSync(join(root, folder))) walk(root, folder, found);
  return found.sort();
}

export function oversizedFiles(
  root: string,
  folders: readonly string[] = SOURCE_FOLDERS,
): Array<{ path: string; lines: number }> {
  return sourceFiles(root, folders)
    .map((path) => ({ path, lines: lineCount(readFileSync(join(root, path), 'utf8')) }))
    .filter((file) => file.lines > MAX_LINES);
}

/** The text of the README's "## Layout" section (up to the next second-level heading); undefined without one. */
export function layoutSection(readme: string): string | undefined {
  const start = readme.search(/^## Layout\s*$/m);
  if (start < 0) return undefined;
  const rest = readme.slice(start + 1);
  const end = rest.search(/^## /m);
  return end < 0 ? rest : rest.slice(0, end);
}

/**
 * Folders the Layout section names (backticked, from the repository root, ending in "/") that do not exist under
 * root. Placeholders such as `shared/adapters/<provider>/` are not checked.
 */
export function missingLayoutFolders(readme: string, root: string): string[] {
  const section = layoutSection(readme) ?? '';
  const named = [...section.matchAll(/`([^`\s<>*{}]+\/)`/g)].map((match) => match[1]!);
  return [...new Set(named)].filter((folder) => {
    const path = join(root, folder);
    return !existsSync(path) || !statSync(path).isDirectory();
  });
}

export function layoutProblems(root: string): string[] {
  const problems = oversizedFiles(root).map(
    ({ path, lines }) => `${path}: ${lines} lines (at most ${MAX_LINES}: split it by responsibility)`,
  );
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  if (layoutSection(readme) === undefined) problems.push('README.md: no "## Layout" section');
  for (const folder of missingLayoutFolders(readme, root))
    problems.push(`README.md Layout names ${folder}, which does not exist`);
  return problems;
}

if (require.main === module) {
  const root = join(__dirname, '..');
  const problems = layoutProblems(root);
  for (const problem of problems) console.error(problem);
  if (problems.length > 0) process.exit(1);
  console.log(
    `layout: ${sourceFiles(root).length} source files within ${MAX_LINES} lines, README Layout folders exist`,
  );
}
