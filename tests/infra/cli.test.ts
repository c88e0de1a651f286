/**
 * The validator as a command (`npx tsx infra/validate/cli.ts [dir]`): a verdict line per rule, exit 0 on
 * the committed infra, exit 1 naming the failing rule on a broken copy, exit 2 on a missing folder.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { RULES } from '../../infra/validate/validate';
import { copyInfra } from './infra-copy';

const ROOT = join(__dirname, '..', '..');

function runCli(...args: string[]): { status: number | null; output: string } {
  const result = spawnSync(
    process.execPath,
    [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(ROOT, 'infra', 'validate', 'cli.ts'), ...args],
    {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    },
  );
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('infra/validate/cli.ts', () => {
  test('passes the committed infra with one verdict per rule', () => {
    const { status, output } = runCli();
    expect(output).toContain('infra valid');
    for (const rule of RULES) expect(output).toContain(`PASS  ${rule.id}:`);
    expect(status).toBe(0);
  });

  test('fails a broken copy and names the rule', () => {
    const copy = copyInfra();
    try {
      copy.edit('modules/servicebus.bicep', 'requiresSession: true', 'requiresSession: false');
      const { status, output } = runCli(copy.dir);
      expect(output).toContain('FAIL  service-bus-queues:');
      expect(output).toMatch(/\[service-bus-queues\] .*sync-inbound.*requiresSession/);
      expect(status).toBe(1);
    } finally {
      copy.remove();
    }
  });

  test('exits 2 when the folder does not exist', () => {
    const { status, output } = runCli(join(ROOT, 'no-such-infra'));
    expect(output).toContain('infra folder not found');
    expect(status).toBe(2);
  });
});
