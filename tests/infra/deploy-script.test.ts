/**
 * infra/deploy.sh cannot run here (no Azure, no func), so these checks keep it honest offline: it is valid
 * bash, every deployment output it reads is declared by main.bicep, and the files it passes exist.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadInfraProject } from '../../infra/validate/project';
import { INFRA_DIR } from './infra-copy';
import { deletedVault, runDeployWhatIf } from './fake-az';

const SCRIPT = join(INFRA_DIR, 'deploy.sh');
const source = readFileSync(SCRIPT, 'utf8');

describe('infra/deploy.sh', () => {
  test('is valid bash', () => {
    const result = spawnSync('bash', ['-n', SCRIPT], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  test('reads only outputs that main.bicep declares', () => {
    const main = loadInfraProject(INFRA_DIR).files.find((file) => file.path === 'main.bicep')!;
    const read = [...source.matchAll(/(?:output |properties\.outputs\.)(\w+)/g)].map((match) => match[1]!);
    expect(read.length).toBeGreaterThan(3);
    expect(read.filter((name) => !main.outputs.includes(name))).toEqual([]);
  });

  test('validates before what-if, and what-if before create', () => {
    const validate = source.indexOf('npm run --silent validate:infra');
    const whatIf = source.indexOf('az deployment group what-if "${DEPLOY_ARGS[@]}"');
    const create = source.indexOf('az deployment group create "${DEPLOY_ARGS[@]}"');
    expect(validate).toBeGreaterThan(0);
    expect(whatIf).toBeGreaterThan(validate);
    expect(create).toBeGreaterThan(whatIf);
  });

  test.each(['dev', 'staging', 'prod'])('has a parameter file for %s', (environment) => {
    expect(existsSync(join(INFRA_DIR, 'params', `${environment}.parameters.json`))).toBe(true);
    expect(source).toContain('infra/params/$ENVIRONMENT.parameters.json');
  });
});

describe('infra/deploy.sh after the resource group was deleted (fake az)', () => {
  const subscriptionId = '00000000-0000-0000-0000-0000000000aa';
  const ours = { app: 'integration-sync-engine', environment: 'dev' };
  const vault = (name: string, group: string, location: string, tags: Record<string, string> = ours) =>
    deletedVault(name, { subscriptionId, group, location, tags });

  test('recovers the soft-deleted Key Vault of this deployment into the recreated group, before what-if', () => {
    // Resource group names are case-insensitive in Azure: the vault id may spell it differently.
    const run = runDeployWhatIf({
      subscriptionId,
      groupExists: false,
      groupLocation: 'westeurope',
      deletedVaults: [vault('kvisyncdab12cd', 'RG-Sync-Dev', 'westeurope')],
    });
    expect(run.stderr).not.toMatch(/unexpected call/);
    expect(run.status).toBe(0);
    const create = run.calls.findIndex((call) => call.startsWith('az group create -n rg-sync-dev'));
    const recover = run.calls.indexOf(
      'az keyvault recover --name kvisyncdab12cd --resource-group rg-sync-dev --location westeurope -o none',
    );
    const whatIf = run.calls.findIndex((call) => call.startsWith('az deployment group what-if'));
    expect(create).toBeGreaterThanOrEqual(0);
    expect(recover).toBeGreaterThan(create);
    expect(whatIf).toBeGreaterThan(recover);
    expect(run.stdout).toContain('recovering soft-deleted Key Vault kvisyncdab12cd into rg-sync-dev');
  });

  test("leaves alone another group's, another environment's and another application's deleted vaults", () => {
    const run = runDeployWhatIf({
      subscriptionId,
      groupExists: true,
      groupLocation: 'westeurope',
      deletedVaults: [
        vault('kvisyncdother1', 'rg-sync-dev-old', 'westeurope'),
        vault('kvisyncsab12cd', 'rg-sync-dev', 'westeurope', { ...ours, environment: 'staging' }),
        vault('kvsomeoneelse', 'rg-sync-dev', 'westeurope', { app: 'billing' }),
        deletedVault('kvisyncdab12cd', {
          subscriptionId: '00000000-0000-0000-0000-0000000000bb',
          group: 'rg-sync-dev',
          location: 'westeurope',
          tags: ours,
        }),
      ],
    });
    expect(run.stderr).not.toMatch(/unexpected call/);
    expect(run.status).toBe(0);
    expect(run.calls.filter((call) => call.startsWith('az keyvault recover'))).toEqual([]);
    expect(run.calls.some((call) => call.startsWith('az deployment group what-if'))).toBe(true);
  });

  test('stops with the region to use when the vault was deleted in another region than the group', () => {
    const run = runDeployWhatIf({
      subscriptionId,
      groupExists: false,
      groupLocation: 'northeurope',
      deletedVaults: [vault('kvisyncdab12cd', 'rg-sync-dev', 'westeurope')],
    });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('is soft-deleted in westeurope, but rg-sync-dev is in northeurope');
    expect(run.stderr).toContain('--location westeurope');
    expect(
      run.calls.filter((call) => call.startsWith('az keyvault recover') || call.startsWith('az deployment group')),
    ).toEqual([]);
  });
});
