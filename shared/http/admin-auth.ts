/**
 * Admin API authentication. Locally: the `x-api-key` header against ADMIN_API_KEY, compared in constant time.
 * In Azure: an Entra ID bearer token whose signature (JWKS), issuer, audience and expiry are checked.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { AppError } from '../errors/app-error';
import type { Settings } from '../config/settings';

export interface AdminPrincipal {
  /** Who made the call, for audit fields (api key holder or token subject). */
  id: string;
  kind: 'api_key' | 'entra';
}

export interface AdminAuthenticator {
  authenticate(header: (name: string) => string | null): Promise<AdminPrincipal>;
}

const unauthorized = (message: string): AppError => new AppError('unauthorized', message);

export function createAdminAuthenticator(config: Settings['adminAuth']): AdminAuthenticator {
  if (config.mode === 'entra') {
    // jose is loaded only in this mode (the local API-key mode never needs it).
    let verifier: Promise<{ keys: ReturnType<typeof import('jose').createRemoteJWKSet>; jwtVerify: typeof import('jose').jwtVerify }> | undefined;
    const loadVerifier = () =>
      (verifier ??= import('jose').then(({ createRemoteJWKSet, jwtVerify }) => ({
        keys: createRemoteJWKSet(new URL(config.jwksUrl), { timeoutDuration: 5000, cooldownDuration: 30_000 }),
        jwtVerify,
      })));
    return {
      async authenticate(header) {
        const authorization = header('authorization') ?? '';
        const match = /^Bearer\s+(\S+)$/i.exec(authorization);
        if (!match) throw unauthorized('missing bearer token');
        try {
          const { keys, jwtVerify } = await loadVerifier();
          const { payload } = await jwtVerify(match[1]!, keys, { issuer: config.issuer, audience: config.audience, clockTolerance: 60, algorithms: ['RS256'] });
          return { id: String(payload.oid ?? payload.sub ?? 'unknown'), kind: 'entra' };
        } catch {
          throw unauthorized('invalid bearer token');
        }
      },
    };
  }

  // Hash both sides so the comparison is constant-time whatever the lengths.
  const expected = config.apiKey ? createHash('sha256').update(config.apiKey).digest() : undefined;
  return {
    async authenticate(header) {
      if (!expected) throw unauthorized('admin API key is not configured');
      const given = header('x-api-key');
      if (!given) throw unauthorized('missing x-api-key header');
      if (!timingSafeEqual(createHash('sha256').update(given).digest(), expected)) throw unauthorized('invalid API key');
      return { id: 'api-key', kind: 'api_key' };
    },
  };
}
