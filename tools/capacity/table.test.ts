import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { capacity } from './cli';
import { replaceTableBlock, TABLE_BEGIN, TABLE_END } from './table';

describe('the Results tables of docs/capacity.md', () => {
  it('prints one table set per documented load, from the measured figures', () => {
    const block = capacity(['--table']);
    expect(block.startsWith(TABLE_BEGIN)).toBe(true);
    expect(block.trimEnd().endsWith(TABLE_END)).toBe(true);
    for (const heading of [
      '**100 deliveries/s and 10,000,000 records/day over 1 tenant(s) × 1 integration(s), default deployment**',
      '**1,000 deliveries/s and 10,000,000 records/day over 1 tenant(s) × 1 integration(s), default deployment**',
      '**10,000 deliveries/s and 10,000,000 records/day over 1 tenant(s) × 1 integration(s), default deployment**',
      '**10,000 deliveries/s and 10,000,000 records/day over 100 tenant(s) × 1 integration(s), prod deployment**',
    ])
      expect(block).toContain(heading);
    // The containers the product added since the first model are in it.
    expect(block).toMatch(/one logical partition of shard-history \(\/tenantId\)/);
    expect(block).toMatch(/one logical partition of activity \(\/tenantId\)/);
  });

  it('replaces only the block between the markers, formatted, and refuses a document without one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'capacity-table-'));
    const file = join(dir, 'doc.md');
    writeFileSync(file, `# Before\n\n${TABLE_BEGIN}\nold\n${TABLE_END}\n\n## After\n`);
    capacity(['--table', '--into', file]);
    const doc = readFileSync(file, 'utf8');
    expect(doc.startsWith('# Before\n')).toBe(true);
    expect(doc.endsWith('## After\n')).toBe(true);
    expect(doc).not.toContain('\nold\n');
    expect(doc).toContain('| part ');
    expect(() => replaceTableBlock('# no block\n', 'x', 'doc.md')).toThrow(/doc\.md has no table block/);
  });
});
