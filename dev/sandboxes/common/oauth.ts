/**
 * The provider-neutral part of an OAuth2 authorization server for sandboxes: authorization codes (with PKCE
 * S256 when the client sends a challenge), the refresh_token grant over TokenStore, and RFC 6749 error codes.
 * Each sandbox puts its own wire format around it (GitHub answers errors with HTTP 200, Notion with 400).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { TokenStore } from './tokens';
import type { IssuedTokens } from './types';

export interface OAuthClient {
  clientId: string;
  clientSecret: string;
}

export type OAuthErrorCode =
  'invalid_request' | 'invalid_client' | 'invalid_grant' | 'unsupported_grant_type' | 'unauthorized_client';
export type OAuthResult =
  { ok: true; tokens: IssuedTokens } | { ok: false; error: OAuthErrorCode; description: string };

interface PendingCode {
  clientId: string;
  redirectUri: string;
  codeChallenge?: string;
  expiresAt: number;
}

/** The sandbox's default app registration (documented for the CLI and tests; not a real secret). */
export const SANDBOX_CLIENT: OAuthClient = { clientId: 'sandbox-client', clientSecret: 'sandbox-client-secret' };

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function isLoopbackRedirect(uri: string): boolean {
  try {
    const url = new URL(uri);
    return url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  } catch {
    return false;
  }
}

export class OAuthAuthority {
  private readonly codes = new Map<string, PendingCode>();

  constructor(
    private readonly tokens: TokenStore,
    private readonly clients: OAuthClient[] = [SANDBOX_CLIENT],
    private readonly subject = 'sandbox-user',
    private readonly codeTtlMs = 10 * 60_000,
  ) {}

  /** Consent is automatic in a sandbox: valid parameters redirect straight back with a code. */
  authorize(
    params: URLSearchParams,
  ): { ok: true; redirectTo: string } | { ok: false; error: OAuthErrorCode; description: string } {
    const clientId = params.get('client_id') ?? '';
    const redirectUri = params.get('redirect_uri') ?? '';
    if (!this.clients.some((client) => client.clientId === clientId))
      return { ok: false, error: 'invalid_client', description: 'unknown client_id' };
    if (!isLoopbackRedirect(redirectUri))
      return { ok: false, error: 'invalid_request', description: 'redirect_uri must be a loopback http URL' };
    const challenge = params.get('code_challenge') ?? undefined;
    if (challenge !== undefined && (params.get('code_challenge_method') ?? 'plain') !== 'S256') {
      return { ok: false, error: 'invalid_request', description: 'only code_challenge_method=S256 is supported' };
    }
    const code = randomBytes(10).toString('hex');
    this.codes.set(code, { clientId, redirectUri, codeChallenge: challenge, expiresAt: Date.now() + this.codeTtlMs });
    const target = new URL(redirectUri);
    target.searchParams.set('code', code);
    const state = params.get('state');
    if (state !== null) target.searchParams.set('state', state);
    return { ok: true, redirectTo: target.toString() };
  }

  /** authorization_code and refresh_token grants; the client is already extracted from body or Basic auth. */
  token(client: OAuthClient | undefined, params: Record<string, string | undefined>): OAuthResult {
    if (
      !client ||
      !this.clients.some(
        (known) => known.clientId === client.clientId && sameText(known.clientSecret, client.clientSecret),
      )
    ) {
      return { ok: false, error: 'invalid_client', description: 'client authentication failed' };
    }
    const grantType = params.grant_type ?? (params.code ? 'authorization_code' : undefined);
    if (grantType === 'refresh_token') {
      const issued = params.refresh_token ? this.tokens.useRefreshToken(params.refresh_token) : undefined;
      return issued
        ? { ok: true, tokens: issued }
        : { ok: false, error: 'invalid_grant', description: 'refresh token is invalid, used or revoked' };
    }
    if (grantType !== 'authorization_code')
      return {
        ok: false,
        error: 'unsupported_grant_type',
        description: `grant_type ${grantType ?? '(none)'} is not supported`,
      };
    const pending = params.code ? this.codes.get(params.code) : undefined;
    if (params.code) this.codes.delete(params.code); // codes are single use, even when the exchange fails
    if (!pending || pending.expiresAt < Date.now() || pending.clientId !== client.clientId) {
      return { ok: false, error: 'invalid_grant', description: 'authorization code is invalid or expired' };
    }
    if (params.redirect_uri !== undefined && params.redirect_uri !== pending.redirectUri)
      return { ok: false, error: 'invalid_grant', description: 'redirect_uri does not match' };
    if (pending.codeChallenge !== undefined) {
      const verifier = params.code_verifier ?? '';
      const computed = createHash('sha256').update(verifier).digest('base64url');
      if (!sameText(computed, pending.codeChallenge))
        return { ok: false, error: 'invalid_grant', description: 'code_verifier does not match the challenge' };
    }
    return { ok: true, tokens: this.tokens.issue(this.subject) };
  }
}

/** Client credentials from an `Authorization: Basic` header, when present. */
export function basicClient(authorization: string | undefined): OAuthClient | undefined {
  const match = /^basic\s+(.+)$/i.exec(authorization ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return {
    clientId: decodeURIComponent(decoded.slice(0, colon)),
    clientSecret: decodeURIComponent(decoded.slice(colon + 1)),
  };
}
