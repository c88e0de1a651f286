/**
 * Public surface of notifications and the factory the composition root calls: the service over the
 * `notifications` container, its state in the key-value store (Redis when configured, memory otherwise, see
 * state.ts), and digests.
 * In Azure, events reach Event Grid; an Event Grid-triggered function that calls `service.handle(event)` is
 * the planned consumer there (not built yet). Locally the service subscribes to the local event log.
 */
import type { Settings } from '../config/settings';
import type { CredentialService } from '../credentials';
import type { Logger } from '../platform/observability/logger';
import type { ConflictsRepository } from '../stores/documents/conflicts-repository';
import type { NotificationsRepository } from '../stores/documents/notifications-repository';
import type { SyncRunsRepository } from '../stores/documents/sync-runs-repository';
import type { KeyValueStores } from '../stores/kv';
import { runDigests, type DigestRunResult } from './digest';
import { NotificationService } from './service';
import { NOTIFY_STATE_FALLBACK, notifyStateOn, type NotifyState } from './state';

export { NotificationService } from './service';
export type { ChannelDoc, RuleDoc, DeliveryDoc, NotificationMessage } from './types';

export interface Notifications {
  service: NotificationService;
  state: NotifyState;
  runDigests(now: Date, signal?: AbortSignal): Promise<DigestRunResult[]>;
}

export interface NotificationsOptions {
  repository: NotificationsRepository;
  runs: SyncRunsRepository;
  conflicts: ConflictsRepository;
  credentials: CredentialService;
  settings: Settings['notifications'];
  logger: Logger;
  kv: Pick<KeyValueStores, 'withFallback'>;
  now(): Date;
  /** Tests replace the state (e.g. memory with a fake clock). */
  state?: NotifyState;
}

export function createNotifications(options: NotificationsOptions): Notifications {
  const logger = options.logger.child({ component: 'notifications' });
  const state =
    options.state ??
    notifyStateOn(
      options.kv.withFallback({
        ...NOTIFY_STATE_FALLBACK,
        onFallback: (error) => logger.warn('notification state: Redis unavailable, using memory', { error }),
      }),
    );
  const service = new NotificationService({
    repository: options.repository,
    credentials: options.credentials,
    state,
    logger,
    settings: options.settings,
    now: options.now,
  });
  return {
    service,
    state,
    runDigests: (now, signal) =>
      runDigests(
        { service, state, credentials: options.credentials, runs: options.runs, conflicts: options.conflicts },
        now,
        signal,
      ),
  };
}
