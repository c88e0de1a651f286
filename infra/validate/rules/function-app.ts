/**
 * Rules about the Function App: it is a Flex Consumption app of the right shape, and its app settings
 * carry every setting the code reads in Azure (required-settings.ts), in identity-based form.
 */
import { describeValue, getPath, refsOf, type Value } from '../bicep-values';
import { resourcesOfType, where, type LocatedResource } from '../project';
import { PLATFORM_PROVIDED, requiredAppSettings } from '../required-settings';
import { appSettingsOf, functionApps, type Rule } from './common';

/** App settings Flex Consumption refuses or ignores (their job moved to functionAppConfig). */
const FLEX_REFUSED_SETTINGS = [
  'FUNCTIONS_WORKER_RUNTIME',
  'FUNCTIONS_EXTENSION_VERSION',
  'WEBSITE_RUN_FROM_PACKAGE',
  'WEBSITE_NODE_DEFAULT_VERSION',
  'WEBSITE_CONTENTSHARE',
  'WEBSITE_CONTENTAZUREFILECONNECTIONSTRING',
];
// Node 20 reached end of life on 2026-04-30; 22 is the default (infra/main.bicep).
const SUPPORTED_NODE_VERSIONS = ['22', '24'];

export const appSettings: Rule = {
  id: 'app-settings',
  title: 'the Function App sets every setting the app reads in Azure, identity-based',
  check(project) {
    const apps = functionApps(project);
    if (apps.length === 0) return ['no Function App (Microsoft.Web/sites with kind functionapp) is declared'];
    return apps.flatMap((app) => checkSettings(app));
  },
};

function checkSettings(app: LocatedResource): string[] {
  const at = where(app.file, app.resource.line);
  const { settings, problems } = appSettingsOf(app);
  const byName = new Map<string, Value | undefined>();
  for (const setting of settings) {
    if (byName.has(setting.name)) problems.push(`${at}: app setting ${setting.name} is set twice`);
    byName.set(setting.name, setting.value);
  }
  for (const requirement of requiredAppSettings()) {
    const satisfied = requirement.anyOf.some((names) => names.every((name) => byName.has(name)));
    if (!satisfied) {
      problems.push(
        `${at}: missing app setting ${requirement.anyOf.map((names) => names.join(' + ')).join(' or ')} (${requirement.why})`,
      );
      continue;
    }
    for (const [name, expected] of Object.entries(requirement.expected ?? {})) {
      const actual = byName.get(name);
      if (typeof actual === 'string' && actual !== expected)
        problems.push(`${at}: app setting ${name} is '${actual}', expected '${expected}'`);
    }
  }
  for (const [name, provided] of Object.entries(PLATFORM_PROVIDED)) {
    if (getPath(app.resource.body, provided.path) !== provided.expected) {
      problems.push(`${at}: ${name} is provided by ${provided.path}, which must be '${provided.expected}'`);
    }
  }
  return problems;
}

export const flexConsumption: Rule = {
  id: 'flex-consumption',
  title: 'the Function App runs on a Flex Consumption (FC1) plan with Node, identity-based deployment storage',
  check(project) {
    const plans = resourcesOfType(project, 'Microsoft.Web/serverfarms').filter(
      ({ resource }) =>
        getPath(resource.body, 'sku.name') === 'FC1' && getPath(resource.body, 'sku.tier') === 'FlexConsumption',
    );
    if (plans.length === 0) return ['no Microsoft.Web/serverfarms with sku FC1 / tier FlexConsumption is declared'];
    const apps = functionApps(project);
    if (apps.length === 0) return ['no Function App (Microsoft.Web/sites with kind functionapp) is declared'];
    return apps.flatMap((app) => checkFlexShape(app, plans));
  },
};

function checkFlexShape(app: LocatedResource, plans: LocatedResource[]): string[] {
  const at = where(app.file, app.resource.line);
  const body = app.resource.body;
  const problems: string[] = [];
  const expectEqual = (path: string, expected: string): void => {
    const actual = getPath(body, path);
    if (actual !== expected) problems.push(`${at}: ${path} must be '${expected}', found ${describeValue(actual)}`);
  };
  const expectSet = (path: string): void => {
    if (getPath(body, path) === undefined) problems.push(`${at}: ${path} is not set`);
  };

  const kind = String(body['kind'] ?? '');
  if (!kind.includes('linux')) problems.push(`${at}: kind must be 'functionapp,linux', found '${kind}'`);
  const farmRefs = refsOf(getPath(body, 'properties.serverFarmId'));
  if (!plans.some((plan) => plan.file === app.file && farmRefs.includes(plan.resource.symbol))) {
    problems.push(`${at}: properties.serverFarmId must point at the Flex Consumption plan declared beside it`);
  }
  expectEqual('properties.functionAppConfig.runtime.name', 'node');
  problems.push(...checkNodeVersion(app));
  expectEqual('properties.functionAppConfig.deployment.storage.type', 'blobContainer');
  expectSet('properties.functionAppConfig.deployment.storage.value');
  expectEqual('properties.functionAppConfig.deployment.storage.authentication.type', 'UserAssignedIdentity');
  expectSet('properties.functionAppConfig.deployment.storage.authentication.userAssignedIdentityResourceId');
  expectSet('properties.functionAppConfig.scaleAndConcurrency.maximumInstanceCount');
  expectSet('properties.functionAppConfig.scaleAndConcurrency.instanceMemoryMB');
  const identityType = getPath(body, 'identity.type');
  if (typeof identityType !== 'string' || !identityType.includes('UserAssigned'))
    problems.push(`${at}: identity.type must include 'UserAssigned'`);

  for (const setting of appSettingsOf(app).settings) {
    if (FLEX_REFUSED_SETTINGS.includes(setting.name))
      problems.push(
        `${at}: app setting ${setting.name} is not allowed on Flex Consumption (set functionAppConfig instead)`,
      );
  }
  return problems;
}

/** The version is a literal or a param whose @allowed list holds only supported versions. */
function checkNodeVersion(app: LocatedResource): string[] {
  const at = where(app.file, app.resource.line);
  const version = getPath(app.resource.body, 'properties.functionAppConfig.runtime.version');
  if (typeof version === 'string') {
    return SUPPORTED_NODE_VERSIONS.includes(version)
      ? []
      : [`${at}: Node version '${version}' is not one of ${SUPPORTED_NODE_VERSIONS.join(', ')}`];
  }
  const param = refsOf(version)
    .map((name) => app.file.params.get(name))
    .find((candidate) => candidate !== undefined);
  const allowed = param?.decorators['allowed'];
  if (
    !param ||
    !Array.isArray(allowed) ||
    !allowed.every((value) => typeof value === 'string' && SUPPORTED_NODE_VERSIONS.includes(value))
  ) {
    return [
      `${at}: functionAppConfig.runtime.version must be ${SUPPORTED_NODE_VERSIONS.join(' or ')} (a literal or a param with @allowed)`,
    ];
  }
  return [];
}
