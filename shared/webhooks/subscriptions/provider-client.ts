/**
 * The provider HTTP client subscription calls go through: the integration's API base URL and credential, the
 * shared client's timeouts and error taxonomy, and the rate limiter's hooks, so creating a hook or a channel is
 * paced like any other call against the integration's budget.
 */
import { AppError } from '../../core/app-error';
import type { Integration } from '../../core/integration';
import { providerDescriptor } from '../../core/providers';
import type { AdapterContext } from '../../adapters/contract';
import { createProviderHttpClient, type ProviderHttpClient, type ProviderHttpProfile } from '../../adapters/http';
import { credentialRef } from '../../app/integration-credentials';
import type { Credentials } from '../../credentials';
import { createAdapterHooks, type RateLimiter } from '../../ratelimit';

export interface ProviderClientDeps {
  credentials: Pick<Credentials, 'authProvider'>;
  rateLimiter: RateLimiter;
  requestTimeoutMs: number;
}

/** Runs `work` with a paced client for the integration; the limiter's leases are given back however it ends. */
export async function withProviderClient<T>(
  deps: ProviderClientDeps,
  integration: Integration,
  profile: ProviderHttpProfile,
  work: (http: ProviderHttpClient) => Promise<T>,
): Promise<T> {
  const baseUrl = integration.baseUrl ?? providerDescriptor(integration.provider).api.baseUrl;
  if (!baseUrl)
    throw new AppError('configuration', `integration ${integration.id} needs a baseUrl`, { target: 'baseUrl' });
  const hooks = createAdapterHooks(deps.rateLimiter, {
    tenantId: integration.tenantId,
    integrationId: integration.id,
    provider: integration.provider,
  });
  const context: AdapterContext = {
    baseUrl,
    options: integration.providerOptions,
    auth: deps.credentials.authProvider(credentialRef(integration, 'api')),
    requestTimeoutMs: deps.requestTimeoutMs,
    beforeRequest: hooks.beforeRequest,
    onRateLimitSignal: hooks.onRateLimitSignal,
  };
  try {
    return await work(createProviderHttpClient(context, profile));
  } finally {
    await hooks.releaseAll();
  }
}
