/**
 * What each setting means, its default in words, and whether infra/ sets it in Azure. The same list drives
 * local.settings.sample.json, the README settings table and the Bicep app-settings check (settings.test.ts and
 * infra/validate/required-settings.ts hold them to it).
 */
import type { RawSettings } from './settings-schema';

export interface SettingDoc {
  description: string;
  /** What applies when the setting is absent (in words, for docs). */
  defaultText: string;
  /** Set in Azure by infra/ (the Bicep check compares against this list). */
  azure: boolean;
}

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
    description:
      'folder for local-only files (generated admin key, local secrets, and data/: what npm start keeps across restarts)',
    defaultText: '.local',
    azure: false,
  },
  LOCAL_WORKERS: {
    description:
      'Worker processes of the local host (npm start) for HTTP functions (one shared port) and dispatched queue invocations; more than 1 needs Redis (REDIS_URL, or redis-server on PATH, which the host then starts)',
    defaultText: '1',
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
  WEBHOOK_SUBSCRIPTION_SCHEDULE: {
    description:
      'NCRONTAB of WebhookSubscriptionRenewer (renews Google push channels before they expire, checks GitHub hooks, retries failed subscription changes)',
    defaultText: '0 */30 * * * * (every 30 minutes)',
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
  SHARD_HISTORY_RETENTION_DAYS: {
    description:
      'days a shard history entry (which run or person changed which fields of a record) is kept; the store deletes older ones by TTL',
    defaultText: '7',
    azure: false,
  },
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
  ACTIVITY_RETENTION_DAYS: {
    description:
      'days an activity log entry (runs, webhook verdicts, conflicts, credentials, notifications, admin changes) is kept (Cosmos TTL)',
    defaultText: '90',
    azure: false,
  },
  RUN_LOG_RETENTION_DAYS: {
    description: "days a run's log (its provider HTTP calls, waits and retries) is kept (Cosmos TTL)",
    defaultText: '7',
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
