/**
 * infra/deploy.sh cannot run here (no Azure, no func), so these checks keep it honest offline: it is valid
 * bash, every deployment output it reads is declared by main.bicep, and the files it passes exist.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadInfraProject } from '../../infra/validate/project';
import { INFRA_DIR } from './infra-copy';

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
