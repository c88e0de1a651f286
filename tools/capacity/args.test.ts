import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ArgumentError, parseArgs } from './args';

describe('capacity CLI arguments', () => {
  it('reads the contract arguments with their defaults', () => {
    expect(parseArgs(['--deliveries-per-s', '100', '--records-per-day', '1000000'])).toMatchObject({
      deliveriesPerS: 100,
      recordsPerDay: 1_000_000,
      tenants: 1,
      integrationsPerTenant: 1,
      environment: 'default',
      format: 'text',
    });
    expect(parseArgs(['--deliveries-per-s', '5', '--records-per-day', '0', '--tenants', '20'])).toMatchObject({
      tenants: 20,
    });
  });

  it.each([
    [['--deliveries-per-s', 'many', '--records-per-day', '1'], /--deliveries-per-s: "many" is not a number/],
    [['--deliveries-per-s', '-1', '--records-per-day', '1'], /--deliveries-per-s: "-1"/],
    [
      ['--deliveries-per-s', '1', '--records-per-day', '1', '--tenants', '0'],
      /--tenants: "0" is not a whole number of at least 1/,
    ],
    [['--deliveries-per-s', '1', '--records-per-day', '1', '--tenants', '2.5'], /--tenants: "2.5"/],
    [['--records-per-day', '1'], /--deliveries-per-s is required/],
    [['--deliveries-per-s', '1', '--records-per-day'], /--records-per-day: a value is required/],
    [['--deliveries-per-s', '1', '--records-per-day', '1', '--deliveries', '3'], /unknown argument --deliveries/],
    [['--deliveries-per-s', '1', '--records-per-day', '1', '--format', 'csv'], /--format: "csv"/],
  ])('refuses %j naming the argument', (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(ArgumentError);
    expect(() => parseArgs(argv)).toThrow(message);
  });

  it('reads --table with where its figures come from and where they go, and nothing of a load', () => {
    expect(parseArgs(['--table'])).toMatchObject({ mode: 'table', measured: expect.stringMatching(/measured\.json$/) });
    expect(parseArgs(['--measured', 'm.json', '--table', '--into', 'docs/capacity.md'])).toEqual({
      mode: 'table',
      measured: 'm.json',
      into: 'docs/capacity.md',
    });
    expect(() => parseArgs(['--table', '--deliveries-per-s', '5'])).toThrow(/--deliveries-per-s: not with --table/);
    expect(() => parseArgs(['--table', '--table'])).toThrow(/--table: given twice/);
    expect(() => parseArgs(['--deliveries-per-s', '1', '--records-per-day', '1', '--into', 'x.md'])).toThrow(
      /--into: only with --table/,
    );
  });

  it('exits with 2 and names the bad argument when run as a command', () => {
    const cli = join(__dirname, 'cli.ts');
    const run = spawnSync(
      process.execPath,
      ['--require', 'tsx/cjs', cli, '--deliveries-per-s', 'ten', '--records-per-day', '5'],
      {
        encoding: 'utf8',
        cwd: join(__dirname, '..', '..'),
      },
    );
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('--deliveries-per-s: "ten" is not a number');
    expect(run.stdout).toBe('');
  });
});
