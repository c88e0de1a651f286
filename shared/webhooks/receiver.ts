/**
 * The WebhookReceiver's core, free of Functions types: route check, size limit, verification (fail closed),
 * then a targeted sync enqueued with the delivery id as message id. Unknown provider, unknown integration
 * and an integration of another provider all get the same 404 body, so ids cannot be probed.
 */
import type { HttpResponseInit } from '@azure/functions';
import { AppError } from '../errors/app-error';
import { isProviderId, type ProviderId } from '../adapters/contract';
import type { Integration } from '../domain/integration';
import { errorResponse, json } from '../http/responses';
import type { TraceContext } from '../observability/correlation';
import type { AppServices } from '../runtime/services';
import type { Stored } from '../storage/integrations-repository';
import { startRun } from '../sync/start-run';

export interface IncomingWebhook {
  provider: string;
  integrationId: string;
  rawBody: Buffer;
  header(name: string): string | undefined;
  receivedAt: number;
}

export type WebhookVerdict =
  | { ok: true; deliveryId: string; targets: Array<{ entity: string; ids: string[] }>; response?: HttpResponseInit }
  | { ok: false; reason: string };

/** Verifies one delivery for one integration; each provider's verifier plugs in here. */
export type WebhookVerifier = (webhook: IncomingWebhook, integration: Stored<Integration>) => Promise<WebhookVerdict>;

export type WebhookVerifiers = Partial<Record<ProviderId, WebhookVerifier>>;

const NOT_FOUND_BODY = { error: { code: 'not_found', message: 'no such webhook endpoint' } };

export async function receiveWebhook(
  services: Pick<AppServices, 'integrations' | 'runs' | 'queue' | 'logger' | 'metrics' | 'settings' | 'now'>,
  verifiers: WebhookVerifiers,
  webhook: IncomingWebhook,
  trace: TraceContext,
): Promise<HttpResponseInit> {
  const log = services.logger.child({ function: 'WebhookReceiver', provider: webhook.provider, integrationId: webhook.integrationId, traceId: trace.traceId });
  const verdict = (name: string) => services.metrics.increment('webhook_verdicts', 1, { provider: webhook.provider, verdict: name });
  try {
    if (webhook.rawBody.length > services.settings.limits.webhookMaxBodyBytes) {
      verdict('too_large');
      throw new AppError('payload_too_large', `body is larger than ${services.settings.limits.webhookMaxBodyBytes} bytes`);
    }
    const integration = isProviderId(webhook.provider) ? await services.integrations.findForWebhook(webhook.integrationId) : undefined;
    if (!integration || integration.provider !== webhook.provider) {
      verdict('unknown_endpoint');
      return json(404, NOT_FOUND_BODY);
    }
    const verify = verifiers[integration.provider];
    const result: WebhookVerdict = verify ? await verify(webhook, integration) : { ok: false, reason: 'no_verifier' };
    if (!result.ok) {
      verdict(result.reason);
      log.warn('webhook rejected', { reason: result.reason });
      return json(401, { error: { code: 'unauthorized', message: 'webhook could not be verified', reason: result.reason } });
    }
    verdict('accepted');
    for (const target of result.targets) {
      await startRun(services, {
        integration,
        mode: 'targeted',
        trigger: 'webhook',
        trace,
        // The delivery id doubles as the run and message id: a redelivered webhook is not enqueued twice.
        runId: `wh-${integration.id}-${result.deliveryId}-${target.entity}`,
        entity: target.entity,
        ids: target.ids,
        now: services.now(),
      });
    }
    return result.response ?? json(202, { accepted: true, deliveryId: result.deliveryId });
  } catch (error) {
    return errorResponse(error, log);
  }
}
