/** Every function of the app, read by both hosts (functions/index.ts for Azure, hosts/local for npm start). */
import type { FunctionDefinition } from './definition';
import { syncScheduler } from './SyncScheduler';
import { syncInboundWorker } from './SyncInboundWorker';
import { syncOutboundWorker } from './SyncOutboundWorker';
import { tokenRefresher } from './TokenRefresher';
import { webhookReceiver } from './WebhookReceiver';
import { health } from './Health';
import { adminApi } from './AdminApi';
import { oauthCallback } from './OAuthCallback';
import { webhookHealthMonitor } from './WebhookHealthMonitor';
import { notificationDigest } from './NotificationDigest';
import { webhookSubscriptionRenewer } from './WebhookSubscriptionRenewer';
import { adminUi } from './AdminUi';

export const FUNCTIONS: readonly FunctionDefinition[] = [
  syncScheduler,
  syncInboundWorker,
  syncOutboundWorker,
  tokenRefresher,
  webhookReceiver,
  health,
  adminApi,
  oauthCallback,
  webhookHealthMonitor,
  notificationDigest,
  webhookSubscriptionRenewer,
  adminUi,
];
