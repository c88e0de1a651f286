import { parseSettings } from './settings';
import { settingsSchema } from './settings-schema';
import { SETTING_DOCS } from './setting-docs';
import { isAppError } from '../core/app-error';

function failure(env: Record<string, string>): { message: string; target?: string } {
  try {
    parseSettings(env);
  } catch (error) {
    if (isAppError(error)) return { message: error.message, target: error.target };
    throw error;
  }
  throw new Error('expected the settings to be rejected');
}

describe('settings', () => {
  it('runs on embedded defaults with no settings at all', () => {
    const settings = parseSettings({});
    expect(settings.port).toBe(7071);
    expect(settings.queue).toEqual({ kind: 'embedded' });
    expect(settings.cosmos.endpoint).toBeUndefined();
    expect(settings.cosmos.database).toBe('integrations');
    expect(settings.schedules).toEqual({
      sync: '0 * * * * *',
      tokenRefresh: '0 */5 * * * *',
      webhookHealth: '0 */15 * * * *',
      webhookSubscriptions: '0 */30 * * * *',
    });
    expect(settings.logFormat).toBe('pretty');
  });

  it.each([
    [{ PORT: 'seventy' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ SYNC_SCHEDULE: '*/5 * * * *' }, 'SYNC_SCHEDULE'],
    [{ TOKEN_REFRESH_SCHEDULE: 'every minute' }, 'TOKEN_REFRESH_SCHEDULE'],
    [{ COSMOS_ENDPOINT: 'not a url' }, 'COSMOS_ENDPOINT'],
    [{ REDIS_URL: 'http://localhost:6379' }, 'REDIS_URL'],
    [{ ADMIN_API_KEY: 'short' }, 'ADMIN_API_KEY'],
    [{ LOG_LEVEL: 'verbose' }, 'LOG_LEVEL'],
    [{ QUEUE_MAX_DELIVERY_COUNT: '0' }, 'QUEUE_MAX_DELIVERY_COUNT'],
    [{ WEBHOOK_ARCHIVE_CONTAINER: 'Bad_Name' }, 'WEBHOOK_ARCHIVE_CONTAINER'],
    [{ ServiceBusConnection: 'garbage' }, 'ServiceBusConnection'],
    // ENTRA_ISSUER alone no longer names a directory: the tenant id is what tokens are checked against.
    [
      { ADMIN_AUTH_MODE: 'entra', ENTRA_AUDIENCE: 'api://x', ENTRA_ISSUER: 'https://login.example/v2.0' },
      'ENTRA_TENANT_ID',
    ],
    [
      { ADMIN_AUTH_MODE: 'entra', ENTRA_AUDIENCE: 'api://x', ENTRA_TENANT_ID: 'contoso.onmicrosoft.com' },
      'ENTRA_TENANT_ID',
    ],
    [{ ADMIN_AUTH_MODE: 'entra', ENTRA_TENANT_ID: '72f988bf-86f1-41af-91ab-2d7cd011db47' }, 'ENTRA_AUDIENCE'],
    [
      { ADMIN_AUTH_MODE: 'entra', ENTRA_TENANT_ID: '72f988bf-86f1-41af-91ab-2d7cd011db47', ENTRA_AUDIENCE: ' , ' },
      'ENTRA_AUDIENCE',
    ],
    [
      { COSMOS_ENDPOINT: 'https://prod.documents.azure.com:443/', COSMOS_ALLOW_SELF_SIGNED_LOCAL: 'true' },
      'COSMOS_ALLOW_SELF_SIGNED_LOCAL',
    ],
    [{ FUNCTIONS_WORKER_RUNTIME: 'node' }, 'ADMIN_API_KEY'],
    [
      { BLOB_CONNECTION_STRING: 'UseDevelopmentStorage=true', BLOB_ACCOUNT_URL: 'https://a.blob.core.windows.net' },
      'BLOB_ACCOUNT_URL',
    ],
  ])('rejects %j naming %s', (env, setting) => {
    const { message, target } = failure(env as Record<string, string>);
    expect(target).toBe(setting);
    expect(message).toContain(`Invalid setting ${setting}`);
  });

  it('reads entra mode: both issuer forms of the directory, ENTRA_ISSUER beside them, an audience list', () => {
    const tenant = '72F988BF-86F1-41AF-91AB-2D7CD011DB47';
    const settings = parseSettings({
      ADMIN_AUTH_MODE: 'entra',
      ENTRA_TENANT_ID: tenant,
      ENTRA_AUDIENCE: ' 5e3ce6c0-2b1f-4285-8d4b-75ee78787346, api://5e3ce6c0-2b1f-4285-8d4b-75ee78787346 ',
      ENTRA_ISSUER: 'https://issuer.example/',
    });
    const lower = tenant.toLowerCase();
    expect(settings.adminAuth).toEqual({
      mode: 'entra',
      tenantId: lower,
      issuers: [
        `https://sts.windows.net/${lower}/`,
        `https://login.microsoftonline.com/${lower}/v2.0`,
        'https://issuer.example/',
      ],
      audiences: ['5e3ce6c0-2b1f-4285-8d4b-75ee78787346', 'api://5e3ce6c0-2b1f-4285-8d4b-75ee78787346'],
      jwksUrl: `https://login.microsoftonline.com/${lower}/discovery/v2.0/keys`,
    });
  });

  it('picks Service Bus with an identity when the namespace is set', () => {
    const settings = parseSettings({ ServiceBusConnection__fullyQualifiedNamespace: 'ns.servicebus.windows.net' });
    expect(settings.queue).toEqual({
      kind: 'servicebus',
      fullyQualifiedNamespace: 'ns.servicebus.windows.net',
      connectionString: undefined,
    });
  });

  it('uses JSON logs inside the Functions host', () => {
    expect(parseSettings({ FUNCTIONS_WORKER_RUNTIME: 'node', ADMIN_API_KEY: 'x'.repeat(20) }).logFormat).toBe('json');
  });

  it('documents every setting it reads', () => {
    expect(Object.keys(SETTING_DOCS).sort()).toEqual(Object.keys(settingsSchema.shape).sort());
  });
});

describe('local.settings.sample.json', () => {
  it('lists every setting the app reads', () => {
    const sample = require('../../local.settings.sample.json') as { Values: Record<string, string> };
    const missing = Object.keys(SETTING_DOCS).filter((name) => !(name in sample.Values));
    expect(missing).toEqual([]);
  });
});

describe('README', () => {
  it('documents every setting', () => {
    const readme = require('node:fs').readFileSync(
      require('node:path').join(__dirname, '../../README.md'),
      'utf8',
    ) as string;
    expect(Object.keys(SETTING_DOCS).filter((name) => !readme.includes(`\`${name}\``))).toEqual([]);
  });
});
