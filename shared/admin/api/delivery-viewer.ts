/**
 * The webhook delivery viewer's reads:
 *   GET …/integrations/{integrationId}/webhooks/deliveries/{deliveryId}   one delivery: its receipt, event type,
 *       headers and payload from the blob archive, and the runs it started (with their status)
 * and the filters of the delivery list (verdict, event type, order, limit), parsed here for webhook-routes.ts.
 *
 * Secrets never leave: the archive holds headers already redacted by name (intake/redaction.ts), and they are
 * redacted again here with the integration's own rules (its secret header, its current and previous secrets'
 * values), so an archive written before a rule existed is still shown safely. The payload's credential fields
 * (Slack's legacy `token`, Notion's `verification_token`…) and any value holding a webhook secret are redacted too.
 */
import { AppError } from '../../core/app-error';
import { REDACTED } from '../../platform/observability/logger';
import { json } from '../../platform/http/responses';
import { readArchivedDelivery } from '../../webhooks/intake/archive';
import { configuredSecretHeaders, containsSecret, redactHeaders } from '../../webhooks/intake/redaction';
import type { DeliveryReceipt, DeliveryVerdict } from '../../webhooks/intake/receipt-types';
import { eventTypeOf } from '../../webhooks/verify/event-type';
import { isWebhookProviderId } from '../../webhooks/verify/types';
import type { ReceiptListFilter } from '../../stores/documents/webhook-receipts-repository';
import type { DeliveryDetailResponse, DeliveryRunLink } from '../contracts/charts';
import type { AdminContext, AdminRouter } from './context';
import { loadIntegration } from './integration-routes';
import { badParam } from './series-range';

const VERDICTS: readonly DeliveryVerdict[] = [
  'accepted',
  'duplicate',
  'rejected',
  'handshake',
  'challenge',
  'channel_sync',
];
const MAX_LIST = 1000;
const MAX_EVENT_TYPE = 100;
/** Payload fields that carry a credential in some provider's deliveries, whatever their value looks like. */
const CREDENTIAL_FIELDS = new Set([
  'token',
  'verification_token',
  'access_token',
  'refresh_token',
  'id_token',
  'secret',
  'client_secret',
  'password',
  'api_key',
  'apikey',
  'authorization',
  'signature',
]);

/** The delivery list's query: `verdict`, `eventType`, `order` (oldest | newest), `limit` (1-1000). */
export function parseDeliveryFilter(query: URLSearchParams): { filter: ReceiptListFilter; limit: number } {
  const filter: ReceiptListFilter = {};
  const verdict = query.get('verdict');
  if (verdict !== null) {
    if (!(VERDICTS as readonly string[]).includes(verdict))
      throw badParam('verdict', `must be one of ${VERDICTS.join(', ')}`);
    filter.verdict = verdict as DeliveryVerdict;
  }
  const eventType = query.get('eventType');
  if (eventType !== null) {
    if (eventType.length === 0 || eventType.length > MAX_EVENT_TYPE)
      throw badParam('eventType', `must be 1-${MAX_EVENT_TYPE} characters`);
    filter.eventType = eventType;
  }
  const order = query.get('order');
  if (order !== null && order !== 'oldest' && order !== 'newest') throw badParam('order', 'must be oldest or newest');
  if (order === 'newest') filter.newestFirst = true;
  const limitText = query.get('limit');
  const limit = limitText === null ? MAX_LIST : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIST) throw badParam('limit', `must be 1-${MAX_LIST}`);
  return { filter, limit };
}

/** Credential fields by name, and any string holding one of the secrets, replaced throughout a JSON value. */
export function redactPayload(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === 'string') return containsSecret(value, secrets) ? REDACTED : value;
  if (Array.isArray(value)) return value.map((item) => redactPayload(item, secrets));
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([key, item]) => [
        key,
        CREDENTIAL_FIELDS.has(key.toLowerCase()) && item !== null && item !== ''
          ? REDACTED
          : redactPayload(item, secrets),
      ]),
    );
  return value;
}

function payloadView(
  rawBody: Buffer,
  contentType: string | undefined,
  sha256: string,
  secrets: readonly string[],
): NonNullable<DeliveryDetailResponse['payload']> {
  const base = { bytes: rawBody.length, sha256, ...(contentType ? { contentType } : {}) };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(rawBody);
  } catch {
    // Not text: shown as base64, unless a secret is in it somewhere (then not at all).
    return containsSecret(rawBody.toString('latin1'), secrets) ? base : { ...base, base64: rawBody.toString('base64') };
  }
  try {
    return { ...base, text: JSON.stringify(redactPayload(JSON.parse(text), secrets), null, 2) };
  } catch {
    // Form bodies (Slack commands) and SOAP (Salesforce): fields by name where it is a form, secrets by value.
    const form = /^[\w.%-]+=/.test(text) && !text.includes('<') ? new URLSearchParams(text) : undefined;
    if (form) {
      for (const [key, item] of [...form.entries()])
        if (CREDENTIAL_FIELDS.has(key.toLowerCase()) || containsSecret(item, secrets)) form.set(key, REDACTED);
      return { ...base, text: form.toString() };
    }
    let shown = text;
    for (const secret of secrets) if (secret.length > 0) shown = shown.split(secret).join(REDACTED);
    return { ...base, text: shown };
  }
}

async function runLinks(ctx: AdminContext, receipt: DeliveryReceipt): Promise<DeliveryRunLink[]> {
  const ids = [...new Set([...(receipt.runIds ?? []), ...(receipt.replays ?? []).flatMap((replay) => replay.runIds)])];
  return Promise.all(
    ids.map(async (runId) => {
      const run = await ctx.services.runs.get(receipt.tenantId, receipt.integrationId, runId);
      return { runId, ...(run ? { status: run.status } : {}) };
    }),
  );
}

export function registerDeliveryViewerRoutes(router: AdminRouter): void {
  router.add(
    'GET',
    'tenants/:tenantId/integrations/:integrationId/webhooks/deliveries/:deliveryId',
    async (ctx, params) => {
      const integration = await loadIntegration(ctx, params);
      const receipt = await ctx.services.deliveryLog.get(integration.id, params.deliveryId!);
      if (!receipt || receipt.tenantId !== integration.tenantId) throw new AppError('not_found', 'delivery not found');
      const answer: DeliveryDetailResponse = {
        receipt,
        ...(receipt.eventType ? { eventType: receipt.eventType } : {}),
        runs: await runLinks(ctx, receipt),
      };
      if (!receipt.archiveBlob) {
        answer.payloadUnavailable =
          receipt.verdict === 'accepted'
            ? 'the payload was not archived'
            : `a ${receipt.verdict} delivery is not archived`;
        return json(200, answer);
      }
      const archived = await readArchivedDelivery(ctx.services.blob, receipt.archiveBlob, receipt.deliveryId);
      if (!archived) {
        answer.payloadUnavailable = 'the archived payload is missing (removed by the archive retention?)';
        return json(200, answer);
      }
      const secrets = await ctx.services.webhookSecrets.secretsFor(integration);
      const headers = redactHeaders(archived.delivery.headers, {
        secretHeaders: configuredSecretHeaders(integration.webhook),
        secretValues: secrets,
      });
      answer.headers = headers;
      if (!answer.eventType && isWebhookProviderId(receipt.provider)) {
        const eventType = eventTypeOf(receipt.provider, (name) => headers[name.toLowerCase()], []);
        if (eventType) answer.eventType = eventType;
      }
      answer.payload = payloadView(archived.rawBody, headers['content-type'], archived.delivery.bodySha256, secrets);
      return json(200, answer);
    },
  );
}
