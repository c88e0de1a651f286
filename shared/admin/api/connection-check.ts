/**
 * "Test connection" for an integration (issue 18 §5): the checks an operator would otherwise make by hand, each
 * with a verdict and a message, using the stored credential: a credential is set and neither expired nor waiting
 * for a reconnect; the provider options the adapter needs are there; the base URL passes the outbound address
 * rule; the token works (the adapter's identity call, a cheap read); the provider answers its health check; the
 * grant's scopes cover what the adapters need, where the grant says which it has. Messages never carry a secret:
 * they are built from metadata, the adapter's error messages (which never include credentials) and the
 * provider's own non-secret answers (account name).
 */
import { AppError, toAppError } from '../../core/app-error';
import type { Integration } from '../../core/integration';
import { providerDescriptor, type ProviderOAuthDescriptor } from '../../core/providers';
import { checkProviderOptions } from '../../adapters/provider-options';
import type { ProviderAdapter } from '../../adapters/contract';
import type { AppServices } from '../../app/services';
import { credentialRef } from '../../app/integration-credentials';
import { withPacedAdapters } from '../../sync/adapter-factory';
import type { ConnectionCheck, ConnectionTestResponse } from '../contracts/run-controls';
import { checkBaseUrl } from './outbound-targets';

type CheckServices = Pick<AppServices, 'adapters' | 'credentials' | 'settings' | 'rateLimiter' | 'now'>;

function failed(name: string, error: unknown): ConnectionCheck {
  return { name, ok: false, message: toAppError(error).message };
}

async function credentialCheck(services: CheckServices, integration: Integration): Promise<ConnectionCheck> {
  const metadata = await services.credentials.service.metadata(credentialRef(integration, 'api'));
  if (!metadata)
    return {
      name: 'credential',
      ok: false,
      message: 'no credential is set: connect the integration (OAuth) or set one',
    };
  const expiry = metadata.expiresAt ? Date.parse(metadata.expiresAt) : undefined;
  if (metadata.status !== 'active')
    return {
      name: 'credential',
      ok: false,
      message: `${metadata.type} credential is ${metadata.status.replace('_', ' ')}${metadata.statusReason ? `: ${metadata.statusReason}` : ''}`,
    };
  if (expiry !== undefined && expiry <= services.now().getTime())
    return { name: 'credential', ok: false, message: `${metadata.type} credential expired at ${metadata.expiresAt}` };
  return {
    name: 'credential',
    ok: true,
    message: `${metadata.type} credential is active${metadata.expiresAt ? `, expires ${metadata.expiresAt}` : ''}`,
  };
}

async function scopesCheck(
  adapterAuth: ReturnType<AppServices['credentials']['authProvider']>,
  integration: Integration,
) {
  const oauth: ProviderOAuthDescriptor = providerDescriptor(integration.provider).oauth;
  const needed = oauth.scopesByDirection?.[integration.direction] ?? oauth.scopes;
  const granted = (await adapterAuth.grant?.())?.scopes;
  if (!granted)
    return { name: 'scopes', ok: true, message: 'the credential does not say which scopes it has; not checked' };
  // GitHub's "repo" covers "public_repo"; the adapters need exactly the connect flow's scopes, so compare those.
  const missing = needed.filter((scope) => !granted.includes(scope));
  return missing.length === 0
    ? { name: 'scopes', ok: true, message: `granted: ${granted.join(' ')}` }
    : { name: 'scopes', ok: false, message: `missing scopes: ${missing.join(' ')} (reconnect to grant them)` };
}

export async function testConnection(
  services: CheckServices,
  integration: Integration,
): Promise<ConnectionTestResponse> {
  const checks: ConnectionCheck[] = [await credentialCheck(services, integration)];
  try {
    checkProviderOptions(integration.provider, integration.providerOptions ?? {}, integration.entities);
    checks.push({ name: 'provider_options', ok: true, message: 'the options the adapter needs are set' });
  } catch (error) {
    checks.push(failed('provider_options', error));
  }
  try {
    await checkBaseUrl(integration.provider, integration.baseUrl);
    checks.push({
      name: 'base_url',
      ok: true,
      message: integration.baseUrl
        ? `${integration.baseUrl} is allowed`
        : 'the provider’s public API (or the instance the grant names)',
    });
  } catch (error) {
    checks.push(failed('base_url', error));
  }
  // Leases the limiter hands out (Salesforce's concurrency) are given back when the calls end.
  const latencyMs = await withPacedAdapters(services, integration, (adapterFor) =>
    providerChecks(services, integration, checks, adapterFor),
  );
  return { ok: checks.every((check) => check.ok), latencyMs, checks };
}

async function providerChecks(
  services: CheckServices,
  integration: Integration,
  checks: ConnectionCheck[],
  adapterFor: (integration: Integration) => ProviderAdapter,
): Promise<number> {
  let adapter: ProviderAdapter;
  try {
    adapter = adapterFor(integration);
  } catch (error) {
    // An adapter that cannot be built says which option is missing (e.g. providerOptions.repositories).
    const index = checks.findIndex((candidate) => candidate.name === 'provider_options');
    checks[index] = failed('provider_options', error);
    return 0;
  }
  if (!checks[0]!.ok) {
    checks.push({ name: 'token', ok: false, message: 'not tried: no usable credential' });
    return 0;
  }
  try {
    const identity = await adapter.connect();
    checks.push({
      name: 'token',
      ok: true,
      message: `the provider accepts the credential${identity.displayName ? ` (${identity.displayName})` : ''}`,
    });
  } catch (error) {
    checks.push(failed('token', error));
  }
  const health = await adapter.healthCheck().catch((error: unknown) => ({
    ok: false,
    latencyMs: 0,
    message: toAppError(error).message,
  }));
  checks.push({
    name: 'provider_reachable',
    ok: health.ok,
    message: health.ok ? `the provider answered in ${health.latencyMs} ms` : (health.message ?? 'no answer'),
  });
  checks.push(
    await scopesCheck(services.credentials.authProvider(credentialRef(integration, 'api')), integration).catch(
      (error: unknown) => failed('scopes', error),
    ),
  );
  return health.latencyMs;
}

/** The discovered entities and fields (the adapter's discover), for the mapping editor's field picker. */
export async function readCatalog(services: CheckServices, integration: Integration) {
  const metadata = await services.credentials.service.metadata(credentialRef(integration, 'api'));
  if (!metadata)
    throw new AppError('conflict', 'no credential is set: connect the integration before reading its catalog', {
      target: 'credential',
    });
  return withPacedAdapters(services, integration, (adapterFor) => adapterFor(integration).discover());
}
