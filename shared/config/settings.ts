/**
 * Every setting the app reads, parsed once at start-up. An invalid value stops start-up with an error that
 * names the setting. This is the only module that reads process.env (see loadSettings).
 * The names and validators are in settings-schema.ts, their documentation in setting-docs.ts; this module turns
 * them into the typed Settings and holds the rules between settings (either/or pairs, what Azure refuses).
 */
import { AppError } from '../core/app-error';
import { parseHostList } from '../platform/http/outbound-policy';
import { settingsSchema, type RawSettings } from './settings-schema';

export interface Settings {
  raw: RawSettings;
  port: number;
  logLevel: RawSettings['LOG_LEVEL'];
  logFormat: 'json' | 'pretty';
  localDataDir: string;
  /** Worker processes of the local host for HTTP and queue invocations (1: both in the host's own process). */
  localWorkers: number;
  cosmos: { endpoint?: string; key?: string; database: string; allowSelfSignedLocal: boolean };
  queue: { kind: 'servicebus'; connectionString?: string; fullyQualifiedNamespace?: string } | { kind: 'embedded' };
  queueLimits: { maxDeliveryCount: number; duplicateWindowMs: number; maxConcurrency: number; lockDurationMs: number };
  blob: { connectionString?: string; accountUrl?: string; archiveContainer: string; requestTimeoutMs?: number };
  redis: { url?: string; keyPrefix: string; auth: { mode: 'url' } | { mode: 'entra'; user?: string } };
  limits: { webhookMaxBodyBytes: number; adminMaxBodyBytes: number };
  adminAuth:
    | { mode: 'api_key'; apiKey?: string }
    | { mode: 'entra'; tenantId: string; issuers: string[]; audiences: string[]; jwksUrl: string };
  schedules: { sync: string; tokenRefresh: string; webhookHealth: string; webhookSubscriptions: string };
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
  /** Days a shard history entry is kept (Cosmos per-item TTL). */
  shardHistory: { retentionDays: number };
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
  /** How long the activity log and the run logs are kept (Cosmos TTL of each document). */
  activity: { retentionDays: number; runLogRetentionDays: number };
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
    localWorkers: raw.LOCAL_WORKERS,
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
      webhookSubscriptions: raw.WEBHOOK_SUBSCRIPTION_SCHEDULE,
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
    shardHistory: { retentionDays: raw.SHARD_HISTORY_RETENTION_DAYS },
    notifications: {
      digestSchedule: raw.NOTIFY_DIGEST_SCHEDULE,
      dedupeWindowMs: raw.NOTIFY_DEDUPE_WINDOW_MS,
      sendTimeoutMs: raw.NOTIFY_SEND_TIMEOUT_MS,
      maxAttempts: raw.NOTIFY_MAX_ATTEMPTS,
      maxRetryWaitMs: raw.NOTIFY_MAX_RETRY_WAIT_MS,
      slackApiUrl: raw.NOTIFY_SLACK_API_URL.replace(/\/+$/, ''),
    },
    activity: { retentionDays: raw.ACTIVITY_RETENTION_DAYS, runLogRetentionDays: raw.RUN_LOG_RETENTION_DAYS },
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
