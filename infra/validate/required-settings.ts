/**
 * What the Function App's app settings must contain, derived from the code: every setting of
 * shared/config/setting-docs.ts marked `azure: true`, plus the identity-based connections of the Functions host
 * (AzureWebJobsStorage) and of the Service Bus trigger (shared/stores/queue/queues.ts SERVICE_BUS_CONNECTION).
 */
import { SETTING_DOCS } from '../../shared/config/setting-docs';
import { SERVICE_BUS_CONNECTION } from '../../shared/stores/queue/queues';

export interface SettingRequirement {
  /** Satisfied when every name of one alternative is set. */
  anyOf: string[][];
  why: string;
  /** Value the setting must have when it is a literal. */
  expected?: Record<string, string>;
}

/**
 * Settings the platform provides instead of an app setting. On Flex Consumption the runtime comes from
 * functionAppConfig.runtime and FUNCTIONS_WORKER_RUNTIME is refused as an app setting.
 */
export const PLATFORM_PROVIDED: Record<string, { path: string; expected: string }> = {
  FUNCTIONS_WORKER_RUNTIME: { path: 'properties.functionAppConfig.runtime.name', expected: 'node' },
};

/** Key-bearing forms that must not be set in Azure: each has an identity-based replacement. */
export const KEY_BASED_SETTINGS: Record<string, string> = {
  COSMOS_KEY: 'the managed identity (Cosmos DB Built-in Data Contributor)',
  [SERVICE_BUS_CONNECTION]: `${SERVICE_BUS_CONNECTION}__fullyQualifiedNamespace`,
  BLOB_CONNECTION_STRING: 'BLOB_ACCOUNT_URL',
  AzureWebJobsStorage: 'AzureWebJobsStorage__accountName',
};

/** An identity-based connection: where it points, plus credential = managedidentity and the identity's client id. */
function identityConnection(prefix: string, endpointForms: string[][], why: string): SettingRequirement[] {
  return [
    { anyOf: endpointForms, why },
    {
      anyOf: [[`${prefix}__credential`]],
      why: `${why}: use the managed identity`,
      expected: { [`${prefix}__credential`]: 'managedidentity' },
    },
    { anyOf: [[`${prefix}__clientId`]], why: `${why}: which user-assigned identity` },
  ];
}

export function requiredAppSettings(): SettingRequirement[] {
  const fromSchema = Object.entries(SETTING_DOCS)
    .filter(([name, doc]) => doc.azure && !(name in PLATFORM_PROVIDED))
    .map(([name, doc]) => ({
      anyOf: [[name]],
      why: `read by the app (shared/config/settings.ts): ${doc.description}`,
    }));
  return [
    ...fromSchema,
    ...identityConnection(
      'AzureWebJobsStorage',
      [
        ['AzureWebJobsStorage__accountName'],
        [
          'AzureWebJobsStorage__blobServiceUri',
          'AzureWebJobsStorage__queueServiceUri',
          'AzureWebJobsStorage__tableServiceUri',
        ],
      ],
      'Functions host storage (identity-based AzureWebJobsStorage)',
    ),
    ...identityConnection(
      SERVICE_BUS_CONNECTION,
      [[`${SERVICE_BUS_CONNECTION}__fullyQualifiedNamespace`]],
      `Service Bus trigger connection "${SERVICE_BUS_CONNECTION}"`,
    ),
    {
      anyOf: [['REDIS_AUTH_MODE']],
      why: 'Azure Managed Redis has access keys disabled: the app signs in with Entra ID tokens',
      expected: { REDIS_AUTH_MODE: 'entra' },
    },
    {
      anyOf: [['APPLICATIONINSIGHTS_AUTHENTICATION_STRING']],
      why: 'Application Insights has local auth off: telemetry must authenticate with the identity',
    },
  ];
}
