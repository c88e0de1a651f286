/**
 * Test helper: a throw-away copy of infra/ that a test breaks on purpose. Every edit must match, so a test
 * can never "break" something that is not there and pass for the wrong reason.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const INFRA_DIR = join(__dirname, '..', '..', 'infra');

export interface InfraCopy {
  dir: string;
  /** Replace the first match of `pattern` in `file` (relative to infra/); throws when nothing matches. */
  edit(file: string, pattern: RegExp | string, replacement: string): void;
  remove(): void;
}

export function copyInfra(): InfraCopy {
  const root = mkdtempSync(join(tmpdir(), 'infra-copy-'));
  const dir = join(root, 'infra');
  cpSync(INFRA_DIR, dir, { recursive: true });
  return {
    dir,
    edit(file, pattern, replacement) {
      const path = join(dir, file);
      const before = readFileSync(path, 'utf8');
      const matched = typeof pattern === 'string' ? before.includes(pattern) : pattern.test(before);
      if (!matched) throw new Error(`test set-up: ${String(pattern)} not found in ${file}`);
      const after = before.replace(pattern, replacement);
      if (after === before) throw new Error(`test set-up: editing ${file} changed nothing`);
      writeFileSync(path, after);
    },
    remove() {
      rmSync(root, { recursive: true, force: true });
    },
  };
}
