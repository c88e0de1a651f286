/**
 * Which scopes the connect flow asks for. Where a provider's reads and writes need different grants (Google),
 * the integration's direction decides, so an inbound-only integration never holds a write grant; otherwise the
 * provider's scopes. Scopes the operator registered with the OAuth app win over both.
 */
import type { Integration } from '../../core/integration';
import { providerDescriptor, type ProviderOAuthDescriptor } from '../../core/providers';
import type { OAuthApp } from './oauth-apps';

export function scopesToRequest(
  app: Pick<OAuthApp, 'scopes' | 'registeredScopes'>,
  integration: Pick<Integration, 'provider' | 'direction'>,
): string[] {
  if (app.registeredScopes) return [...app.registeredScopes];
  const oauth: ProviderOAuthDescriptor = providerDescriptor(integration.provider).oauth;
  return [...(oauth.scopesByDirection?.[integration.direction] ?? app.scopes)];
}
