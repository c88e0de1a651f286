/**
 * Public surface of notifications and the factory the composition root calls: the service over the
 * `notifications` container, its state in the key-value store (Redis when configured, memory otherwise, see
 * state.ts), and digests.
 * In Azure, events reach Event Grid; an Event Grid-triggered function that calls `service.handle(event)` is
 * the planned consumer there (not built yet). Locally the service subscribes to the local event log.
 */
import type { Container } from '@azure/cosmos';
import type { Settings } from '../config/settings';
import type { CredentialService } from '../credentials';
import type { Logger } from '../platform/observability/logger';
import type { KeyValueStores } from '../stores/kv';
import { runDigests, type DigestRunResult } from './digest';
import { NotificationsRepository } from './repository';
import { NotificationService } from './service';
import { NOTIFY_STATE_FALLBACK, notifyStateOn, type NotifyState } from './state';

export { NotificationService } from './service';
export { NotificationsRepository } from './repository';
export type { ChannelDoc, RuleDoc, DeliveryDoc, NotificationMessage } from './types';

export interface Notifications {
  service: NotificationService;
  state: NotifyState;
  runDigests(now: Date, signal?: AbortSignal): Promise<DigestRunResult[]>;
}

export interface NotificationsOptions {
  container: Container;
  syncRuns: Container;
  conflicts: Container;
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
    repository: new NotificationsRepository(options.container),
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
        { service, state, credentials: options.credentials, syncRuns: options.syncRuns, conflicts: options.conflicts },
        now,
        signal,
      ),
  };
}
