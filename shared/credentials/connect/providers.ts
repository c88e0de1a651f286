/**
 * Each provider's OAuth 2.0 facts as the connect flow and the token client use them, read from the provider
 * descriptors (shared/core/providers): where people consent, where codes become tokens, how the client
 * authenticates there, the scopes the adapters need, extra authorize parameters, and the token endpoint's wire.
 */
import {
  byProvider,
  endpointPath,
  isProviderId,
  providerDescriptor,
  type ProviderDescriptor,
  type ProviderId,
  type ProviderOAuthDescriptor,
  type TokenEndpointWire,
} from '../../core/providers';

export type { TokenEndpointWire };

/** A provider's authorization-code facts as the connect flow starts from them (an app registration may change the scopes). */
export interface ProviderOAuthFacts extends Omit<ProviderOAuthDescriptor, 'scopes' | 'tokenWire' | 'revocationUrl'> {
  scopes: string[];
}

export const TOKEN_ENDPOINT_WIRE: Record<ProviderId, TokenEndpointWire> = byProvider(
  (provider) => provider.oauth.tokenWire,
);

/** The wire of a provider id; credentials labelled otherwise get the RFC 6749 default (a form). */
export function tokenEndpointWire(provider: string | undefined): TokenEndpointWire {
  return provider && isProviderId(provider)
    ? providerDescriptor(provider).oauth.tokenWire
    : { body: 'form', reauthErrors: [] };
}

// Everything but the token wire (the token client's) and revocation; the scopes copied, as an app may replace them.
export const OAUTH_PROVIDERS: Record<ProviderId, ProviderOAuthFacts> = byProvider(
  ({
    oauth: { tokenWire: _wire, revocationUrl: _revocation, scopes, ...facts },
  }: ProviderDescriptor): ProviderOAuthFacts => ({
    ...facts,
    scopes: [...scopes],
  }),
);

/** Sandbox paths of the same endpoints (demo mode points an app's URLs at a sandbox, which serves the same paths). */
export const SANDBOX_OAUTH_PATHS: Record<ProviderId, { authorize: string; token: string }> = byProvider(
  ({ oauth }) => ({ authorize: endpointPath(oauth.authorizeUrl), token: endpointPath(oauth.tokenUrl) }),
);
