/**
 * The WebhookReceiver's core, free of Functions types. On the request path only what a correct answer needs:
 * size limit, endpoint lookup (cached), verification on the raw bytes (fail closed; cached secrets, read fresh
 * once when they fail), parsing into sync targets, the tenant's inbound limit side by side with the duplicate
 * claim (one Redis round trip for both), and the group commit of the delivery (intake.ts: archive, runs,
 * queue hand-off, receipt) before the 2xx. Receipts of rejected deliveries and duplicate counts are
 * statistics, written in micro-batches after the answer. Unknown provider, unknown integration and an
 * integration of another provider all get the same 404 body, so ids cannot be probed. Nothing is enqueued
 * unless verification passed.
 */
import { sha256Hex } from '../../core/sha256';
import type { HttpResponseInit } from '@azure/functions';
import { AppError } from '../../core/app-error';
import type { Integration } from '../../core/integration';
import { errorResponse, json } from '../../platform/http/responses';
import { isPathId } from '../../platform/http/router';
import type { TraceContext } from '../../platform/observability/correlation';
import type { AppServices } from '../../app/services';
import type { Stored } from '../../core/stored';
import { runStartOf, startRun, type StartRunRequest } from '../../sync/runs/start-run';
import { eventParserFor, verifierFor } from '../verify/registry';
import { verifierSettingsFor, webhookConfigSchema, type WebhookConfig } from '../verify/config';
import { verifierIo } from './google-jwks';
import { isWebhookProviderId, rejectionStatus, type WebhookEvent, type WebhookProviderId } from '../verify/types';
import { salesforceAck, SALESFORCE_ACK_CONTENT_TYPE } from '../verify/salesforce/soap';
import { receiptId, type DeliveryReceipt } from './delivery-log';
import { verifyWithSecrets } from './secrets';
import { eventTypeOf } from '../verify/event-type';
import { configuredSecretHeaders, redactHeaders } from './redaction';

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

type ReceiverDeps = Pick<
  AppServices,
  | 'integrations'
  | 'logger'
  | 'metrics'
  | 'settings'
  | 'now'
  | 'deliveryLog'
  | 'deliveryClaims'
  | 'webhookSecrets'
  | 'rateLimiter'
  | 'webhookIntake'
>;

const NOT_FOUND_BODY = { error: { code: 'not_found', message: 'no such webhook endpoint' } };

/**
 * The webhook scheme an integration speaks: its configured one (Standard Webhooks, Salesforce's organization id
 * and auth, Google's mode), else its provider's own, which needs no settings; providers whose scheme needs
 * settings have no endpoint until an operator configures them.
 */
function schemeOf(integration: Stored<Integration>): WebhookConfig | undefined {
  if (integration.webhook) return integration.webhook;
  // Validated once per provider, not per delivery (a schema parse cost more than verifying the signature).
  if (!implicitSchemes.has(integration.provider)) {
    const implicit = webhookConfigSchema.safeParse({ provider: integration.provider });
    implicitSchemes.set(integration.provider, implicit.success ? Object.freeze(implicit.data) : undefined);
  }
  return implicitSchemes.get(integration.provider);
}

const implicitSchemes = new Map<string, WebhookConfig | undefined>();

export async function receiveWebhook(
  deps: ReceiverDeps,
  webhook: IncomingWebhook,
  trace: TraceContext,
): Promise<HttpResponseInit> {
  const count = (verdict: string) => countVerdict(deps, webhook.provider, verdict);
  const log = () => receiverLog(deps, webhook, trace);
  try {
    if (webhook.rawBody.length > deps.settings.limits.webhookMaxBodyBytes) {
      count('too_large');
      throw new AppError('payload_too_large', `body is larger than ${deps.settings.limits.webhookMaxBodyBytes} bytes`);
    }
    // An id outside the path rule (router.ts) names no integration: the same 404, without a lookup.
    const integration =
      isWebhookProviderId(webhook.provider) && isPathId(webhook.integrationId)
        ? await deps.integrations.findForWebhook(webhook.integrationId)
        : undefined;
    const scheme = integration ? schemeOf(integration) : undefined;
    if (!integration || !scheme || scheme.provider !== webhook.provider) {
      count('unknown_endpoint');
      return json(404, NOT_FOUND_BODY);
    }
    const provider = scheme.provider as WebhookProviderId;
    const overLimit = (inbound: { retryAfterMs?: number }) => {
      count('rate_limited');
      return new AppError('rate_limited', 'too many webhook deliveries for this tenant', {
        retryAfterMs: inbound.retryAfterMs,
      });
    };
    const checkInbound = () => deps.rateLimiter.checkInbound('webhook', integration.tenantId);
    const secrets = await deps.webhookSecrets.secretsFor(integration);
    const settings = verifierSettingsFor(scheme, { headers: webhook.header, urlSecret: webhook.urlSecret }, verifierIo);
    // Every secret tried (a fresh read may add a rotated one): none of them may be archived.
    const secretsSeen = new Set(secrets);
    const result = await verifyWithSecrets(deps.webhookSecrets, integration, secrets, (candidates) => {
      for (const candidate of candidates) secretsSeen.add(candidate);
      return verifierFor(provider)(
        { rawBody: webhook.rawBody, headers: webhook.header, secrets: candidates, now: webhook.receivedAt },
        settings,
      );
    });
    const receipt = (
      verdict: DeliveryReceipt['verdict'],
      deliveryId: string,
      extra: Partial<DeliveryReceipt> = {},
    ): DeliveryReceipt => ({
      id: receiptId(deliveryId),
      integrationId: integration.id,
      tenantId: integration.tenantId,
      provider,
      deliveryId,
      verdict,
      receivedAt: new Date(webhook.receivedAt).toISOString(),
      handlingMs: Date.now() - webhook.receivedAt,
      ...extra,
    });

    // Every delivery counts against the tenant's inbound limit, verified or not; a verified event checks it side
    // by side with its duplicate claim (below), the rest here.
    if (!result.ok || result.outcome.kind !== 'event') {
      const inbound = await checkInbound();
      if (!inbound.allowed) throw overLimit(inbound);
    }

    if (!result.ok) {
      count(result.reason);
      log().warn('webhook rejected', { reason: result.reason });
      deps.deliveryLog.record(
        receipt('rejected', `rejected-${webhook.receivedAt}-${Math.random().toString(36).slice(2, 10)}`, {
          reason: result.reason,
        }),
      );
      return json(rejectionStatus(result.reason), {
        error: {
          code: rejectionStatus(result.reason) === 401 ? 'unauthorized' : 'rejected',
          message: 'webhook could not be verified',
          reason: result.reason,
        },
      });
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
        log().info('webhook subscription token received; waiting for an operator to confirm it');
        deps.deliveryLog.record(receipt('handshake', result.deliveryId));
        return json(200, { received: true });
      case 'event':
        break;
    }

    // Malformed bodies are answered 400 before anything is claimed or written.
    const requests = runRequestsFor(integration, provider, result.deliveryId, webhook, trace, deps.now());
    const starts = requests.map(runStartOf);
    const eventType = eventTypeOf(
      provider,
      webhook.header,
      requests.map((request) => request.entity),
    );
    const claimKey = { integrationId: integration.id, receiptId: receiptId(result.deliveryId) };
    const [inbound, claim] = await Promise.all([checkInbound(), deps.deliveryClaims.claim(claimKey)]);
    if (!inbound.allowed) {
      if (claim === 'claimed') await deps.deliveryClaims.release(claimKey);
      throw overLimit(inbound);
    }
    if (claim === 'duplicate') {
      count('duplicate');
      deps.deliveryLog.countDuplicate(integration.id, result.deliveryId);
      return acknowledge(provider, { duplicate: true, deliveryId: result.deliveryId });
    }
    if (claim === 'in_flight') {
      count('in_flight');
      throw new AppError('conflict', 'this delivery is being processed; retry shortly', { retryAfterMs: 1000 });
    }
    let committed;
    try {
      committed = await deps.webhookIntake.commit({
        tenantId: integration.tenantId,
        integrationId: integration.id,
        provider,
        deliveryId: result.deliveryId,
        receiptId: claimKey.receiptId,
        receivedAt: webhook.receivedAt,
        // Only what may be stored: the configured secret header and any value holding a secret go too.
        headers: redactHeaders(webhook.headers, {
          secretHeaders: configuredSecretHeaders(scheme),
          secretValues: [...secretsSeen],
        }),
        rawBody: webhook.rawBody,
        starts,
        ...(eventType ? { eventType } : {}),
      });
    } catch (error) {
      // Not committed: forget the claim so the provider's retry is processed, and answer 5xx so it retries.
      await deps.deliveryClaims.release(claimKey);
      throw error;
    }
    count('accepted');
    return acknowledge(provider, { accepted: true, deliveryId: result.deliveryId, runIds: committed.runIds });
  } catch (error) {
    return errorResponse(error, log());
  }
}

function countVerdict(deps: Pick<ReceiverDeps, 'metrics'>, provider: string, verdict: string): void {
  deps.metrics.increment('webhook_verdicts', 1, { provider, verdict });
}

function receiverLog(deps: Pick<ReceiverDeps, 'logger'>, webhook: IncomingWebhook, trace: TraceContext) {
  return deps.logger.child({
    function: 'WebhookReceiver',
    provider: webhook.provider,
    integrationId: webhook.integrationId,
    traceId: trace.traceId,
  });
}

/** Parse a verified body into one run request per entity (ids derived from the delivery id). */
export function runRequestsFor(
  integration: Stored<Integration>,
  provider: WebhookProviderId,
  deliveryId: string,
  webhook: Pick<IncomingWebhook, 'rawBody' | 'header'>,
  trace: TraceContext,
  now: Date,
  runIdSalt = '',
): StartRunRequest[] {
  const parsed = eventParserFor(provider)({ rawBody: webhook.rawBody, headers: webhook.header });
  if (!parsed.ok) throw new AppError('bad_request', `webhook body is malformed: ${parsed.detail}`, { target: 'body' });
  // Short, deterministic ids: provider delivery ids can be long, and message ids are limited to 128 characters.
  const runIdBase = `wh-${sha256Hex(`${integration.id}|${deliveryId}|${runIdSalt}`).slice(0, 32)}`;
  return mergeByEntity(parsed.events).map((event, index) => ({
    integration,
    mode: event.kind === 'records' ? 'targeted' : 'incremental',
    trigger: 'webhook',
    trace,
    runId: `${runIdBase}-${index}`,
    entity: event.entity,
    ...(event.kind === 'records' ? { ids: event.ids } : {}),
    now,
  }));
}

/** Parse a verified body into sync targets and start one run per target, one by one (replay). */
export async function enqueueEvents(
  deps: Pick<AppServices, 'runs' | 'queue' | 'now'>,
  integration: Stored<Integration>,
  provider: WebhookProviderId,
  deliveryId: string,
  webhook: Pick<IncomingWebhook, 'rawBody' | 'header'>,
  trace: TraceContext,
  runIdSalt = '',
): Promise<string[]> {
  const runIds: string[] = [];
  for (const request of runRequestsFor(integration, provider, deliveryId, webhook, trace, deps.now(), runIdSalt)) {
    await startRun(deps, request);
    runIds.push(request.runId!);
  }
  return runIds;
}

/** One target per entity: ids of several events on the same entity are fetched in one targeted run. */
function mergeByEntity(events: WebhookEvent[]): WebhookEvent[] {
  const byEntity = new Map<string, WebhookEvent>();
  for (const event of events) {
    const existing = byEntity.get(event.entity);
    if (!existing) byEntity.set(event.entity, event.kind === 'records' ? { ...event, ids: [...event.ids] } : event);
    else if (existing.kind === 'incremental' || event.kind === 'incremental')
      byEntity.set(event.entity, { kind: 'incremental', entity: event.entity });
    else existing.ids.push(...event.ids.filter((id) => !existing.ids.includes(id)));
  }
  return [...byEntity.values()];
}

function acknowledge(provider: WebhookProviderId, body: Record<string, unknown>): HttpResponseInit {
  // Salesforce retries an Outbound Message until it gets its SOAP acknowledgement.
  if (provider === 'salesforce')
    return { status: 200, body: salesforceAck(), headers: { 'content-type': SALESFORCE_ACK_CONTENT_TYPE } };
  return json(200, body);
}
