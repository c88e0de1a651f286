/**
 * .funcignore decides what `func azure functionapp publish` uploads from the repository root. Its patterns
 * (gitignore syntax, applied with the `ignore` package as the Functions Core Tools apply theirs) must keep
 * secrets, tests, sources and development packages out, and the compiled app in.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ignore from 'ignore';

const ROOT = join(__dirname, '..', '..');
const rules = ignore().add(readFileSync(join(ROOT, '.funcignore'), 'utf8'));
const shipped = (path: string) => !rules.ignores(path);

/** Built, local or installed paths (git does not track them) that must ship. */
const SHIPPED = [
  'dist/functions/index.js',
  'dist/shared/config/settings.js',
  'dist/admin-ui/index.html',
  'dist/admin-ui/assets/index.js',
  'host.json',
  'package.json',
  'package-lock.json',
];
/** ... and that must not. */
const LEFT_OUT = [
  'dist/hosts/local/main.js',
  'dist/dev/sandboxes/github/server.js',
  '.local/admin-api-key',
  '.local/secrets.key',
  '.local/azd-package/dist/functions/index.js',
  'local.settings.json',
  'node_modules/jest/package.json',
  'node_modules/jose/package.json',
  'coverage/lcov.info',
  'tests/functions/shipped-package.test.ts',
  'admin-ui/src/main.tsx',
  'dev/sandboxes/index.ts',
  'hosts/local/main.ts',
];

describe('.funcignore', () => {
  const tracked = execFileSync('git', ['ls-files'], { cwd: ROOT, encoding: 'utf8' }).split('\n').filter(Boolean);

  it('ships the compiled app, the built admin UI and the host files', () => {
    for (const path of SHIPPED) expect([path, shipped(path)]).toEqual([path, true]);
  });

  it('leaves out .local/, tests, admin-ui sources, the local host, the sandboxes and every installed package', () => {
    for (const path of LEFT_OUT) expect([path, shipped(path)]).toEqual([path, false]);
  });

  it('ships no tracked file but host.json and the package files (every source, doc and template stays home)', () => {
    expect(tracked.length).toBeGreaterThan(100);
    expect(tracked.filter(shipped).sort()).toEqual(['host.json', 'package-lock.json', 'package.json']);
  });

  it('keeps the node_modules folder itself listed, so azd accepts remoteBuild: false for the staged package', () => {
    expect(rules.ignores('node_modules/')).toBe(false);
    expect(rules.ignores('node_modules/@azure/functions/package.json')).toBe(true);
  });
});
