/**
 * Rate-limit overrides per tenant and per integration (docs/ratelimit.md describes the shape):
 *   GET | PUT | DELETE tenants/{tenantId}/rate-limits
 *   GET | PUT | DELETE tenants/{tenantId}/integrations/{integrationId}/rate-limits
 * plus GET rate-limits/defaults: the provider defaults every override starts from, and
 *   GET tenants/{tenantId}/integrations/{integrationId}/rate-limits/usage?operation=…   the budgets in use now,
 *       per level (tenant, integration, app, concurrency; an operation level for each `operation` asked for)
 */
import { AppError } from '../../core/app-error';
import { json } from '../../platform/http/responses';
import { tenantIdSchema } from '../../core/integration';
import { parseOverride, PROVIDER_LIMITS, DEFAULT_TENANT_RULE, limitsTierOf, type OverrideScope } from '../../ratelimit';
import type { Params } from '../../platform/http/router';
import type { AdminContext, AdminRouter } from './context';
import { loadIntegration } from './integration-routes';
import type {
  LevelUsageView,
  RateLimitDefaultsResponse,
  RateLimitOverrideResponse,
  RateLimitUsageResponse,
  UsageLevelName,
} from '../contracts/operations';
import type { LevelUsage } from '../../ratelimit/usage';

const MAX_OPERATIONS = 10;
const OPERATION = /^[A-Za-z0-9_.:/-]{1,200}$/;

function view(usage: LevelUsage, operation?: string): LevelUsageView {
  const { key, level, ...rest } = usage;
  void key; // internal: names tenants and the key layout
  return { ...rest, level: level as UsageLevelName, ...(operation ? { operation } : {}) };
}

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
  router.add('GET', 'rate-limits/defaults', async () =>
    json(200, { providers: PROVIDER_LIMITS, tenant: DEFAULT_TENANT_RULE } satisfies RateLimitDefaultsResponse),
  );

  router.add('GET', 'tenants/:tenantId/integrations/:integrationId/rate-limits/usage', async (ctx, params) => {
    const integration = await loadIntegration(ctx, params);
    const operations = [...new Set(ctx.request.query.getAll('operation'))];
    if (operations.length > MAX_OPERATIONS)
      throw new AppError('bad_request', `operation: at most ${MAX_OPERATIONS} operations at once`, {
        target: 'operation',
      });
    const bad = operations.find((operation) => !OPERATION.test(operation));
    if (bad !== undefined)
      throw new AppError('bad_request', 'operation: must be 1-200 letters, digits, ".", "_", ":", "/" or "-"', {
        target: 'operation',
      });
    const target = {
      tenantId: integration.tenantId,
      integrationId: integration.id,
      provider: integration.provider,
      // The integration's limits tier (Slack's app distribution) decides some operation levels.
      tier: limitsTierOf(PROVIDER_LIMITS[integration.provider], integration.providerOptions),
    };
    // The shared levels come from a call with no operation; each operation asked for adds its own level.
    const base = await ctx.services.rateLimiter.usage({ ...target, operation: '' });
    const levels = base.levels.filter((level) => level.level !== 'operation').map((level) => view(level));
    for (const operation of operations) {
      const usage = await ctx.services.rateLimiter.usage({ ...target, operation });
      for (const level of usage.levels) if (level.level === 'operation') levels.push(view(level, operation));
    }
    const answer: RateLimitUsageResponse = {
      tenantId: integration.tenantId,
      integrationId: integration.id,
      provider: integration.provider,
      backend: base.backend,
      at: ctx.services.now().toISOString(),
      levels,
    };
    return json(200, answer);
  });

  for (const base of ['tenants/:tenantId/rate-limits', 'tenants/:tenantId/integrations/:integrationId/rate-limits']) {
    router.add('GET', base, async (ctx, params) => {
      const scope = await scopeOf(ctx, params);
      return json(200, {
        scope,
        override: (await ctx.services.rateLimiter.getOverride(scope)) ?? null,
        health: ctx.services.rateLimiter.health(),
      } satisfies RateLimitOverrideResponse);
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
