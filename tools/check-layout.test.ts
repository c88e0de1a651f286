import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { layoutProblems, lineCount, missingLayoutFolders, oversizedFiles, MAX_LINES } from './check-layout';

let root: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'check-layout-'));
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

function write(path: string, text: string): void {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), text);
}

const lines = (count: number) => 'x\n'.repeat(count);

describe('lineCount', () => {
  it('counts as wc -l does, plus a last line without a newline', () => {
    expect(lineCount('')).toBe(0);
    expect(lineCount('a\nb\n')).toBe(2);
    expect(lineCount('a\nb')).toBe(2);
  });
});

describe('oversizedFiles', () => {
  it('names every source file over the limit, skipping installed and generated folders and other file types', () => {
    write('shared/a/big.ts', lines(MAX_LINES + 1));
    write('admin-ui/src/Big.tsx', lines(MAX_LINES + 5));
    write('shared/a/fine.ts', lines(MAX_LINES));
    write('shared/a/notes.md', lines(MAX_LINES * 2));
    write('shared/node_modules/dep/index.js', lines(MAX_LINES * 2));
    write('infra/tools/bin/gen.js', lines(MAX_LINES * 2));
    write('elsewhere/big.ts', lines(MAX_LINES * 2));
    expect(oversizedFiles(root)).toEqual([
      { path: 'admin-ui/src/Big.tsx', lines: MAX_LINES + 5 },
      { path: 'shared/a/big.ts', lines: MAX_LINES + 1 },
    ]);
  });
});

describe('the README Layout section', () => {
  const readme = (layout: string) =>
    `# App\n\n## Layout\n\n${layout}\n## Deploy\n\n- \`gone/\` is outside the section\n`;

  it('names only folders that exist', () => {
    mkdirSync(join(root, 'shared/core'), { recursive: true });
    write('shared/core/x.ts', '');
    const text = readme(
      '- `shared/core/`: pure types\n- `shared/health/`: moved away\n- `shared/core/x.ts/`: a file\n- `shared/adapters/<provider>/`\n',
    );
    expect(missingLayoutFolders(text, root)).toEqual(['shared/health/', 'shared/core/x.ts/']);
  });

  it('is required', () => {
    write('README.md', '# App\n');
    expect(layoutProblems(root)).toEqual(['README.md: no "## Layout" section']);
  });
});
