/**
 * Every `require` of a compiled folder, resolved the way Node resolves it from the requiring file. The shipped
 * package test uses it to prove that what dist/ needs is inside the staged package (and that the local host
 * and the provider fakes are not). tsc compiles `import()` to `require()` too, so lazy imports are covered.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import { join, relative, sep } from 'node:path';

export interface RequireSite {
  /** The requiring file, relative to the package root. */
  file: string;
  specifier: string;
  /** The resolved path, or undefined when Node cannot resolve it. */
  resolved?: string;
}

const REQUIRE_CALL = /\brequire\(\s*(['"])([^'"]+)\1\s*\)/g;

function jsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return jsFiles(path);
    return entry.isFile() && /\.[cm]?js$/.test(entry.name) ? [path] : [];
  });
}

/** Every non-builtin require under `<packageRoot>/<folder>`, with what it resolves to. */
export function requireSites(packageRoot: string, folder = 'dist'): RequireSite[] {
  const sites: RequireSite[] = [];
  for (const file of jsFiles(join(packageRoot, folder))) {
    const requireFrom = createRequire(file);
    for (const match of readFileSync(file, 'utf8').matchAll(REQUIRE_CALL)) {
      const specifier = match[2]!;
      if (isBuiltin(specifier)) continue;
      let resolved: string | undefined;
      try {
        resolved = requireFrom.resolve(specifier);
      } catch {
        resolved = undefined;
      }
      sites.push({ file: relative(packageRoot, file), specifier, resolved });
    }
  }
  return sites;
}

/** The sites that do not resolve, or resolve outside the package root. */
export function requiresOutside(packageRoot: string, sites: RequireSite[]): RequireSite[] {
  return sites.filter((site) => site.resolved === undefined || !site.resolved.startsWith(packageRoot + sep));
}
