/**
 * Builds the provider adapter of an integration: its base URL (the provider's public API unless the integration
 * names one, e.g. a sandbox; for Salesforce, which has none, the instance its token answers name), its options,
 * auth material from the credential store, and the rate limiter's hooks around every request. This is the only
 * place adapters are created (the registry's `create` is called nowhere else), and every adapter it creates is
 * paced by the limiter, so no provider call (sync pages, pushes, webhook-triggered fetches, the retry after a
 * token refresh, discovery) can bypass it: tests/ratelimit/adapter-pacing.test.ts checks this against the
 * provider sandboxes.
 */
import type { AuthProvider, ProviderAdapter, ProviderCall, ProviderCallObserver } from '../adapters/contract';
import { byProvider, type ProviderId } from '../core/providers';
import { AppError } from '../core/app-error';
import type { Integration } from '../core/integration';
import type { AppServices } from '../app/services';
import { credentialRef } from '../app/integration-credentials';
import { createAdapterHooks, limitsTierOf, PROVIDER_LIMITS, type AdapterRateLimitHooks } from '../ratelimit';

/** Public API roots (each provider descriptor's). Salesforce has none: every org has its own instance URL. */
export const PROVIDER_BASE_URLS: Record<ProviderId, string | undefined> = byProvider(
  (provider) => provider.api.baseUrl,
);

type AdapterServices = Pick<AppServices, 'adapters' | 'credentials' | 'settings' | 'rateLimiter'>;

/** Waits shorter than this are the limiter's own bookkeeping, not worth a line in the run log. */
const NOTABLE_WAIT_MS = 50;

function observed(hooks: AdapterRateLimitHooks, observer: ProviderCallObserver | undefined) {
  if (!observer) return { beforeRequest: hooks.beforeRequest, onRateLimitSignal: hooks.onRateLimitSignal };
  return {
    beforeRequest: async (operation: string, signal?: AbortSignal) => {
      const started = performance.now();
      try {
        await hooks.beforeRequest(operation, signal);
      } finally {
        const waitedMs = Math.round(performance.now() - started);
        if (waitedMs >= NOTABLE_WAIT_MS) observer.onWait(operation, waitedMs);
      }
    },
    onRateLimitSignal: hooks.onRateLimitSignal,
    onRequest: (call: ProviderCall) => observer.onRequest(call),
  };
}

function pacedAdapter(
  services: AdapterServices,
  integration: Integration,
  hooks: AdapterRateLimitHooks,
  observer?: ProviderCallObserver,
): ProviderAdapter {
  const baseUrl = integration.baseUrl ?? PROVIDER_BASE_URLS[integration.provider];
  const auth = services.credentials.authProvider(credentialRef(integration, 'api'));
  return services.adapters.create(integration.provider, {
    baseUrl: baseUrl ?? '',
    // No configured or public root (Salesforce): the instance the token answer named, read per request.
    ...(baseUrl ? {} : { resolveBaseUrl: (signal?: AbortSignal) => instanceOf(integration, auth, signal) }),
    options: integration.providerOptions,
    auth,
    requestTimeoutMs: services.settings.pipeline.requestTimeoutMs,
    ...observed(hooks, observer),
  });
}

async function instanceOf(integration: Integration, auth: AuthProvider, signal?: AbortSignal): Promise<string> {
  const grant = await auth.grant?.(signal);
  if (grant?.instanceUrl) return grant.instanceUrl;
  throw new AppError(
    'configuration',
    `integration ${integration.id} has no baseUrl and its credential names no ${integration.provider} instance: connect it through OAuth (the token answer names the instance) or set baseUrl`,
    { target: 'baseUrl' },
  );
}

function hooksFor(services: AdapterServices, integration: Integration): AdapterRateLimitHooks {
  return createAdapterHooks(services.rateLimiter, {
    tenantId: integration.tenantId,
    integrationId: integration.id,
    provider: integration.provider,
    // Slack's app distribution (providerOptions.appDistribution) decides the read methods' limits.
    tier: limitsTierOf(PROVIDER_LIMITS[integration.provider], integration.providerOptions),
  });
}

/**
 * Adapters for one-off calls outside a unit of work (e.g. reading the catalog for the admin API). Paced like
 * every adapter; a concurrency lease (Salesforce) is freed by the rate-limit signal of its response, or when
 * it expires. Prefer `withPacedAdapters`, which also frees leases when the work ends.
 */
export function createAdapterFor(services: AdapterServices): (integration: Integration) => ProviderAdapter {
  return (integration) => pacedAdapter(services, integration, hooksFor(services, integration));
}

/**
 * Runs one unit of provider work (a sync page, a push) with adapters whose every request goes through the
 * rate limiter, each against its own integration's budget; the limiter's leases are given back when the
 * work ends, however it ends.
 */
export async function withPacedAdapters<T>(
  services: AdapterServices,
  integration: Integration,
  work: (adapterFor: (integration: Integration) => ProviderAdapter) => Promise<T>,
  observer?: ProviderCallObserver,
): Promise<T> {
  const hooksByIntegration = new Map<string, AdapterRateLimitHooks>();
  const hooksOf = (target: Integration): AdapterRateLimitHooks => {
    const key = `${target.tenantId}\u0000${target.id}`;
    let hooks = hooksByIntegration.get(key);
    if (!hooks) hooksByIntegration.set(key, (hooks = hooksFor(services, target)));
    return hooks;
  };
  hooksOf(integration);
  try {
    return await work((target) => pacedAdapter(services, target, hooksOf(target), observer));
  } finally {
    await Promise.all([...hooksByIntegration.values()].map((hooks) => hooks.releaseAll()));
  }
}
