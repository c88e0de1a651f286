/**
 * Each case copies infra/ to a temp folder, breaks exactly one thing, and asserts that validation fails
 * with the rule that guards it named in the failure (and, where the break is local, no other rule).
 */
import { assertInfraValid, validateInfra } from '../../infra/validate/validate';
import { RULE_IDS, type RuleId } from '../../infra/validate/rules/common';
import { copyInfra, type InfraCopy } from './infra-copy';

interface BreakCase {
  name: string;
  rule: RuleId;
  /** Only the named rule may fail; false where a break legitimately upsets more (a syntax error). */
  exclusive?: boolean;
  breakIt(copy: InfraCopy): void;
}

const CASES: BreakCase[] = [
  {
    name: 'remove the sync-outbound queue',
    rule: 'service-bus-queues',
    breakIt: (copy) => copy.edit('modules/servicebus.bicep', /resource syncOutbound [\s\S]*?\n}\n/, ''),
  },
  {
    name: 'turn sessions off on sync-inbound',
    rule: 'service-bus-queues',
    breakIt: (copy) => copy.edit('modules/servicebus.bicep', 'requiresSession: true', 'requiresSession: false'),
  },
  {
    name: 'allow the Basic Service Bus tier',
    rule: 'service-bus-queues',
    breakIt: (copy) =>
      copy.edit('modules/servicebus.bicep', "@allowed([\n  'Standard'", "@allowed([\n  'Basic'\n  'Standard'"),
  },
  {
    name: 'change the partition key of sync-runs',
    rule: 'cosmos-containers',
    breakIt: (copy) =>
      copy.edit('modules/cosmos.bicep', /(id: 'sync-runs'[\s\S]*?paths: \[\s*)'\/integrationId'/, "$1'/tenantId'"),
  },
  {
    name: 'drop the REDIS_URL app setting',
    rule: 'app-settings',
    breakIt: (copy) => copy.edit('modules/functionapp.bicep', /\s*\{\s*name: 'REDIS_URL'\n\s*value: [^\n]*\n\s*\}/, ''),
  },
  {
    name: 'drop ServiceBusConnection__fullyQualifiedNamespace',
    rule: 'app-settings',
    breakIt: (copy) =>
      copy.edit(
        'modules/functionapp.bicep',
        /\s*\{\s*name: 'ServiceBusConnection__fullyQualifiedNamespace'\n\s*value: [^\n]*\n\s*\}/,
        '',
      ),
  },
  {
    name: 'drop the EventGrid Data Sender role assignment',
    rule: 'role-assignments',
    breakIt: (copy) => copy.edit('modules/roles.bicep', /resource eventGridSender [\s\S]*?\n}\n/, ''),
  },
  {
    name: 'scope the EventGrid Data Sender role to the Key Vault',
    rule: 'role-assignments',
    breakIt: (copy) => copy.edit('modules/roles.bicep', /(resource eventGridSender [\s\S]*?scope: )topic/, '$1vault'),
  },
  {
    name: 'drop the Cosmos DB data role',
    rule: 'role-assignments',
    breakIt: (copy) => copy.edit('modules/roles.bicep', /\/\/ Scoped to the one database[\s\S]*?\n}\n/, ''),
  },
  {
    name: 'add an AccountKey connection string app setting',
    rule: 'identity-only',
    breakIt: (copy) =>
      copy.edit(
        'modules/functionapp.bicep',
        'appSettings: [\n',
        "appSettings: [\n        {\n          name: 'ARCHIVE_CONNECTION'\n          value: 'DefaultEndpointsProtocol=https;AccountName=${hostStorage.name};AccountKey=${hostStorage.listKeys().keys[0].value}'\n        }\n",
      ),
  },
  {
    name: 'turn Redis access keys back on',
    rule: 'identity-only',
    breakIt: (copy) =>
      copy.edit('modules/redis.bicep', "accessKeysAuthentication: 'Disabled'", "accessKeysAuthentication: 'Enabled'"),
  },
  {
    name: 'drop the Redis access policy assignment of the app identity',
    rule: 'identity-only',
    breakIt: (copy) => copy.edit('modules/redis.bicep', /\/\/ The built-in 'default' access policy[\s\S]*?\n}\n/, ''),
  },
  {
    name: 'let the app sign in to Redis with a key instead of Entra ID',
    rule: 'app-settings',
    breakIt: (copy) =>
      copy.edit('modules/functionapp.bicep', /(name: 'REDIS_AUTH_MODE'\n\s*value: )'entra'/, "$1'password'"),
  },
  {
    name: 'turn Cosmos DB local (key) auth back on',
    rule: 'identity-only',
    breakIt: (copy) => copy.edit('modules/cosmos.bicep', 'disableLocalAuth: true', 'disableLocalAuth: false'),
  },
  {
    name: 'remove minimumTlsVersion from Redis',
    rule: 'min-tls',
    breakIt: (copy) => copy.edit('modules/redis.bicep', "    minimumTlsVersion: '1.2'\n", ''),
  },
  {
    name: 'lower the storage TLS minimum',
    rule: 'min-tls',
    breakIt: (copy) => copy.edit('modules/storage.bicep', "minimumTlsVersion: 'TLS1_2'", "minimumTlsVersion: 'TLS1_0'"),
  },
  {
    name: 'hard-code public network access on Cosmos DB',
    rule: 'public-network-access',
    breakIt: (copy) =>
      copy.edit(
        'modules/cosmos.bicep',
        '    publicNetworkAccess: publicNetworkAccess\n',
        "    publicNetworkAccess: 'Enabled'\n",
      ),
  },
  {
    name: 'remove Key Vault purge protection',
    rule: 'key-vault',
    breakIt: (copy) =>
      copy.edit('modules/keyvault.bicep', 'enablePurgeProtection: true', 'enablePurgeProtection: false'),
  },
  {
    name: 'put the Function App on a classic consumption plan',
    rule: 'flex-consumption',
    breakIt: (copy) => copy.edit('modules/functionapp.bicep', "name: 'FC1'", "name: 'Y1'"),
  },
  {
    name: 'forget a required module param',
    rule: 'module-wiring',
    breakIt: (copy) => copy.edit('main.bicep', '    appPrincipalId: identity.outputs.principalId\n', ''),
  },
  {
    name: 'name an unknown param in the prod parameter file',
    rule: 'parameter-files',
    breakIt: (copy) =>
      copy.edit(
        'params/prod.parameters.json',
        '"parameters": {',
        '"parameters": {\n    "redisSkuName": { "value": "Premium" },',
      ),
  },
  {
    name: 'introduce a syntax error',
    rule: 'bicep-syntax',
    exclusive: false,
    breakIt: (copy) =>
      copy.edit(
        'main.bicep',
        '    tags: allTags\n  }\n}\n\nmodule monitoring',
        '    tags: allTags\n  }\n\nmodule monitoring',
      ),
  },
];

describe('validation fails on deliberately broken copies of infra/', () => {
  test('every rule is shown failing by at least one case', () => {
    const covered = new Set(CASES.map((testCase) => testCase.rule));
    expect(RULE_IDS.filter((id) => !covered.has(id))).toEqual([]);
  });

  test.each(CASES.map((testCase) => [testCase.name, testCase] as const))('%s', (_name, testCase) => {
    const copy = copyInfra();
    try {
      testCase.breakIt(copy);
      const failed = validateInfra(copy.dir)
        .verdicts.filter((verdict) => !verdict.passed)
        .map((verdict) => verdict.rule);
      if (testCase.exclusive === false) expect(failed).toContain(testCase.rule);
      else expect(failed).toEqual([testCase.rule]);
      expect(() => assertInfraValid(copy.dir)).toThrow(`[${testCase.rule}]`);
    } finally {
      copy.remove();
    }
  });
});
