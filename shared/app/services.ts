/**
 * The composition root: builds every port from validated settings once per process. Both hosts (Azure
 * Functions and the local host) and the tests get their handlers' dependencies from here.
 */
import { configureOutbound } from '../platform/http/outbound-fetch';
import type { Settings } from '../config/settings';
import { createLogger, type Logger } from '../platform/observability/logger';
import { Metrics } from '../platform/observability/metrics';
import { openDocumentStore } from '../stores/documents/cosmos/document-store';
import type { ConflictsRepository } from '../stores/documents/conflicts-repository';
import type { DocumentStore } from '../stores/documents/document-store';
import type { IntegrationsRepository } from '../stores/documents/integrations-repository';
import type { SyncRunsRepository } from '../stores/documents/sync-runs-repository';
import type { DeadLetterAccess, QueueSender } from '../stores/queue/queue-port';
import { EmbeddedQueue } from '../stores/queue/embedded-queue';
import type { QueueJournal } from '../stores/queue/queue-journal';
import { openBlobArchive, type BlobArchive } from '../stores/blob/blob-archive';
import { openRedisClient } from '../stores/kv/redis/redis-client';
import { openKeyValueStores, type KeyValueStore } from '../stores/kv';
import { createAdminAuthenticator, type AdminAuthenticator } from '../platform/http/admin-auth';
import { createLoginThrottle, type LoginThrottle } from '../platform/http/login-throttle';
import type { WebhookSecretSource } from '../webhooks/intake/secrets';
import { DeliveryLog } from '../webhooks/intake/delivery-log';
import { DeliveryClaims } from '../webhooks/intake/delivery-claims';
import { WebhookIntake } from '../webhooks/intake/intake';
import type { EventPublisher } from '../stores/events/events';
import { LocalEventLog } from '../stores/events/local-event-log';
import { createCredentials, createSecretStore, type Credentials, type SecretStore } from '../credentials';
import { managedIdentity } from '../platform/azure/managed-identity';
import type { ShardsRepository } from '../stores/documents/shards-repository';
import type { SyncStateRepository } from '../stores/documents/sync-state-repository';
import { createDefaultRegistry, type AdapterRegistry } from '../adapters/registry';
import { webhookSecretSource } from './integration-credentials';
import { createRateLimiter, type RateLimiter } from '../ratelimit';
import { createNotifications, type Notifications } from '../notifications';
import { ActivityRecorder } from '../activity/recorder';
import { activityOfEvent } from '../activity/event-activity';
import { recordingDeliveries } from '../activity/notification-activity';

export interface AppServices {
  settings: Settings;
  logger: Logger;
  metrics: Metrics;
  /** The document store: one repository per kind of document (the most used ones also below). */
  documents: DocumentStore;
  integrations: IntegrationsRepository;
  runs: SyncRunsRepository;
  shards: ShardsRepository;
  syncState: SyncStateRepository;
  conflicts: ConflictsRepository;
  credentials: Credentials;
  adapters: AdapterRegistry;
  /** Paces every outbound provider call and the inbound webhook and admin traffic per tenant. */
  rateLimiter: RateLimiter;
  queue: QueueSender;
  deadLetters: DeadLetterAccess;
  /** Present when the embedded queue is in use (local host, tests): dead letters and depth live here. */
  embeddedQueue?: EmbeddedQueue;
  blob: BlobArchive;
  /**
   * Once-per-window markers of the timer jobs (expiry alerts, webhook endpoint alerts): Redis when configured,
   * shared by every instance; memory answers at once while Redis is disconnected or when a call fails.
   */
  kv: KeyValueStore;
  events: EventPublisher;
  /** Present when events stay local (local host, tests): readable and subscribable. */
  eventLog?: LocalEventLog;
  adminAuth: AdminAuthenticator;
  /** Failed admin sign-ins per client address and in total (shared through Redis when configured). */
  adminLoginThrottle: LoginThrottle;
  /** Webhook secrets for the verifiers; none configured means every delivery is rejected (fail closed). */
  webhookSecrets: WebhookSecretSource;
  deliveryLog: DeliveryLog;
  /** Each webhook delivery's claim (pending, accepted, released): the duplicate check on the request path. */
  deliveryClaims: DeliveryClaims;
  /** Group commit of accepted webhook deliveries (archive, runs, queue hand-off, receipt) before their 2xx. */
  webhookIntake: WebhookIntake;
  /** Slack / Teams alerts from events, digests; subscribed to the local event log when there is one. */
  notifications: Notifications;
  /** The activity log's writer (runs, webhook verdicts, conflicts, credentials, notifications, admin changes). */
  activity: ActivityRecorder;
  now(): Date;
  close(): Promise<void>;
}

export interface ServiceOverrides {
  logger?: Logger;
  now?: () => Date;
  webhookSecrets?: WebhookSecretSource;
  /** Keeps the embedded queue across restarts (the local host's `.local/`); memory only without it. */
  queueJournal?: QueueJournal;
  /**
   * A local host's HTTP worker process (LOCAL_WORKERS > 1) uses the queue and the secret store of the host
   * process that runs the triggers, through these; everything else it opens itself (shared through Cosmos and
   * Redis).
   */
  queue?: QueueSender & DeadLetterAccess;
  secretStore?: SecretStore;
}

export async function createServices(settings: Settings, overrides: ServiceOverrides = {}): Promise<AppServices> {
  const logger = overrides.logger ?? createLogger({ level: settings.logLevel, format: settings.logFormat });
  // Every provider, token and notification request of this process goes through this rule.
  configureOutbound({ allowLoopback: settings.egress.allowLoopback, extraHosts: settings.egress.allowedHosts });
  const documents = await openDocumentStore(settings.cosmos, settings.azureClientId);
  const embeddedQueue =
    !overrides.queue && settings.queue.kind === 'embedded'
      ? new EmbeddedQueue({
          maxDeliveryCount: settings.queueLimits.maxDeliveryCount,
          duplicateWindowMs: settings.queueLimits.duplicateWindowMs,
          lockDurationMs: settings.queueLimits.lockDurationMs,
          journal: overrides.queueJournal,
        })
      : undefined;
  // The Azure-only clients are loaded only when configured: their SDKs are large and a local run never needs them.
  const queue: QueueSender & DeadLetterAccess =
    overrides.queue ?? embeddedQueue ?? (await openServiceBusQueue(settings));
  const blob = await openBlobArchive(settings.blob, settings.azureClientId);
  const redis = await openRedisClient(settings.redis, settings.azureClientId);
  redis?.on('error', (error) => logger.warn('redis connection problem', { error }));
  const now = overrides.now ?? (() => new Date());
  // Claims, locks, counters and markers; each user below gets the capability it needs (stores/kv/index.ts).
  const kv = openKeyValueStores({ redis, keyPrefix: settings.redis.keyPrefix, now: () => now().getTime() });

  const credentials = createCredentials({
    store:
      overrides.secretStore ??
      (await createSecretStore({
        keyVaultUrl: settings.secrets.keyVaultUrl,
        managedIdentityClientId: settings.azureClientId,
        localDataDir: settings.localDataDir,
        localKeyBase64: settings.secrets.localKeyBase64,
      })),
    logger,
    coordination: kv.refreshCoordinator(),
  });
  const rateLimiter = createRateLimiter({
    redis,
    // Overrides are kept in Cosmos; Redis only caches them, so a Redis restart without persistence keeps them.
    overrideDocuments: documents.rateLimitOverrides,
    keyPrefix: settings.redis.keyPrefix,
    maxWaitMs: settings.rateLimit.maxWaitMs,
    inbound: {
      webhook: {
        kind: 'rate',
        limit: settings.rateLimit.webhookPerS,
        windowMs: 1000,
        burst: settings.rateLimit.webhookPerS * 2,
      },
      admin: {
        kind: 'rate',
        limit: settings.rateLimit.adminPerS,
        windowMs: 1000,
        burst: settings.rateLimit.adminPerS * 2,
      },
    },
    failover: {
      onHealthChange: (health) =>
        health.degraded
          ? logger.warn('rate limiter: Redis unavailable, using the local limiter with conservative limits', {
              message: health.message,
            })
          : logger.info('rate limiter: back on Redis'),
    },
  });
  const eventLog = settings.events.kind === 'local' ? new LocalEventLog() : undefined;
  const eventGrid =
    settings.events.kind === 'eventgrid' ? await openEventGrid(settings.events, settings.azureClientId) : undefined;

  const activity = new ActivityRecorder({
    repository: documents.activity,
    integrations: documents.integrations,
    retentionDays: settings.activity.retentionDays,
    logger,
    now,
  });
  const notifications = createNotifications({
    // Delivery records are told to the activity log as they are written.
    repository: recordingDeliveries(documents.notifications, activity),
    runs: documents.runs,
    conflicts: documents.conflicts,
    credentials: credentials.service,
    settings: settings.notifications,
    logger,
    kv,
    now,
  });
  eventLog?.subscribe((event) => notifications.service.enqueue(event));
  // In Azure the events go to Event Grid for other subscribers, and to this instance's notification service
  // directly, so alerts do not depend on an Event Grid subscription being wired back to the app.
  const published: EventPublisher = eventGrid
    ? {
        publish: async (batch) => {
          for (const event of batch) notifications.service.enqueue(event);
          await eventGrid.publish(batch);
        },
      }
    : eventLog!;
  // Every engine event is also an activity entry (activity/event-activity.ts), whoever emitted it.
  const events: EventPublisher = {
    publish: async (batch) => {
      for (const event of batch) activity.record(activityOfEvent(event));
      await published.publish(batch);
    },
  };

  // Verdicts are counted in memory on the receipt path; the log gets a summary per window (activity/recorder.ts).
  const deliveryLog = new DeliveryLog(documents.webhookReceipts, logger, (receipt) => activity.webhookVerdict(receipt));
  const deliveryClaims = new DeliveryClaims({
    shared: kv.shared,
    readReceipt: (integrationId, id) => deliveryLog.readStored(integrationId, id),
    logger,
  });
  const webhookIntake = new WebhookIntake({
    blob,
    runs: documents.runs,
    queue,
    deliveryLog,
    claims: deliveryClaims,
    logger,
  });

  return {
    settings,
    logger,
    metrics: new Metrics(),
    documents,
    integrations: documents.integrations,
    runs: documents.runs,
    shards: documents.shards,
    syncState: documents.syncState,
    conflicts: documents.conflicts,
    credentials,
    adapters: createDefaultRegistry(),
    rateLimiter,
    queue,
    deadLetters: queue,
    embeddedQueue,
    blob,
    kv: kv.withFallback({
      whileDown: 'local',
      onFallback: (error) => logger.warn('key-value store: Redis failed, memory answered', { error }),
    }),
    events,
    eventLog,
    adminAuth: createAdminAuthenticator(settings.adminAuth),
    adminLoginThrottle: createLoginThrottle({ kv, rules: settings.adminLogin }),
    webhookSecrets: overrides.webhookSecrets ?? webhookSecretSource(credentials),
    deliveryLog,
    deliveryClaims,
    webhookIntake,
    notifications,
    activity,
    now,
    close: async () => {
      // Webhook deliveries being committed and buffered receipts are written before the stores close.
      await webhookIntake
        .drain()
        .catch((error: unknown) => logger.warn('could not drain webhook writes on close', { error }));
      await notifications.service.drain();
      await activity
        .close()
        .catch((error: unknown) => logger.warn('could not write the activity log on close', { error }));
      await rateLimiter.close();
      await queue.close();
      redis?.disconnect();
      documents.dispose();
    },
  };
}

async function openServiceBusQueue(settings: Settings): Promise<QueueSender & DeadLetterAccess> {
  const { ServiceBusQueue } = await import('../stores/queue/service-bus-queue');
  const { connectionString, fullyQualifiedNamespace } = settings.queue.kind === 'servicebus' ? settings.queue : {};
  return new ServiceBusQueue({
    connectionString,
    fullyQualifiedNamespace,
    credential: connectionString ? undefined : await managedIdentity(settings.azureClientId),
  });
}

async function openEventGrid(
  events: { topicEndpoint: string; topicKey?: string },
  azureClientId: string | undefined,
): Promise<EventPublisher> {
  const { EventGridPublisher } = await import('../stores/events/event-grid-publisher');
  return new EventGridPublisher({
    topicEndpoint: events.topicEndpoint,
    topicKey: events.topicKey,
    credential: events.topicKey ? undefined : await managedIdentity(azureClientId),
  });
}
