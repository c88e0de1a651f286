/**
 * The WebhookReceiver's core, free of Functions types: route check, size limit, verification on the raw bytes
 * (fail closed), duplicate check, archive, then one sync per event, enqueued with ids derived from the
 * delivery id. Unknown provider, unknown integration and an integration of another provider all get the
 * same 404 body, so ids cannot be probed. Nothing is enqueued unless verification passed.
 */
import { createHash } from 'node:crypto';
import type { HttpResponseInit } from '@azure/functions';
import { AppError } from '../errors/app-error';
import type { Integration } from '../domain/integration';
import { errorResponse, json } from '../http/responses';
import type { TraceContext } from '../observability/correlation';
import type { AppServices } from '../runtime/services';
import type { Stored } from '../storage/integrations-repository';
import { startRun } from '../sync/start-run';
import { eventParserFor, verifierFor } from './registry';
import { verifierSettingsFor, type WebhookConfig } from './config';
import { isWebhookProviderId, rejectionStatus, type WebhookEvent, type WebhookProviderId } from './types';
import { salesforceAck, SALESFORCE_ACK_CONTENT_TYPE } from './salesforce/soap';
import { archiveDelivery } from './archive';
import { receiptId as deliveryReceiptId, type DeliveryReceipt } from './delivery-log';

export interface IncomingWebhook {
  provider: string;
  integrationId: string;
  rawBody: Buffer;
  header(name: string): string | undefined;
  headers: Record<string, string>;
  /** A secret carried in the URL query (`?secret=`), for Salesforce shared-secret authentication. */
  urlSecret?: string;
  receivedAt: number;
}

/** Where verifiers get the integration's webhook secrets (current first, previous during rotation). */
export interface WebhookSecretSource {
  secretsFor(integration: Stored<Integration>): Promise<string[]>;
  /** Notion's subscription token: kept pending until an operator confirms it. */
  storePendingToken(integration: Stored<Integration>, token: string): Promise<void>;
}

type ReceiverDeps = Pick<AppServices, 'integrations' | 'runs' | 'queue' | 'logger' | 'metrics' | 'settings' | 'now' | 'blob' | 'deliveryLog' | 'webhookSecrets' | 'rateLimiter'>;

const NOT_FOUND_BODY = { error: { code: 'not_found', message: 'no such webhook endpoint' } };

/** The webhook scheme an integration speaks: its own provider's, or Standard Webhooks when configured so. */
function schemeOf(integration: Stored<Integration>): WebhookConfig {
  return integration.webhook ?? ({ provider: integration.provider } as WebhookConfig);
}

export async function receiveWebhook(deps: ReceiverDeps, webhook: IncomingWebhook, trace: TraceContext): Promise<HttpResponseInit> {
  const log = deps.logger.child({ function: 'WebhookReceiver', provider: webhook.provider, integrationId: webhook.integrationId, traceId: trace.traceId });
  const count = (verdict: string) => deps.metrics.increment('webhook_verdicts', 1, { provider: webhook.provider, verdict });
  try {
    if (webhook.rawBody.length > deps.settings.limits.webhookMaxBodyBytes) {
      count('too_large');
      throw new AppError('payload_too_large', `body is larger than ${deps.settings.limits.webhookMaxBodyBytes} bytes`);
    }
    const integration = isWebhookProviderId(webhook.provider) ? await deps.integrations.findForWebhook(webhook.integrationId) : undefined;
    const scheme = integration ? schemeOf(integration) : undefined;
    if (!integration || !scheme || scheme.provider !== webhook.provider) {
      count('unknown_endpoint');
      return json(404, NOT_FOUND_BODY);
    }
    const provider = scheme.provider as WebhookProviderId;
    // Independent reads, side by side: the tenant's inbound budget and the integration's webhook secrets.
    const [inbound, secrets] = await Promise.all([deps.rateLimiter.checkInbound('webhook', integration.tenantId), deps.webhookSecrets.secretsFor(integration)]);
    if (!inbound.allowed) {
      count('rate_limited');
      throw new AppError('rate_limited', 'too many webhook deliveries for this tenant', { retryAfterMs: inbound.retryAfterMs });
    }
    const settings = verifierSettingsFor(scheme, { headers: webhook.header, urlSecret: webhook.urlSecret });
    const result = await verifierFor(provider)({ rawBody: webhook.rawBody, headers: webhook.header, secrets, now: webhook.receivedAt }, settings);
    const receipt = (verdict: DeliveryReceipt['verdict'], deliveryId: string, extra: Partial<DeliveryReceipt> = {}): DeliveryReceipt => ({
      id: '',
      integrationId: integration.id,
      tenantId: integration.tenantId,
      provider,
      deliveryId,
      verdict,
      receivedAt: new Date(webhook.receivedAt).toISOString(),
      handlingMs: Date.now() - webhook.receivedAt,
      ...extra,
    });

    if (!result.ok) {
      count(result.reason);
      log.warn('webhook rejected', { reason: result.reason });
      await recordQuietly(deps, log, receipt('rejected', `rejected-${webhook.receivedAt}-${Math.random().toString(36).slice(2, 10)}`, { reason: result.reason }));
      return json(rejectionStatus(result.reason), { error: { code: rejectionStatus(result.reason) === 401 ? 'unauthorized' : 'rejected', message: 'webhook could not be verified', reason: result.reason } });
    }

    switch (result.outcome.kind) {
      case 'challenge':
        count('challenge');
        return json(200, { challenge: result.outcome.challenge });
      case 'channel_sync':
        count('channel_sync');
        return json(200, { received: true });
      case 'handshake':
        count('handshake');
        await deps.webhookSecrets.storePendingToken(integration, result.outcome.verificationToken);
        log.info('webhook subscription token received; waiting for an operator to confirm it');
        await recordQuietly(deps, log, receipt('handshake', result.deliveryId));
        return json(200, { received: true });
      case 'event':
        break;
    }

    if (await deps.deliveryLog.alreadyAccepted(integration.id, result.deliveryId)) {
      count('duplicate');
      await deps.deliveryLog.countDuplicate(integration.id, result.deliveryId).catch((error: unknown) => log.warn('could not count a duplicate delivery', { error }));
      return acknowledge(provider, { duplicate: true, deliveryId: result.deliveryId });
    }
    // Both must succeed before the delivery counts as accepted; neither depends on the other.
    const [archived, runIds] = await Promise.all([
      archiveDelivery(deps.blob, { provider, integrationId: integration.id, deliveryId: result.deliveryId, receivedAt: new Date(webhook.receivedAt).toISOString(), headers: webhook.headers }, webhook.rawBody),
      enqueueEvents(deps, integration, provider, result.deliveryId, webhook, trace),
    ]);
    await deps.deliveryLog.markAccepted({ ...receipt('accepted', result.deliveryId, { archiveBlob: archived.name, bodySha256: archived.bodySha256, runIds }), id: deliveryReceiptId(result.deliveryId) });
    count('accepted');
    return acknowledge(provider, { accepted: true, deliveryId: result.deliveryId, runIds });
  } catch (error) {
    return errorResponse(error, log);
  }
}

/** Parse a verified body into sync targets and start one run per target (ids from the delivery id). */
export async function enqueueEvents(
  deps: Pick<ReceiverDeps, 'runs' | 'queue' | 'now'>,
  integration: Stored<Integration>,
  provider: WebhookProviderId,
  deliveryId: string,
  webhook: Pick<IncomingWebhook, 'rawBody' | 'header'>,
  trace: TraceContext,
  runIdSalt = '',
): Promise<string[]> {
  const parsed = eventParserFor(provider)({ rawBody: webhook.rawBody, headers: webhook.header });
  if (!parsed.ok) throw new AppError('bad_request', `webhook body is malformed: ${parsed.detail}`, { target: 'body' });
  const runIds: string[] = [];
  for (const [index, event] of mergeByEntity(parsed.events).entries()) {
    // Short, deterministic ids: provider delivery ids can be long, and message ids are limited to 128 characters.
    const runId = `wh-${createHash('sha256').update(`${integration.id}|${deliveryId}|${runIdSalt}`).digest('hex').slice(0, 32)}-${index}`;
    await startRun(deps, {
      integration,
      mode: event.kind === 'records' ? 'targeted' : 'incremental',
      trigger: 'webhook',
      trace,
      runId,
      entity: event.entity,
      ...(event.kind === 'records' ? { ids: event.ids } : {}),
      now: deps.now(),
    });
    runIds.push(runId);
  }
  return runIds;
}

/** One target per entity: ids of several events on the same entity are fetched in one targeted run. */
function mergeByEntity(events: WebhookEvent[]): WebhookEvent[] {
  const byEntity = new Map<string, WebhookEvent>();
  for (const event of events) {
    const existing = byEntity.get(event.entity);
    if (!existing) byEntity.set(event.entity, event.kind === 'records' ? { ...event, ids: [...event.ids] } : event);
    else if (existing.kind === 'incremental' || event.kind === 'incremental') byEntity.set(event.entity, { kind: 'incremental', entity: event.entity });
    else existing.ids.push(...event.ids.filter((id) => !existing.ids.includes(id)));
  }
  return [...byEntity.values()];
}

function acknowledge(provider: WebhookProviderId, body: Record<string, unknown>): HttpResponseInit {
  // Salesforce retries an Outbound Message until it gets its SOAP acknowledgement.
  if (provider === 'salesforce') return { status: 200, body: salesforceAck(), headers: { 'content-type': SALESFORCE_ACK_CONTENT_TYPE } };
  return json(200, body);
}

async function recordQuietly(deps: Pick<ReceiverDeps, 'deliveryLog'>, log: { warn(message: string, fields?: Record<string, unknown>): void }, receipt: DeliveryReceipt): Promise<void> {
  await deps.deliveryLog.save({ ...receipt, id: deliveryReceiptId(receipt.deliveryId) }).catch((error: unknown) => log.warn('could not record the webhook receipt', { error }));
}
