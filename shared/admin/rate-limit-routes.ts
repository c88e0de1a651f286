/**
 * Rate-limit overrides per tenant and per integration (docs/ratelimit.md describes the shape):
 *   GET | PUT | DELETE tenants/{tenantId}/rate-limits
 *   GET | PUT | DELETE tenants/{tenantId}/integrations/{integrationId}/rate-limits
 * plus GET rate-limits/defaults: the provider defaults every override starts from.
 */
import { AppError } from '../errors/app-error';
import { json } from '../http/responses';
import { tenantIdSchema } from '../domain/integration';
import { parseOverride, PROVIDER_LIMITS, DEFAULT_TENANT_RULE, type OverrideScope } from '../ratelimit';
import type { Params } from '../http/router';
import type { AdminContext, AdminRouter } from './admin-api';
import { loadIntegration } from './integration-routes';

async function scopeOf(ctx: AdminContext, params: Params): Promise<OverrideScope> {
  if (params.integrationId !== undefined) {
    const integration = await loadIntegration(ctx, params);
    return { tenantId: integration.tenantId, integrationId: integration.id };
  }
  const tenantId = tenantIdSchema.safeParse(params.tenantId);
  if (!tenantId.success) throw new AppError('bad_request', 'tenantId: invalid', { target: 'tenantId' });
  return { tenantId: tenantId.data };
}

export function registerRateLimitRoutes(router: AdminRouter): void {
  router.add('GET', 'rate-limits/defaults', async () => json(200, { providers: PROVIDER_LIMITS, tenant: DEFAULT_TENANT_RULE }));

  for (const base of ['tenants/:tenantId/rate-limits', 'tenants/:tenantId/integrations/:integrationId/rate-limits']) {
    router.add('GET', base, async (ctx, params) => {
      const scope = await scopeOf(ctx, params);
      return json(200, { scope, override: (await ctx.services.rateLimiter.getOverride(scope)) ?? null, health: ctx.services.rateLimiter.health() });
    });
    router.add('PUT', base, async (ctx, params) => {
      const scope = await scopeOf(ctx, params);
      const override = parseOverride(await ctx.request.body());
      await ctx.services.rateLimiter.setOverride(scope, override);
      ctx.logger.info('rate-limit override set', { ...scope, by: ctx.principal.id });
      return json(200, { scope, override });
    });
    router.add('DELETE', base, async (ctx, params) => {
      const scope = await scopeOf(ctx, params);
      await ctx.services.rateLimiter.deleteOverride(scope);
      return { status: 204 };
    });
  }
}
