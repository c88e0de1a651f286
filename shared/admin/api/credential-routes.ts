/**
 * Admin routes for an integration's credentials (write-only: secret material is never returned):
 *   PUT  …/integrations/{integrationId}/credentials           a non-OAuth credential (api_key, bearer_token, basic_auth, …)
 *   GET  …/integrations/{integrationId}/credentials           its type, status and expiry only
 *   PUT  …/integrations/{integrationId}/webhook-secret         {"secret", "overlapMinutes"?}: the previous one keeps verifying for the overlap
 *   POST …/integrations/{integrationId}/webhook-secret/confirm-pending   promote a pending Notion verification token
 *   GET  tenants/{tenantId}/credentials/expiry                 near expiry, expired, too old, needing re-authorisation
 */
import { z } from 'zod';
import { AppError } from '../../core/app-error';
import { json, parseBody } from '../../platform/http/responses';
import { checkTokenEndpoint } from './outbound-targets';
import { credentialRef } from '../../app/integration-credentials';
import { tenantIdSchema } from '../../core/integration';
import type { Integration } from '../../core/integration';
import type { AdminContext, AdminRouter } from './context';
import type { WebhookSecretStatus } from '../contracts/operations';
import { loadIntegration } from './integration-routes';
import { unknownField } from './unknown-fields';
import { credentialSchema } from '../../credentials/types';

const BASE = 'tenants/:tenantId/integrations/:integrationId';
const DEFAULT_OVERLAP_MINUTES = 24 * 60;
const webhookSecretSchema = z
  .object({
    secret: z.string().min(16, 'must be at least 16 characters').max(512),
    overlapMinutes: z
      .number()
      .int()
      .min(0)
      .max(30 * 24 * 60)
      .optional(),
  })
  .strict();

export function registerCredentialRoutes(router: AdminRouter): void {
  router.add('PUT', `${BASE}/credentials`, async (ctx, params) => {
    const integration = await loadIntegration(ctx, params);
    const body = await ctx.request.body();
    if (typeof body !== 'object' || body === null || !('type' in body))
      throw new AppError('bad_request', 'type: a credential type is required', { target: 'type' });
    if ((body as { type: unknown }).type === 'oauth2_authorization_code')
      throw new AppError(
        'bad_request',
        'type: OAuth credentials are set through the OAuth connect flow (…/oauth/start)',
        { target: 'type' },
      );
    if ((body as { type: unknown }).type === 'webhook_secret')
      throw new AppError('bad_request', 'type: webhook secrets are set through …/webhook-secret', { target: 'type' });
    // Like every other route's strict schema: a misspelt field is refused, not dropped.
    const unknown = unknownField(credentialSchema, body);
    if (unknown) throw new AppError('bad_request', `${unknown}: unknown field`, { target: unknown });
    await checkTokenEndpoint(body);
    const metadata = await ctx.services.credentials.service.put(
      credentialRef(integration, 'api'),
      body as Parameters<typeof ctx.services.credentials.service.put>[1],
    );
    ctx.logger.info('credential stored', { integrationId: integration.id, type: metadata.type, by: ctx.principal.id });
    return json(200, publicMetadata(metadata));
  });

  router.add('GET', `${BASE}/credentials`, async (ctx, params) => {
    const integration = await loadIntegration(ctx, params);
    const metadata = await ctx.services.credentials.service.metadata(credentialRef(integration, 'api'));
    if (!metadata) throw new AppError('not_found', 'no credential is set for this integration');
    return json(200, publicMetadata(metadata));
  });

  router.add('PUT', `${BASE}/webhook-secret`, async (ctx, params) => {
    const integration = await loadIntegration(ctx, params);
    const { secret, overlapMinutes } = parseBody(webhookSecretSchema, await ctx.request.body());
    const metadata = await ctx.services.credentials.service.setWebhookSecret(
      credentialRef(integration, 'webhook'),
      secret,
      (overlapMinutes ?? DEFAULT_OVERLAP_MINUTES) * 60_000,
    );
    ctx.logger.info('webhook secret set', { integrationId: integration.id, by: ctx.principal.id });
    const status = await webhookSecretStatus(ctx, integration);
    return json(200, {
      ...publicMetadata(metadata),
      ...(status?.previousValidUntil ? { previousValidUntil: status.previousValidUntil } : {}),
    });
  });

  router.add('POST', `${BASE}/webhook-secret/confirm-pending`, async (ctx, params) => {
    const integration = await loadIntegration(ctx, params);
    const pendingRef = credentialRef(integration, 'webhook-pending');
    const pending = await ctx.services.credentials.service.webhookSecrets(pendingRef);
    if (pending.length === 0) throw new AppError('not_found', 'no pending verification token');
    const metadata = await ctx.services.credentials.service.setWebhookSecret(
      credentialRef(integration, 'webhook'),
      pending[0]!,
      0,
    );
    await ctx.services.credentials.service.delete(pendingRef);
    ctx.logger.info('pending webhook verification token confirmed', {
      integrationId: integration.id,
      by: ctx.principal.id,
    });
    return json(200, publicMetadata(metadata));
  });

  router.add('GET', 'tenants/:tenantId/credentials/expiry', async (ctx, params) => {
    const tenantId = tenantIdSchema.safeParse(params.tenantId);
    if (!tenantId.success) throw new AppError('bad_request', 'tenantId: invalid', { target: 'tenantId' });
    const findings = await ctx.services.credentials.service.expiryReport(ctx.services.now());
    return json(200, { items: findings.filter((finding) => finding.ref.tenantId === tenantId.data) });
  });
}

/**
 * The signing secret's state as the admin UI shows it: never a value, only when the secret replaced last stops
 * verifying (while that is still ahead), so an operator can see that a rotation keeps old deliveries valid.
 */
export async function webhookSecretStatus(
  ctx: AdminContext,
  integration: Pick<Integration, 'tenantId' | 'id'>,
): Promise<WebhookSecretStatus | null> {
  const read = await ctx.services.credentials.service.read(credentialRef(integration, 'webhook'), { fresh: true });
  if (!read) return null;
  const { doc } = read;
  const until = doc.credential.type === 'webhook_secret' ? doc.credential.previousValidUntil : undefined;
  const inOverlap = until !== undefined && Date.parse(until) > ctx.services.now().getTime();
  return {
    status: doc.status,
    rotatedAt: doc.rotatedAt,
    updatedAt: doc.updatedAt,
    ...(inOverlap ? { previousValidUntil: until } : {}),
  };
}

/** Metadata as the API shows it: never a value, never a version that could be used to fetch one. */
function publicMetadata(metadata: {
  type: string;
  status: string;
  statusReason?: string;
  expiresAt?: string;
  accessExpiresAt?: string;
  createdAt: string;
  rotatedAt: string;
  updatedAt: string;
  refreshedAt?: string;
}) {
  const { type, status, statusReason, expiresAt, accessExpiresAt, createdAt, rotatedAt, updatedAt, refreshedAt } =
    metadata;
  return { type, status, statusReason, expiresAt, accessExpiresAt, createdAt, rotatedAt, updatedAt, refreshedAt };
}
