/**
 * Admin API authentication. Locally: the `x-api-key` header against ADMIN_API_KEY, compared in constant time.
 * In Azure: an Entra ID bearer token whose signature (JWKS, RS256 only), issuer (the v1 or v2 form of
 * ENTRA_TENANT_ID's directory, or ENTRA_ISSUER), audience (any of ENTRA_AUDIENCE), expiry and `tid` are
 * checked. The principal carries the access its app roles grant; admin-authorization.ts decides per path.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { AppError } from '../../core/app-error';
import type { Settings } from '../../config/settings';
import { accessFromRoles, FULL_ACCESS, type AdminAccess } from './admin-authorization';

export interface AdminPrincipal {
  /** Who made the call, for audit fields (api key holder or token subject). */
  id: string;
  kind: 'api_key' | 'entra';
  /** What the principal may reach: everything for the API key, what the app roles grant for a token. */
  access: AdminAccess;
}

export interface AdminAuthenticator {
  authenticate(header: (name: string) => string | null): Promise<AdminPrincipal>;
}

const unauthorized = (message: string): AppError => new AppError('unauthorized', message);

type EntraConfig = Extract<Settings['adminAuth'], { mode: 'entra' }>;

function entraAuthenticator(config: EntraConfig): AdminAuthenticator {
  // jose is loaded only in this mode (the local API-key mode never needs it).
  let verifier:
    | Promise<{
        keys: ReturnType<typeof import('jose').createRemoteJWKSet>;
        jwtVerify: typeof import('jose').jwtVerify;
      }>
    | undefined;
  const loadVerifier = () =>
    (verifier ??= import('jose').then(({ createRemoteJWKSet, jwtVerify }) => ({
      keys: createRemoteJWKSet(new URL(config.jwksUrl), { timeoutDuration: 5000, cooldownDuration: 30_000 }),
      jwtVerify,
    })));
  const tenantId = config.tenantId.toLowerCase();
  return {
    async authenticate(header) {
      const authorization = header('authorization') ?? '';
      const match = /^Bearer\s+(\S+)$/i.exec(authorization);
      if (!match) throw unauthorized('missing bearer token');
      let payload: import('jose').JWTPayload;
      try {
        const { keys, jwtVerify } = await loadVerifier();
        ({ payload } = await jwtVerify(match[1]!, keys, {
          issuer: config.issuers,
          audience: config.audiences,
          clockTolerance: 60,
          algorithms: ['RS256'],
          // jose accepts a token without exp unless told otherwise; Entra always sets it.
          requiredClaims: ['exp', 'tid'],
        }));
      } catch {
        throw unauthorized('invalid bearer token');
      }
      // ENTRA_ISSUER may name another issuer form; the directory is what must match.
      if (typeof payload.tid !== 'string' || payload.tid.toLowerCase() !== tenantId)
        throw unauthorized('invalid bearer token');
      return {
        id: String(payload.oid ?? payload.sub ?? 'unknown'),
        kind: 'entra',
        access: accessFromRoles(payload.roles),
      };
    },
  };
}

export function createAdminAuthenticator(config: Settings['adminAuth']): AdminAuthenticator {
  if (config.mode === 'entra') return entraAuthenticator(config);

  // Hash both sides so the comparison is constant-time whatever the lengths.
  const expected = config.apiKey ? createHash('sha256').update(config.apiKey).digest() : undefined;
  return {
    async authenticate(header) {
      if (!expected) throw unauthorized('admin API key is not configured');
      const given = header('x-api-key');
      if (!given) throw unauthorized('missing x-api-key header');
      if (!timingSafeEqual(createHash('sha256').update(given).digest(), expected))
        throw unauthorized('invalid API key');
      return { id: 'api-key', kind: 'api_key', access: FULL_ACCESS };
    },
  };
}
