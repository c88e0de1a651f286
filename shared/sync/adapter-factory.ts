/**
 * Builds the provider adapter of an integration: its base URL (the provider's public API unless the integration
 * names one, e.g. a sandbox or a Salesforce instance), its options, auth material from the credential store,
 * and the rate limiter's hooks around every request.
 */
import type { AdapterContext, ProviderAdapter, ProviderId } from '../adapters/contract';
import { AppError } from '../errors/app-error';
import type { Integration } from '../domain/integration';
import type { AppServices } from '../runtime/services';
import { credentialRef } from '../runtime/integration-credentials';
import { createAdapterHooks } from '../ratelimit';

/** Public API roots. Salesforce has none: every org has its own instance URL. */
export const PROVIDER_BASE_URLS: Record<ProviderId, string | undefined> = {
  github: 'https://api.github.com',
  slack: 'https://slack.com',
  notion: 'https://api.notion.com',
  google: 'https://www.googleapis.com',
  salesforce: undefined,
};

export type AdapterHooks = Pick<AdapterContext, 'beforeRequest' | 'onRateLimitSignal'>;

export function createAdapterFor(
  services: Pick<AppServices, 'adapters' | 'credentials' | 'settings'>,
  hooksFor: (integration: Integration) => AdapterHooks = () => ({}),
): (integration: Integration) => ProviderAdapter {
  return (integration) => {
    const baseUrl = integration.baseUrl ?? PROVIDER_BASE_URLS[integration.provider];
    if (!baseUrl) throw new AppError('configuration', `integration ${integration.id} needs a baseUrl (the ${integration.provider} instance URL)`, { target: 'baseUrl' });
    return services.adapters.create(integration.provider, {
      baseUrl,
      options: integration.providerOptions,
      auth: services.credentials.authProvider(credentialRef(integration, 'api')),
      requestTimeoutMs: services.settings.pipeline.requestTimeoutMs,
      ...hooksFor(integration),
    });
  };
}

/**
 * Runs one unit of provider work (a sync page, a push) with adapters whose every request goes through the
 * rate limiter; the limiter's leases are given back when the work ends, however it ends.
 */
export async function withPacedAdapters<T>(
  services: Pick<AppServices, 'adapters' | 'credentials' | 'settings' | 'rateLimiter'>,
  integration: Integration,
  work: (adapterFor: (integration: Integration) => ProviderAdapter) => Promise<T>,
): Promise<T> {
  const hooks = createAdapterHooks(services.rateLimiter, { tenantId: integration.tenantId, integrationId: integration.id, provider: integration.provider });
  try {
    return await work(createAdapterFor(services, () => ({ beforeRequest: hooks.beforeRequest, onRateLimitSignal: hooks.onRateLimitSignal })));
  } finally {
    await hooks.releaseAll();
  }
}
