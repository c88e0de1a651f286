/**
 * Bearer tokens of a sandbox: access tokens that expire, refresh tokens that can rotate (each use invalidates
 * the old one, and optionally the old access token, as GitHub does) and can be revoked.
 */
import { randomBytes } from 'node:crypto';
import type { IssuedTokens } from './types';

export interface TokenPolicy {
  accessTokenTtlMs: number;
  /** Prefixes in the provider's style (GitHub ghu_/ghr_, Notion ntn_ …). */
  accessPrefix: string;
  refreshPrefix: string;
  /** A refresh returns a new refresh token and the used one stops working. */
  rotateRefreshTokens: boolean;
  /** A refresh also invalidates the access token issued with the used refresh token. */
  revokeAccessOnRefresh: boolean;
}

export type TokenCheck = { ok: true; subject: string } | { ok: false; reason: 'missing' | 'unknown' | 'expired' };

interface AccessEntry {
  subject: string;
  expiresAt: number;
}

interface RefreshEntry {
  subject: string;
  accessToken: string;
}

export class TokenStore {
  private readonly access = new Map<string, AccessEntry>();
  private readonly refresh = new Map<string, RefreshEntry>();

  constructor(readonly policy: TokenPolicy) {}

  issue(subject: string, expiresInMs: number = this.policy.accessTokenTtlMs): IssuedTokens {
    const accessToken = this.policy.accessPrefix + randomBytes(18).toString('hex');
    const refreshToken = this.policy.refreshPrefix + randomBytes(24).toString('hex');
    const expiresAt = Date.now() + expiresInMs;
    this.access.set(accessToken, { subject, expiresAt });
    this.refresh.set(refreshToken, { subject, accessToken });
    return { accessToken, refreshToken, expiresAt, expiresInMs };
  }

  /** Checks an `Authorization` header value (or a bare token). */
  check(authorization: string | undefined): TokenCheck {
    if (!authorization) return { ok: false, reason: 'missing' };
    const token = authorization.replace(/^(bearer|token)\s+/i, '').trim();
    const entry = this.access.get(token);
    if (!entry) return { ok: false, reason: 'unknown' };
    if (entry.expiresAt <= Date.now()) return { ok: false, reason: 'expired' };
    return { ok: true, subject: entry.subject };
  }

  /** New tokens for a valid refresh token; undefined when it is unknown, used (with rotation) or revoked. */
  useRefreshToken(refreshToken: string): IssuedTokens | undefined {
    const entry = this.refresh.get(refreshToken);
    if (!entry) return undefined;
    if (this.policy.revokeAccessOnRefresh) this.access.delete(entry.accessToken);
    const issued = this.issue(entry.subject);
    if (this.policy.rotateRefreshTokens) {
      this.refresh.delete(refreshToken);
    } else {
      // Without rotation the caller keeps its refresh token: drop the freshly minted one.
      this.refresh.delete(issued.refreshToken);
      this.refresh.set(refreshToken, { subject: entry.subject, accessToken: issued.accessToken });
      return { ...issued, refreshToken };
    }
    return issued;
  }

  expireAllAccessTokens(): void {
    for (const entry of this.access.values()) entry.expiresAt = Date.now() - 1;
  }

  revokeAllRefreshTokens(): void {
    this.refresh.clear();
  }

  revokeAccessToken(token: string): boolean {
    return this.access.delete(token.replace(/^(bearer|token)\s+/i, '').trim());
  }
}
