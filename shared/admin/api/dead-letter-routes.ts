/**
 * Dead-lettered sync pages of one integration, and re-driving them:
 *   GET  tenants/{tenantId}/integrations/{integrationId}/dead-letters
 *   POST tenants/{tenantId}/integrations/{integrationId}/dead-letters/{messageId}/redrive
 * Only letters whose body names this tenant and integration are shown or re-driven.
 */
import { AppError } from '../../core/app-error';
import { json } from '../../platform/http/responses';
import { QUEUES } from '../../stores/queue/queues';
import type { DeadLetteredMessage } from '../../stores/queue/queue-port';
import type { AdminRouter } from './context';
import { loadIntegration } from './integration-routes';

const BASE = 'tenants/:tenantId/integrations/:integrationId/dead-letters';
/** The most letters one listing returns, and how far into the dead-letter queue it looks for them. */
const LIST_LIMIT = 500;
const LIST_SCAN_LIMIT = 20_000;

function belongsTo(letter: DeadLetteredMessage, tenantId: string, integrationId: string): boolean {
  const body = letter.body as { tenantId?: unknown; integrationId?: unknown } | null;
  return body?.tenantId === tenantId && body?.integrationId === integrationId;
}

export function registerDeadLetterRoutes(router: AdminRouter): void {
  router.add('GET', BASE, async (ctx, params) => {
    const integration = await loadIntegration(ctx, params);
    // Filtered while browsing: this integration's letters are found behind other integrations' thousands.
    const accept = (letter: DeadLetteredMessage) => belongsTo(letter, integration.tenantId, integration.id);
    const letters = await ctx.services.deadLetters.listDeadLetters(QUEUES.syncInbound.name, LIST_LIMIT, {
      accept,
      scanLimit: LIST_SCAN_LIMIT,
    });
    const items = letters.map((letter) => ({
      queue: QUEUES.syncInbound.name,
      messageId: letter.messageId,
      reason: letter.reason,
      description: letter.description,
      deliveryCount: letter.deliveryCount,
      enqueuedTimeUtc: letter.enqueuedTimeUtc,
      job: letter.body,
    }));
    return json(200, { items });
  });

  router.add('POST', `${BASE}/:messageId/redrive`, async (ctx, params) => {
    const integration = await loadIntegration(ctx, params);
    // The adapter finds the letter wherever it is in the queue (not only among the letters a listing shows)
    // and takes it only when it belongs to this integration.
    const messageId = params.messageId ?? '';
    const accept = (letter: DeadLetteredMessage) => belongsTo(letter, integration.tenantId, integration.id);
    if (!(await ctx.services.deadLetters.redrive(QUEUES.syncInbound.name, messageId, { accept })))
      throw new AppError('not_found', 'dead letter not found');
    ctx.logger.info('dead letter re-driven', { integrationId: integration.id, messageId, by: ctx.principal.id });
    return json(202, { redriven: messageId });
  });
}
