/**
 * Turns a credential reference into the adapter contract's AuthProvider: ready-to-use headers (or an access
 * token, or TLS material), never the stored document. OAuth access tokens near expiry are refreshed through
 * the refresh engine (single-flight); client-credentials and JWT-bearer tokens are fetched and cached in
 * memory (they carry no refresh token, so any instance may fetch its own).
 */
import type { AuthProvider, GrantFacts } from '../adapters/contract';
import { AppError } from '../core/app-error';
import { authorizationHeader, staticHeaders, tlsMaterialOf, type TlsMaterial } from './auth-material';
import type { CredentialService } from './credential-service';
import { signJwtAssertion } from './oauth/jwt-assertion';
import { requestToken, type TokenSet } from './oauth/token-client';
import type { RefreshEngine } from './refresh-engine';
import { refKey, type Credential, type CredentialRef } from './types';

export interface AuthProviderOptions {
  service: CredentialService;
  /** Needed for oauth2_authorization_code credentials. */
  refresher?: RefreshEngine;
  /** Refresh or re-fetch a token this long before it expires. */
  expirySkewMs?: number;
  requestTimeoutMs?: number;
  clock?: () => Date;
}

export interface CredentialAuthProvider extends AuthProvider {
  /** The bare access token for SDKs that take one (OAuth types and bearer tokens). */
  accessToken(signal?: AbortSignal): Promise<string>;
  /** Client certificate and key for mutual TLS (certificate credentials). */
  tlsMaterial(signal?: AbortSignal): Promise<TlsMaterial>;
  /** Scopes and API instance of an OAuth grant; empty for other credential types. */
  grant(signal?: AbortSignal): Promise<GrantFacts>;
}

interface CachedToken {
  token: TokenSet;
  expiresAtMs: number;
}

export function createAuthProvider(ref: CredentialRef, options: AuthProviderOptions): CredentialAuthProvider {
  const skewMs = options.expirySkewMs ?? 60_000;
  const timeoutMs = options.requestTimeoutMs ?? 10_000;
  const clock = options.clock ?? (() => new Date());
  let usedVersion: string | undefined;
  let fetched: CachedToken | undefined;
  let fetching: Promise<CachedToken> | undefined;

  const load = async (signal?: AbortSignal, fresh = false): Promise<Credential> => {
    const read = await options.service.require(ref, { signal, fresh });
    if (read.doc.status === 'needs_reauth')
      throw new AppError('auth_revoked', `credential ${refKey(ref)} needs to be authorised again`, {
        target: 'credential',
      });
    usedVersion = read.version;
    return read.doc.credential;
  };

  /** Client-credentials and JWT-bearer grants: one fetch at a time per provider instance. */
  const grantToken = (credential: Credential, signal?: AbortSignal): Promise<CachedToken> => {
    if (fetched && fetched.expiresAtMs - skewMs > clock().getTime()) return Promise.resolve(fetched);
    fetching ??= (async () => {
      try {
        let token: TokenSet;
        if (credential.type === 'oauth2_client_credentials') {
          const params: Record<string, string> = { grant_type: 'client_credentials' };
          if (credential.scopes.length > 0) params.scope = credential.scopes.join(' ');
          if (credential.audience) params.audience = credential.audience;
          token = await requestToken(
            {
              tokenEndpoint: credential.tokenEndpoint,
              clientId: credential.clientId,
              clientSecret: credential.clientSecret,
              clientAuth: credential.clientAuth,
              params,
            },
            { timeoutMs, signal },
          );
        } else if (credential.type === 'jwt_bearer') {
          const params = {
            grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
            assertion: signJwtAssertion(credential, clock()),
          };
          // The signed assertion is the client authentication (RFC 7523 §2.1).
          token = await requestToken(
            { tokenEndpoint: credential.tokenEndpoint, clientAuth: 'none', params },
            { timeoutMs, signal },
          );
        } else {
          throw new AppError('internal', `${credential.type} has no grant`);
        }
        fetched = { token, expiresAtMs: clock().getTime() + (token.expiresInMs ?? 3_600_000) };
        return fetched;
      } finally {
        fetching = undefined;
      }
    })();
    return fetching;
  };

  const oauthCodeToken = async (signal?: AbortSignal): Promise<{ tokenType: string; accessToken: string }> => {
    let credential = await load(signal);
    if (credential.type !== 'oauth2_authorization_code') throw new AppError('internal', 'unexpected credential type');
    if (credential.expiresAt && Date.parse(credential.expiresAt) - skewMs <= clock().getTime()) {
      if (!options.refresher)
        throw new AppError('configuration', 'an OAuth credential needs the refresh engine', { target: 'refresher' });
      const outcome = await options.refresher.refreshOnDemand(ref, { usedVersion, signal });
      if (outcome.outcome === 'needs_reauth')
        throw new AppError('auth_revoked', `credential ${refKey(ref)} needs to be authorised again`, {
          target: 'credential',
        });
      if (outcome.outcome === 'failed')
        throw new AppError(
          outcome.error.retryable ? 'transient' : 'auth_expired',
          `refresh of ${refKey(ref)} failed: ${outcome.error.code}`,
          { retryAfterMs: outcome.error.retryAfterMs },
        );
      credential = await load(signal, true);
      if (credential.type !== 'oauth2_authorization_code') throw new AppError('internal', 'unexpected credential type');
    }
    return { tokenType: credential.tokenType, accessToken: credential.accessToken };
  };

  const provider: CredentialAuthProvider = {
    async headers(signal) {
      const credential = await load(signal);
      switch (credential.type) {
        case 'oauth2_authorization_code': {
          const token = await oauthCodeToken(signal);
          return authorizationHeader(token.tokenType, token.accessToken);
        }
        case 'oauth2_client_credentials':
        case 'jwt_bearer': {
          const { token } = await grantToken(credential, signal);
          return authorizationHeader(token.tokenType, token.accessToken);
        }
        default:
          return staticHeaders(credential);
      }
    },

    async onUnauthorized(signal) {
      // The version whose token was just refused; a newer stored one (refreshed elsewhere) is worth a retry.
      const refusedVersion = usedVersion;
      const credential = await load(signal);
      if (credential.type === 'oauth2_client_credentials' || credential.type === 'jwt_bearer') {
        fetched = undefined;
        return true;
      }
      if (credential.type !== 'oauth2_authorization_code' || !options.refresher) return false;
      const outcome = await options.refresher.refreshOnDemand(ref, { usedVersion: refusedVersion, signal });
      return outcome.outcome === 'refreshed';
    },

    async grant(signal) {
      // A plain read: the version a 401 is judged against stays the one whose headers were sent.
      const read = await options.service.require(ref, { signal });
      const credential = read.doc.credential;
      if (credential.type !== 'oauth2_authorization_code') return {};
      return {
        // An empty list means the grant was stored without scopes, not that it has none.
        ...(credential.scopes.length > 0 ? { scopes: [...credential.scopes] } : {}),
        ...(credential.instanceUrl ? { instanceUrl: credential.instanceUrl } : {}),
      };
    },

    async accessToken(signal) {
      const credential = await load(signal);
      if (credential.type === 'oauth2_authorization_code') return (await oauthCodeToken(signal)).accessToken;
      if (credential.type === 'oauth2_client_credentials' || credential.type === 'jwt_bearer')
        return (await grantToken(credential, signal)).token.accessToken;
      if (credential.type === 'bearer_token') return credential.token;
      throw new AppError('validation', `a ${credential.type} credential has no access token`, { target: 'credential' });
    },

    async tlsMaterial(signal) {
      const credential = await load(signal);
      if (credential.type !== 'certificate')
        throw new AppError('validation', `a ${credential.type} credential has no TLS material`, {
          target: 'credential',
        });
      return tlsMaterialOf(credential);
    },
  };
  return provider;
}
