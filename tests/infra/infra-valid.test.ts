/**
 * The infra/ folder in the repository passes every rule, and the rules really look at something: the
 * resources they judge are found, so a pass is not a pass over nothing.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { QUEUES } from '../../shared/stores/queue/queues';
import { CONTAINERS } from '../../shared/stores/documents/cosmos/containers';
import { loadInfraProject, resourcesOfType } from '../../infra/validate/project';
import { REQUIRED_ROLES } from '../../infra/validate/required-roles';
import { requiredAppSettings } from '../../infra/validate/required-settings';
import { RULES, validateProject } from '../../infra/validate/validate';
import { appSettingsOf, functionApps } from '../../infra/validate/rules/common';
import { INFRA_DIR } from './infra-copy';

const project = loadInfraProject(INFRA_DIR);
const report = validateProject(project);

describe('infra/ as committed', () => {
  test.each(RULES.map((rule) => [rule.id]))('rule %s passes', (id) => {
    const verdict = report.verdicts.find((candidate) => candidate.rule === id)!;
    expect(verdict.problems).toEqual([]);
    expect(verdict.passed).toBe(true);
  });

  test('every module file is used by main.bicep', () => {
    const modules = readdirSync(join(INFRA_DIR, 'modules')).filter((name) => name.endsWith('.bicep'));
    const main = project.files.find((file) => file.path === 'main.bicep')!;
    const used = new Set(main.modules.map((module) => module.path.replace(/^modules\//, '')));
    expect(modules.filter((name) => !used.has(name))).toEqual([]);
  });

  test('the rules find the resources they judge', () => {
    expect(resourcesOfType(project, 'Microsoft.ServiceBus/namespaces/queues')).toHaveLength(Object.keys(QUEUES).length);
    expect(resourcesOfType(project, 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers')).toHaveLength(
      Object.keys(CONTAINERS).length,
    );
    expect(resourcesOfType(project, 'Microsoft.Authorization/roleAssignments').length).toBe(
      REQUIRED_ROLES.filter((role) => role.kind === 'azure-rbac').length,
    );
    const [app] = functionApps(project);
    expect(app).toBeDefined();
    const names = appSettingsOf(app!).settings.map((setting) => setting.name);
    expect(names.length).toBeGreaterThanOrEqual(requiredAppSettings().length);
    expect(names).toContain('ServiceBusConnection__fullyQualifiedNamespace');
    expect(names).toContain('AzureWebJobsStorage__accountName');
  });

  test('required roles are distinct built-in role ids, each with a reason', () => {
    const ids = REQUIRED_ROLES.map((role) => role.roleDefinitionId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const role of REQUIRED_ROLES) {
      expect(role.roleDefinitionId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(role.neededBy.length).toBeGreaterThan(10);
    }
  });
});
