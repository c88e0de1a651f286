/**
 * Security rules: identities instead of keys, TLS 1.2 minimum, public network access as a parameter, and a
 * Key Vault that cannot lose secrets by accident.
 */
import { describeValue, flattenStrings, getPath, refsOf, type Value } from '../bicep-values';
import { resourcesOfType, where, type InfraProject, type LocatedResource } from '../project';
import { KEY_BASED_SETTINGS } from '../required-settings';
import { appSettingsOf, functionApps, type Rule } from './common';

/** Key-bearing connection-string fragments; none has a place anywhere in this infra. */
const KEY_FRAGMENTS = /(AccountKey|SharedAccessKey|SharedAccessSignature)=/i;

/** Resource type → property path → required literal value. */
type Requirements = Record<string, Record<string, Value>>;

/** Each type must be declared at least once (a rule over nothing would pass by accident) and set each value. */
function requireLiterals(project: InfraProject, requirements: Requirements): string[] {
  const problems: string[] = [];
  for (const [type, properties] of Object.entries(requirements)) {
    const declared = resourcesOfType(project, type);
    if (declared.length === 0) problems.push(`no ${type} is declared`);
    for (const located of declared) {
      for (const [path, expected] of Object.entries(properties)) {
        const actual = getPath(located.resource.body, path);
        if (actual !== expected) {
          problems.push(
            `${where(located.file, located.resource.line)}: ${type} '${located.resource.symbol}' must set ${path}: ${JSON.stringify(expected)}, found ${describeValue(actual)}`,
          );
        }
      }
    }
  }
  return problems;
}

export const identityOnly: Rule = {
  id: 'identity-only',
  title: 'no keys or key-bearing connection strings where an identity works; local auth off',
  check(project) {
    const problems = requireLiterals(project, {
      'Microsoft.DocumentDB/databaseAccounts': { 'properties.disableLocalAuth': true },
      'Microsoft.ServiceBus/namespaces': { 'properties.disableLocalAuth': true },
      'Microsoft.EventGrid/topics': { 'properties.disableLocalAuth': true },
      'Microsoft.Storage/storageAccounts': { 'properties.allowSharedKeyAccess': false },
      'Microsoft.Insights/components': { 'properties.DisableLocalAuth': true },
      'Microsoft.Cache/redisEnterprise/databases': { 'properties.accessKeysAuthentication': 'Disabled' },
      // With keys off, the access policy assignment is how the app identity reaches Redis at all.
      'Microsoft.Cache/redisEnterprise/databases/accessPolicyAssignments': { 'properties.accessPolicyName': 'default' },
    });
    for (const file of project.files) {
      // Every service the app reaches, Redis included (Entra ID tokens), takes the managed identity: no key is
      // read at deploy time, not even into a Key Vault secret.
      for (const call of file.secretCalls) {
        problems.push(
          `${file.path}:${call.line}: ${call.name}() puts a key into the deployment; use the managed identity`,
        );
      }
      for (const resource of file.resources) {
        const keyed = flattenStrings(resource.body).find((text) => KEY_FRAGMENTS.test(text));
        if (keyed)
          problems.push(
            `${where(file, resource.line)}: '${resource.symbol}' holds a key-bearing connection string (${keyed.match(KEY_FRAGMENTS)![0]}…)`,
          );
      }
      for (const module of file.modules) {
        const keyed = flattenStrings(module.params).find((text) => KEY_FRAGMENTS.test(text));
        if (keyed)
          problems.push(
            `${where(file, module.line)}: module '${module.symbol}' is passed a key-bearing connection string (${keyed.match(KEY_FRAGMENTS)![0]}…)`,
          );
      }
    }
    for (const app of functionApps(project)) problems.push(...keyBasedSettings(app));
    return problems;
  },
};

function keyBasedSettings(app: LocatedResource): string[] {
  return appSettingsOf(app)
    .settings.filter((setting) => setting.name in KEY_BASED_SETTINGS)
    .map(
      (setting) =>
        `${where(app.file, app.resource.line)}: app setting ${setting.name} is key-based; use ${KEY_BASED_SETTINGS[setting.name]}`,
    );
}

export const minTls: Rule = {
  id: 'min-tls',
  title: 'TLS 1.2 minimum and HTTPS only on every endpoint that has the setting',
  check(project) {
    return requireLiterals(project, {
      'Microsoft.Storage/storageAccounts': {
        'properties.minimumTlsVersion': 'TLS1_2',
        'properties.supportsHttpsTrafficOnly': true,
      },
      'Microsoft.Cache/redisEnterprise': { 'properties.minimumTlsVersion': '1.2' },
      'Microsoft.Cache/redisEnterprise/databases': { 'properties.clientProtocol': 'Encrypted' },
      'Microsoft.ServiceBus/namespaces': { 'properties.minimumTlsVersion': '1.2' },
      'Microsoft.DocumentDB/databaseAccounts': { 'properties.minimalTlsVersion': 'Tls12' },
      'Microsoft.EventGrid/topics': { 'properties.minimumTlsVersionAllowed': '1.2' },
      'Microsoft.Web/sites': { 'properties.siteConfig.minTlsVersion': '1.2', 'properties.httpsOnly': true },
    });
  },
};

const NETWORK_TYPES = [
  'Microsoft.Storage/storageAccounts',
  'Microsoft.ServiceBus/namespaces',
  'Microsoft.DocumentDB/databaseAccounts',
  'Microsoft.KeyVault/vaults',
  'Microsoft.Cache/redisEnterprise',
  'Microsoft.EventGrid/topics',
  'Microsoft.Web/sites',
];

export const publicNetworkAccess: Rule = {
  id: 'public-network-access',
  title: 'public network access is set from a parameter on every networked resource',
  check(project) {
    const problems: string[] = [];
    for (const type of NETWORK_TYPES) {
      for (const located of resourcesOfType(project, type)) {
        const value = getPath(located.resource.body, 'properties.publicNetworkAccess');
        if (!refsOf(value).some((name) => located.file.params.has(name))) {
          problems.push(
            `${where(located.file, located.resource.line)}: ${type} '${located.resource.symbol}' must take properties.publicNetworkAccess from a param, found ${describeValue(value)}`,
          );
        }
      }
    }
    for (const file of project.files) {
      for (const module of file.modules) {
        if (!('publicNetworkAccess' in module.params)) continue;
        if (!refsOf(module.params['publicNetworkAccess']).some((name) => file.params.has(name))) {
          problems.push(
            `${where(file, module.line)}: module '${module.symbol}' must pass publicNetworkAccess from a param of ${file.path}`,
          );
        }
      }
    }
    return problems;
  },
};

export const keyVault: Rule = {
  id: 'key-vault',
  title: 'Key Vault uses RBAC, soft delete and purge protection',
  check(project) {
    return requireLiterals(project, {
      'Microsoft.KeyVault/vaults': {
        'properties.enableRbacAuthorization': true,
        'properties.enableSoftDelete': true,
        'properties.enablePurgeProtection': true,
      },
    });
  },
};
