/**
 * The settings schema: every environment variable the app reads, with its validator and its embedded local
 * default. settings.ts parses the environment with it; setting-docs.ts documents each name.
 */
import { z } from 'zod';
import { Cron } from 'croner';

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

/** The schema: environment variable name → validator. Defaults are the embedded local ones. */
export const settingsSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(7071),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
  LOCAL_DATA_DIR: z.string().min(1).default('.local'),
  LOCAL_WORKERS: z.coerce.number().int().min(1).max(64).default(1),

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
  WEBHOOK_SUBSCRIPTION_SCHEDULE: ncrontab.default('0 */30 * * * *'),
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
  SHARD_HISTORY_RETENTION_DAYS: positiveInt.max(3650).default(7),

  EVENTGRID_TOPIC_ENDPOINT: z.url().optional(),
  EVENTGRID_TOPIC_KEY: optionalString,

  NOTIFY_DIGEST_SCHEDULE: ncrontab.default('0 0 * * * *'),
  NOTIFY_DEDUPE_WINDOW_MS: positiveInt.max(7 * 24 * 3_600_000).default(15 * 60_000),
  NOTIFY_SEND_TIMEOUT_MS: positiveInt.max(120_000).default(10_000),
  NOTIFY_MAX_ATTEMPTS: positiveInt.max(10).default(4),
  NOTIFY_MAX_RETRY_WAIT_MS: positiveInt.max(600_000).default(30_000),
  NOTIFY_SLACK_API_URL: z.url().default('https://slack.com/api'),

  ACTIVITY_RETENTION_DAYS: positiveInt.max(3650).default(90),
  RUN_LOG_RETENTION_DAYS: positiveInt.max(365).default(7),

  OUTBOUND_ALLOWED_HOSTS: optionalString,
  OUTBOUND_ALLOW_LOOPBACK: bool.optional(),

  DEMO_MODE: bool.optional(),
  DEMO_RECORDS: positiveInt.max(1_000_000).default(1000),

  AZURE_CLIENT_ID: optionalString,
  APPLICATIONINSIGHTS_CONNECTION_STRING: optionalString,
  FUNCTIONS_WORKER_RUNTIME: optionalString,
});

export type RawSettings = z.infer<typeof settingsSchema>;
