/**
 * Every setting the app reads, parsed once at start-up. An invalid value stops start-up with an error that
 * names the setting. This is the only module that reads process.env (see loadSettings).
 * The same list drives local.settings.sample.json, the README table and the Bicep app-settings check.
 */
import { z } from 'zod';
import { Cron } from 'croner';
import { AppError } from '../core/app-error';
import { parseHostList } from '../platform/http/outbound-policy';

/** Six-field NCRONTAB (seconds first), as the Functions timer trigger expects. */
const ncrontab = z.string().refine((value) => {
  if (value.trim().split(/\s+/).length !== 6) return false;
  try {
    new Cron(value, { paused: true });
    return true;
  } catch {
    return false;
  }
}, 'must be a six-field NCRONTAB expression, e.g. "0 */5 * * * *"');

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const positiveInt = z.coerce.number().int().positive();
const optionalString = z.string().min(1).optional();

export interface SettingDoc {
  description: string;
  /** What applies when the setting is absent (in words, for docs). */
  defaultText: string;
  /** Set in Azure by infra/ (the Bicep check compares against this list). */
  azure: boolean;
}

/** The schema: environment variable name → validator. Defaults are the embedded local ones. */
export const settingsSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(7071),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
  LOCAL_DATA_DIR: z.string().min(1).default('.local'),

  COSMOS_ENDPOINT: z.url().optional(),
  COSMOS_KEY: optionalString,
  COSMOS_DATABASE: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,255}$/)
    .default('integrations'),
  COSMOS_ALLOW_SELF_SIGNED_LOCAL: bool.default(false),

  ServiceBusConnection: optionalString,
  ServiceBusConnection__fullyQualifiedNamespace: optionalString,
  QUEUE_MAX_DELIVERY_COUNT: positiveInt.max(100).default(10),
  QUEUE_DUPLICATE_WINDOW_MS: positiveInt.default(10 * 60 * 1000),
  QUEUE_MAX_CONCURRENCY: positiveInt.max(256).default(16),
  QUEUE_LOCK_DURATION_MS: positiveInt.default(60_000),

  BLOB_CONNECTION_STRING: optionalString,
  BLOB_ACCOUNT_URL: z.url().optional(),
  BLOB_REQUEST_TIMEOUT_MS: positiveInt.max(60_000).default(2000),
  WEBHOOK_ARCHIVE_CONTAINER: z
    .string()
    .regex(/^[a-z0-9](?:[a-z0-9-]{1,61}[a-z0-9])$/, 'must be a valid blob container name')
    .default('webhook-archive'),

  WEBHOOK_MAX_BODY_BYTES: positiveInt.max(25 * 1024 * 1024).default(1024 * 1024),
  ADMIN_MAX_BODY_BYTES: positiveInt.max(25 * 1024 * 1024).default(256 * 1024),

  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
    .optional(),
  REDIS_KEY_PREFIX: z.string().default('ise:'),
  REDIS_AUTH_MODE: z.enum(['url', 'entra']).default('url'),
  REDIS_ENTRA_USER: optionalString,

  ADMIN_AUTH_MODE: z.enum(['api_key', 'entra']).default('api_key'),
  ADMIN_API_KEY: z.string().min(16, 'must be at least 16 characters').optional(),
  ENTRA_TENANT_ID: z.guid('must be the directory (tenant) id, a GUID').optional(),
  ENTRA_ISSUER: z.url().optional(),
  ENTRA_AUDIENCE: optionalString,
  ENTRA_JWKS_URL: z.url().optional(),

  SYNC_SCHEDULE: ncrontab.default('0 * * * * *'),
  TOKEN_REFRESH_SCHEDULE: ncrontab.default('0 */5 * * * *'),
  WEBHOOK_HEALTH_SCHEDULE: ncrontab.default('0 */15 * * * *'),
  SYNC_DEFAULT_INTERVAL_MINUTES: positiveInt.max(10_080).default(60),
  SCHEDULER_MAX_CLAIMS_PER_TICK: positiveInt.max(10_000).default(500),
  SYNC_STALE_RUN_MINUTES: positiveInt.max(24 * 60).default(10),
  SYNC_STALE_RUN_MAX_RESUMES: z.coerce.number().int().min(0).max(100).default(3),
  OUTBOUND_SCAN_OVERLAP_SECONDS: positiveInt.max(3600).default(60),
  OUTBOUND_SCAN_MAX_PER_TICK: positiveInt.max(10_000).default(500),

  RATE_LIMIT_MAX_WAIT_MS: positiveInt.max(300_000).default(10_000),
  WEBHOOK_TENANT_RATE_PER_S: positiveInt.max(1_000_000).default(1000),
  ADMIN_TENANT_RATE_PER_S: positiveInt.max(100_000).default(50),
  ADMIN_LOGIN_FAILURES_PER_ADDRESS: positiveInt.max(10_000).default(10),
  ADMIN_LOGIN_FAILURES_GLOBAL: positiveInt.max(1_000_000).default(500),
  ADMIN_LOGIN_FAILURE_WINDOW_MS: positiveInt.max(24 * 3_600_000).default(600_000),

  PUBLIC_BASE_URL: z.url().optional(),

  KEY_VAULT_URL: z.url().optional(),
  LOCAL_SECRETS_KEY: z
    .string()
    .regex(/^[A-Za-z0-9+/]{43}=$/, 'must be 32 bytes, base64')
    .optional(),
  TOKEN_REFRESH_MARGIN_MINUTES: positiveInt.max(24 * 60).default(15),

  SYNC_PAGE_SIZE: positiveInt.max(2000).default(100),
  SYNC_MAX_DELETE_SHARE: z.coerce.number().min(0).max(1).default(0.5),
  PROVIDER_REQUEST_TIMEOUT_MS: positiveInt.max(300_000).default(30_000),
  SYNC_PAGE_RETRY_BASE_MS: positiveInt.max(60_000).default(1000),

  EVENTGRID_TOPIC_ENDPOINT: z.url().optional(),
  EVENTGRID_TOPIC_KEY: optionalString,

  NOTIFY_DIGEST_SCHEDULE: ncrontab.default('0 0 * * * *'),
  NOTIFY_DEDUPE_WINDOW_MS: positiveInt.max(7 * 24 * 3_600_000).default(15 * 60_000),
  NOTIFY_SEND_TIMEOUT_MS: positiveInt.max(120_000).default(10_000),
  NOTIFY_MAX_ATTEMPTS: positiveInt.max(10).default(4),
  NOTIFY_MAX_RETRY_WAIT_MS: positiveInt.max(600_000).default(30_000),
  NOTIFY_SLACK_API_URL: z.url().default('https://slack.com/api'),

  OUTBOUND_ALLOWED_HOSTS: optionalString,
  OUTBOUND_ALLOW_LOOPBACK: bool.optional(),

  DEMO_MODE: bool.optional(),
  DEMO_RECORDS: positiveInt.max(1_000_000).default(1000),

  AZURE_CLIENT_ID: optionalString,
  APPLICATIONINSIGHTS_CONNECTION_STRING: optionalString,
  FUNCTIONS_WORKER_RUNTIME: optionalString,
});

export type RawSettings = z.infer<typeof settingsSchema>;

export const SETTING_DOCS: Record<keyof RawSettings, SettingDoc> = {
  PORT: {
    description: 'HTTP port of the local host (npm start); 0 picks a free port',
    defaultText: '7071',
    azure: false,
  },
  LOG_LEVEL: { description: 'lowest level logged: debug, info, warn, error', defaultText: 'info', azure: true },
  LOG_FORMAT: {
    description: 'json (one object a line) or pretty (readable)',
    defaultText: 'json in Azure, pretty locally',
    azure: true,
  },
  LOCAL_DATA_DIR: {
    description: 'folder for local-only files (generated admin key, local secrets)',
    defaultText: '.local',
    azure: false,
  },
  COSMOS_ENDPOINT: {
    description: 'Cosmos DB account endpoint',
    defaultText: 'unset: an embedded cosmosdb-server is started',
    azure: true,
  },
  COSMOS_KEY: {
    description: 'Cosmos DB account key; leave unset in Azure to use the managed identity',
    defaultText: 'unset: DefaultAzureCredential',
    azure: false,
  },
  COSMOS_DATABASE: { description: 'database name', defaultText: 'integrations', azure: true },
  COSMOS_ALLOW_SELF_SIGNED_LOCAL: {
    description:
      'accept a self-signed certificate from a loopback Cosmos endpoint (local cosmosdb-server only; refused for other hosts)',
    defaultText: 'false',
    azure: false,
  },
  ServiceBusConnection: {
    description: 'Service Bus connection string (the trigger connection name); prefer the identity form below',
    defaultText: 'unset',
    azure: false,
  },
  ServiceBusConnection__fullyQualifiedNamespace: {
    description: 'Service Bus namespace host for identity-based connections, e.g. ns.servicebus.windows.net',
    defaultText: 'unset: with no Service Bus setting the embedded queue is used',
    azure: true,
  },
  QUEUE_MAX_DELIVERY_COUNT: {
    description: 'deliveries before a message is dead-lettered (embedded queue; Service Bus uses the queue property)',
    defaultText: '10',
    azure: true,
  },
  QUEUE_DUPLICATE_WINDOW_MS: {
    description: 'duplicate-detection window by message id (embedded queue)',
    defaultText: '600000',
    azure: false,
  },
  QUEUE_MAX_CONCURRENCY: {
    description: 'messages handled at once per queue (embedded queue)',
    defaultText: '16',
    azure: false,
  },
  QUEUE_LOCK_DURATION_MS: {
    description: 'how long a delivered message stays locked before it is delivered again (embedded queue)',
    defaultText: '60000',
    azure: false,
  },
  BLOB_CONNECTION_STRING: {
    description: 'Blob Storage connection string (local or key-based)',
    defaultText: 'unset: an embedded Azurite is started',
    azure: false,
  },
  BLOB_ACCOUNT_URL: {
    description: 'Blob Storage account URL for identity-based access, e.g. https://acct.blob.core.windows.net',
    defaultText: 'unset',
    azure: true,
  },
  BLOB_REQUEST_TIMEOUT_MS: {
    description:
      'longest wait for one blob request (no SDK retries); after failures the archive answers 503 at once for a few seconds',
    defaultText: '2000',
    azure: false,
  },
  WEBHOOK_ARCHIVE_CONTAINER: {
    description: 'blob container for raw webhook payloads',
    defaultText: 'webhook-archive',
    azure: true,
  },
  WEBHOOK_MAX_BODY_BYTES: {
    description: 'largest webhook body accepted (larger: 413)',
    defaultText: '1048576 (1 MB)',
    azure: true,
  },
  ADMIN_MAX_BODY_BYTES: {
    description: 'largest admin API body accepted (larger: 413)',
    defaultText: '262144',
    azure: true,
  },
  REDIS_URL: {
    description:
      'Redis URL (rediss://<name>.<region>.redis.azure.net:10000 for Azure Managed Redis, without a password in entra mode)',
    defaultText: 'unset: in-memory fallbacks',
    azure: true,
  },
  REDIS_KEY_PREFIX: { description: 'prefix of every Redis key this app writes', defaultText: 'ise:', azure: true },
  REDIS_AUTH_MODE: {
    description:
      'url (user and password, if any, from REDIS_URL) or entra (sign in with Entra ID access tokens of the managed identity, renewed on every connection before they expire)',
    defaultText: 'url',
    azure: true,
  },
  REDIS_ENTRA_USER: {
    description: 'Redis user name in entra mode: the object (principal) id of the managed identity',
    defaultText: 'unset: the oid claim of the access token',
    azure: true,
  },
  ADMIN_AUTH_MODE: {
    description: 'api_key (x-api-key header) or entra (Entra ID bearer tokens)',
    defaultText: 'api_key',
    azure: true,
  },
  ADMIN_API_KEY: {
    description: 'admin API key for api_key mode (at least 16 characters)',
    defaultText: 'unset locally: generated into LOCAL_DATA_DIR/admin-api-key',
    azure: false,
  },
  ENTRA_TENANT_ID: {
    description:
      'directory (tenant) id the admin tokens must come from (`tid`), required in entra mode; its v1 and v2 issuers are accepted',
    defaultText: 'unset',
    azure: true,
  },
  ENTRA_ISSUER: {
    description:
      'one more accepted token issuer in entra mode, beside the two of ENTRA_TENANT_ID (the `tid` check still applies)',
    defaultText: 'unset',
    azure: true,
  },
  ENTRA_AUDIENCE: {
    description:
      "accepted token audiences in entra mode, comma-separated: the app registration's client id and its api:// URI",
    defaultText: 'unset',
    azure: true,
  },
  ENTRA_JWKS_URL: {
    description: 'signing keys in entra mode',
    defaultText: 'https://login.microsoftonline.com/<ENTRA_TENANT_ID>/discovery/v2.0/keys',
    azure: true,
  },
  SYNC_SCHEDULE: { description: 'NCRONTAB of SyncScheduler', defaultText: '0 * * * * * (every minute)', azure: true },
  WEBHOOK_HEALTH_SCHEDULE: {
    description: 'NCRONTAB of WebhookHealthMonitor',
    defaultText: '0 */15 * * * * (every 15 minutes)',
    azure: true,
  },
  TOKEN_REFRESH_SCHEDULE: {
    description: 'NCRONTAB of TokenRefresher',
    defaultText: '0 */5 * * * * (every 5 minutes)',
    azure: true,
  },
  SYNC_STALE_RUN_MINUTES: {
    description:
      'a queued or running run with no progress (page committed, page started, retry due) for this long is resumed from its checkpoint by SyncScheduler; above the longest page',
    defaultText: '10',
    azure: false,
  },
  SYNC_STALE_RUN_MAX_RESUMES: {
    description: 'resumes of a stale run before it is marked failed',
    defaultText: '3',
    azure: false,
  },
  SYNC_DEFAULT_INTERVAL_MINUTES: {
    description: 'sync interval of an integration that sets none',
    defaultText: '60',
    azure: true,
  },
  SCHEDULER_MAX_CLAIMS_PER_TICK: {
    description: 'due integrations claimed per scheduler run',
    defaultText: '500',
    azure: true,
  },
  OUTBOUND_SCAN_OVERLAP_SECONDS: {
    description:
      'the changed-shard scan re-reads this far behind its checkpoint (clock skew, late commits); duplicates are dropped by message id',
    defaultText: '60',
    azure: true,
  },
  OUTBOUND_SCAN_MAX_PER_TICK: {
    description: 'changed shards enqueued for push per scheduler run (all integrations together)',
    defaultText: '500',
    azure: true,
  },
  RATE_LIMIT_MAX_WAIT_MS: {
    description: 'longest wait for a rate-limit turn inside one call; beyond it the sync page is rescheduled',
    defaultText: '10000',
    azure: true,
  },
  WEBHOOK_TENANT_RATE_PER_S: {
    description: 'webhook deliveries accepted per second per tenant (burst twice that); more get 429 with Retry-After',
    defaultText: '1000',
    azure: true,
  },
  ADMIN_TENANT_RATE_PER_S: {
    description: 'admin API requests per second per tenant (burst twice that); more get 429 with Retry-After',
    defaultText: '50',
    azure: true,
  },
  ADMIN_LOGIN_FAILURES_PER_ADDRESS: {
    description:
      'failed admin sign-ins one client address may have per window; then 429 with Retry-After (even with the right key) until the window ends',
    defaultText: '10',
    azure: false,
  },
  ADMIN_LOGIN_FAILURES_GLOBAL: {
    description:
      'failed admin sign-ins all addresses together may have per window; then every sign-in gets 429 until the window ends',
    defaultText: '500',
    azure: false,
  },
  ADMIN_LOGIN_FAILURE_WINDOW_MS: {
    description: 'window of the failed sign-in budgets (counted in Redis when configured, shared by instances)',
    defaultText: '600000 (10 minutes)',
    azure: false,
  },
  PUBLIC_BASE_URL: {
    description: 'public URL of the app (OAuth redirect URI base), e.g. https://<app>.azurewebsites.net',
    defaultText: 'http://localhost:PORT',
    azure: true,
  },
  KEY_VAULT_URL: {
    description: 'Key Vault holding every credential (one secret each)',
    defaultText: 'unset: an AES-256-GCM encrypted file in LOCAL_DATA_DIR',
    azure: true,
  },
  LOCAL_SECRETS_KEY: {
    description: 'key of the local encrypted secret file (32 bytes, base64)',
    defaultText: 'unset: generated into LOCAL_DATA_DIR/secrets.key (0600)',
    azure: false,
  },
  TOKEN_REFRESH_MARGIN_MINUTES: {
    description: 'TokenRefresher refreshes OAuth tokens expiring within this margin',
    defaultText: '15',
    azure: true,
  },
  SYNC_PAGE_SIZE: { description: 'records requested per provider page', defaultText: '100', azure: true },
  SYNC_MAX_DELETE_SHARE: {
    description: 'a full refresh that would delete more than this share of an entity is refused',
    defaultText: '0.5',
    azure: true,
  },
  PROVIDER_REQUEST_TIMEOUT_MS: {
    description: 'timeout of each provider API request',
    defaultText: '30000',
    azure: true,
  },
  SYNC_PAGE_RETRY_BASE_MS: {
    description:
      'first backoff of a failed sync page (doubled per failure of that page, with jitter, capped at 5 minutes; never sooner than Retry-After)',
    defaultText: '1000',
    azure: false,
  },
  EVENTGRID_TOPIC_ENDPOINT: {
    description: 'Event Grid topic for engine events (CloudEvents)',
    defaultText: 'unset: the local event log',
    azure: true,
  },
  EVENTGRID_TOPIC_KEY: {
    description: 'Event Grid topic key; leave unset in Azure to use the managed identity',
    defaultText: 'unset',
    azure: false,
  },
  NOTIFY_DIGEST_SCHEDULE: {
    description: 'NCRONTAB of NotificationDigest (hourly and daily notification digests)',
    defaultText: '0 0 * * * * (every hour)',
    azure: true,
  },
  NOTIFY_DEDUPE_WINDOW_MS: {
    description:
      'a repeated alert (same tenant, rule, channel, event type, integration, error) is sent once within this window',
    defaultText: '900000 (15 minutes)',
    azure: true,
  },
  NOTIFY_SEND_TIMEOUT_MS: { description: 'timeout of each Slack or Teams request', defaultText: '10000', azure: true },
  NOTIFY_MAX_ATTEMPTS: {
    description: 'attempts per notification (429 and 5xx are retried); then it is recorded as failed with its reason',
    defaultText: '4',
    azure: true,
  },
  NOTIFY_MAX_RETRY_WAIT_MS: {
    description:
      'longest Retry-After or backoff a notification send waits for; longer: recorded as failed (rate_limited)',
    defaultText: '30000',
    azure: true,
  },
  NOTIFY_SLACK_API_URL: {
    description: 'Slack Web API base URL for chat.postMessage channels (sandboxes point it elsewhere)',
    defaultText: 'https://slack.com/api',
    azure: false,
  },
  OUTBOUND_ALLOWED_HOSTS: {
    description:
      'more https hosts provider, token and notification requests may go to, comma-separated names or *.suffix (a self-hosted provider, e.g. github.example.com for GitHub Enterprise Server); their addresses must still be public',
    defaultText: "unset: only the providers' public hosts",
    azure: false,
  },
  OUTBOUND_ALLOW_LOOPBACK: {
    description:
      'let outbound requests reach loopback addresses, over http too (the local sandboxes in demo and test mode); refused in Azure',
    defaultText: 'true with DEMO_MODE on the local host, else false',
    azure: false,
  },
  DEMO_MODE: {
    description: 'start the five provider sandboxes with a demo tenant (local host only)',
    defaultText: 'true locally, false in Azure',
    azure: false,
  },
  DEMO_RECORDS: { description: 'seeded records per entity in each demo sandbox', defaultText: '1000', azure: false },
  AZURE_CLIENT_ID: {
    description: 'client id of the user-assigned managed identity used by DefaultAzureCredential',
    defaultText: 'unset: system identity / developer login',
    azure: true,
  },
  APPLICATIONINSIGHTS_CONNECTION_STRING: {
    description: 'Application Insights; when set, logs and traces go there through OpenTelemetry',
    defaultText: 'unset',
    azure: true,
  },
  FUNCTIONS_WORKER_RUNTIME: {
    description: 'set by the Functions host (node); its presence means "running in Azure Functions"',
    defaultText: 'unset locally',
    azure: true,
  },
};

export interface Settings {
  raw: RawSettings;
  port: number;
  logLevel: RawSettings['LOG_LEVEL'];
  logFormat: 'json' | 'pretty';
  localDataDir: string;
  cosmos: { endpoint?: string; key?: string; database: string; allowSelfSignedLocal: boolean };
  queue: { kind: 'servicebus'; connectionString?: string; fullyQualifiedNamespace?: string } | { kind: 'embedded' };
  queueLimits: { maxDeliveryCount: number; duplicateWindowMs: number; maxConcurrency: number; lockDurationMs: number };
  blob: { connectionString?: string; accountUrl?: string; archiveContainer: string; requestTimeoutMs?: number };
  redis: { url?: string; keyPrefix: string; auth: { mode: 'url' } | { mode: 'entra'; user?: string } };
  limits: { webhookMaxBodyBytes: number; adminMaxBodyBytes: number };
  adminAuth:
    | { mode: 'api_key'; apiKey?: string }
    | { mode: 'entra'; tenantId: string; issuers: string[]; audiences: string[]; jwksUrl: string };
  schedules: { sync: string; tokenRefresh: string; webhookHealth: string };
  sync: {
    defaultIntervalMinutes: number;
    maxClaimsPerTick: number;
    staleRunMinutes?: number;
    staleRunMaxResumes?: number;
  };
  outbound: { scanOverlapMs: number; scanMaxPerTick: number };
  events: { kind: 'eventgrid'; topicEndpoint: string; topicKey?: string } | { kind: 'local' };
  demo: { enabled: boolean; records: number };
  publicBaseUrl: string;
  rateLimit: { maxWaitMs: number; webhookPerS: number; adminPerS: number };
  adminLogin: { perAddress: number; global: number; windowMs: number };
  secrets: { keyVaultUrl?: string; localKeyBase64?: string; refreshMarginMs: number };
  pipeline: { pageSize: number; maxDeleteShare: number; requestTimeoutMs: number; retryBaseMs: number };
  /** The outbound address rule's settings (see shared/platform/http/outbound-policy.ts). */
  egress: { allowLoopback: boolean; allowedHosts: string[] };
  notifications: {
    digestSchedule: string;
    dedupeWindowMs: number;
    sendTimeoutMs: number;
    maxAttempts: number;
    maxRetryWaitMs: number;
    slackApiUrl: string;
  };
  azureClientId?: string;
  appInsightsConnectionString?: string;
  inAzureFunctions: boolean;
}

function fail(setting: string, message: string): never {
  throw new AppError('configuration', `Invalid setting ${setting}: ${message}`, { target: setting });
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** Parse and cross-check settings. Throws an AppError('configuration') naming the first bad setting. */
export function parseSettings(env: Record<string, string | undefined>): Settings {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  // App Service leaves a Key Vault reference it cannot resolve as its literal text: never a usable value (an
  // admin key equal to the reference text would be guessable from the templates).
  const unresolved = Object.keys(settingsSchema.shape).find((name) =>
    /^@Microsoft\.KeyVault\(/i.test(present[name] ?? ''),
  );
  if (unresolved)
    fail(
      unresolved,
      'is an unresolved Key Vault reference (the host could not read the secret: check the secret exists and the app identity may read it)',
    );
  const parsed = settingsSchema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    fail(String(issue.path[0] ?? 'settings'), issue.message);
  }
  const raw = parsed.data;

  if (
    raw.COSMOS_ALLOW_SELF_SIGNED_LOCAL &&
    raw.COSMOS_ENDPOINT &&
    !LOOPBACK.has(new URL(raw.COSMOS_ENDPOINT).hostname)
  ) {
    fail('COSMOS_ALLOW_SELF_SIGNED_LOCAL', 'is only allowed with a loopback COSMOS_ENDPOINT');
  }
  if (raw.BLOB_CONNECTION_STRING && raw.BLOB_ACCOUNT_URL)
    fail('BLOB_ACCOUNT_URL', 'set either BLOB_CONNECTION_STRING or BLOB_ACCOUNT_URL, not both');
  if (raw.ServiceBusConnection && raw.ServiceBusConnection__fullyQualifiedNamespace) {
    fail(
      'ServiceBusConnection__fullyQualifiedNamespace',
      'set either ServiceBusConnection or ServiceBusConnection__fullyQualifiedNamespace, not both',
    );
  }
  if (raw.ServiceBusConnection && !/Endpoint=sb:\/\//i.test(raw.ServiceBusConnection))
    fail('ServiceBusConnection', 'must be a Service Bus connection string (Endpoint=sb://…)');

  let adminAuth: Settings['adminAuth'];
  if (raw.ADMIN_AUTH_MODE === 'entra') {
    if (!raw.ENTRA_TENANT_ID)
      fail('ENTRA_TENANT_ID', 'is required when ADMIN_AUTH_MODE=entra (the directory id the admin tokens come from)');
    const audiences = (raw.ENTRA_AUDIENCE ?? '')
      .split(',')
      .map((audience) => audience.trim())
      .filter(Boolean);
    if (audiences.length === 0) fail('ENTRA_AUDIENCE', 'is required when ADMIN_AUTH_MODE=entra');
    const tenantId = raw.ENTRA_TENANT_ID.toLowerCase();
    adminAuth = {
      mode: 'entra',
      tenantId,
      // Entra issues v1 or v2 tokens depending on the app registration's accessTokenAcceptedVersion.
      issuers: [
        `https://sts.windows.net/${tenantId}/`,
        `https://login.microsoftonline.com/${tenantId}/v2.0`,
        ...(raw.ENTRA_ISSUER ? [raw.ENTRA_ISSUER] : []),
      ],
      audiences,
      jwksUrl: raw.ENTRA_JWKS_URL ?? `https://login.microsoftonline.com/${tenantId}/discovery/v2.0/keys`,
    };
  } else {
    adminAuth = { mode: 'api_key', apiKey: raw.ADMIN_API_KEY };
  }

  const redisAuth = redisAuthOf(raw);
  const inAzureFunctions = raw.FUNCTIONS_WORKER_RUNTIME !== undefined;
  if (inAzureFunctions && adminAuth.mode === 'api_key' && !adminAuth.apiKey)
    fail('ADMIN_API_KEY', 'is required in Azure when ADMIN_AUTH_MODE=api_key');

  const allowedHosts = parseHostList(raw.OUTBOUND_ALLOWED_HOSTS);
  if (!Array.isArray(allowedHosts)) fail('OUTBOUND_ALLOWED_HOSTS', allowedHosts.error);
  // Loopback targets exist only for the local sandboxes: in Azure they would be the host's own services.
  if (inAzureFunctions && raw.OUTBOUND_ALLOW_LOOPBACK)
    fail('OUTBOUND_ALLOW_LOOPBACK', 'must not be true in Azure (loopback targets are for the local sandboxes only)');
  const demoEnabled = !inAzureFunctions && (raw.DEMO_MODE ?? true);

  const serviceBusConfigured =
    raw.ServiceBusConnection !== undefined || raw.ServiceBusConnection__fullyQualifiedNamespace !== undefined;
  return {
    raw,
    port: raw.PORT,
    logLevel: raw.LOG_LEVEL,
    logFormat: raw.LOG_FORMAT ?? (inAzureFunctions ? 'json' : 'pretty'),
    localDataDir: raw.LOCAL_DATA_DIR,
    cosmos: {
      endpoint: raw.COSMOS_ENDPOINT,
      key: raw.COSMOS_KEY,
      database: raw.COSMOS_DATABASE,
      allowSelfSignedLocal: raw.COSMOS_ALLOW_SELF_SIGNED_LOCAL,
    },
    queue: serviceBusConfigured
      ? {
          kind: 'servicebus',
          connectionString: raw.ServiceBusConnection,
          fullyQualifiedNamespace: raw.ServiceBusConnection__fullyQualifiedNamespace,
        }
      : { kind: 'embedded' },
    queueLimits: {
      maxDeliveryCount: raw.QUEUE_MAX_DELIVERY_COUNT,
      duplicateWindowMs: raw.QUEUE_DUPLICATE_WINDOW_MS,
      maxConcurrency: raw.QUEUE_MAX_CONCURRENCY,
      lockDurationMs: raw.QUEUE_LOCK_DURATION_MS,
    },
    blob: {
      connectionString: raw.BLOB_CONNECTION_STRING,
      accountUrl: raw.BLOB_ACCOUNT_URL,
      archiveContainer: raw.WEBHOOK_ARCHIVE_CONTAINER,
      requestTimeoutMs: raw.BLOB_REQUEST_TIMEOUT_MS,
    },
    redis: { url: raw.REDIS_URL, keyPrefix: raw.REDIS_KEY_PREFIX, auth: redisAuth },
    limits: { webhookMaxBodyBytes: raw.WEBHOOK_MAX_BODY_BYTES, adminMaxBodyBytes: raw.ADMIN_MAX_BODY_BYTES },
    adminAuth,
    schedules: {
      sync: raw.SYNC_SCHEDULE,
      tokenRefresh: raw.TOKEN_REFRESH_SCHEDULE,
      webhookHealth: raw.WEBHOOK_HEALTH_SCHEDULE,
    },
    sync: {
      defaultIntervalMinutes: raw.SYNC_DEFAULT_INTERVAL_MINUTES,
      maxClaimsPerTick: raw.SCHEDULER_MAX_CLAIMS_PER_TICK,
      staleRunMinutes: raw.SYNC_STALE_RUN_MINUTES,
      staleRunMaxResumes: raw.SYNC_STALE_RUN_MAX_RESUMES,
    },
    outbound: {
      scanOverlapMs: raw.OUTBOUND_SCAN_OVERLAP_SECONDS * 1000,
      scanMaxPerTick: raw.OUTBOUND_SCAN_MAX_PER_TICK,
    },
    events: raw.EVENTGRID_TOPIC_ENDPOINT
      ? { kind: 'eventgrid', topicEndpoint: raw.EVENTGRID_TOPIC_ENDPOINT, topicKey: raw.EVENTGRID_TOPIC_KEY }
      : { kind: 'local' },
    publicBaseUrl: raw.PUBLIC_BASE_URL ?? `http://localhost:${raw.PORT}`,
    rateLimit: {
      maxWaitMs: raw.RATE_LIMIT_MAX_WAIT_MS,
      webhookPerS: raw.WEBHOOK_TENANT_RATE_PER_S,
      adminPerS: raw.ADMIN_TENANT_RATE_PER_S,
    },
    adminLogin: {
      perAddress: raw.ADMIN_LOGIN_FAILURES_PER_ADDRESS,
      global: raw.ADMIN_LOGIN_FAILURES_GLOBAL,
      windowMs: raw.ADMIN_LOGIN_FAILURE_WINDOW_MS,
    },
    secrets: {
      keyVaultUrl: raw.KEY_VAULT_URL,
      localKeyBase64: raw.LOCAL_SECRETS_KEY,
      refreshMarginMs: raw.TOKEN_REFRESH_MARGIN_MINUTES * 60_000,
    },
    pipeline: {
      pageSize: raw.SYNC_PAGE_SIZE,
      maxDeleteShare: raw.SYNC_MAX_DELETE_SHARE,
      requestTimeoutMs: raw.PROVIDER_REQUEST_TIMEOUT_MS,
      retryBaseMs: raw.SYNC_PAGE_RETRY_BASE_MS,
    },
    notifications: {
      digestSchedule: raw.NOTIFY_DIGEST_SCHEDULE,
      dedupeWindowMs: raw.NOTIFY_DEDUPE_WINDOW_MS,
      sendTimeoutMs: raw.NOTIFY_SEND_TIMEOUT_MS,
      maxAttempts: raw.NOTIFY_MAX_ATTEMPTS,
      maxRetryWaitMs: raw.NOTIFY_MAX_RETRY_WAIT_MS,
      slackApiUrl: raw.NOTIFY_SLACK_API_URL.replace(/\/+$/, ''),
    },
    demo: { enabled: demoEnabled, records: raw.DEMO_RECORDS },
    egress: { allowLoopback: raw.OUTBOUND_ALLOW_LOOPBACK ?? demoEnabled, allowedHosts },
    azureClientId: raw.AZURE_CLIENT_ID,
    appInsightsConnectionString: raw.APPLICATIONINSIGHTS_CONNECTION_STRING,
    inAzureFunctions,
  };
}

/** Entra mode sends an access token as the password: only over TLS (loopback excepted, for tests) and never beside a password. */
function redisAuthOf(raw: RawSettings): Settings['redis']['auth'] {
  if (raw.REDIS_AUTH_MODE !== 'entra') return { mode: 'url' };
  if (!raw.REDIS_URL) fail('REDIS_URL', 'is required when REDIS_AUTH_MODE=entra');
  const url = new URL(raw.REDIS_URL);
  if (url.username || url.password)
    fail(
      'REDIS_URL',
      'must not carry a user or password when REDIS_AUTH_MODE=entra (the password is an Entra ID token)',
    );
  if (url.protocol !== 'rediss:' && !LOOPBACK.has(url.hostname))
    fail('REDIS_URL', 'must be rediss:// when REDIS_AUTH_MODE=entra (tokens are not sent in clear text)');
  return { mode: 'entra', user: raw.REDIS_ENTRA_USER };
}

/** The one place the process environment is read. */
export function loadSettings(overrides: Record<string, string | undefined> = {}): Settings {
  return parseSettings({ ...process.env, ...overrides });
}
