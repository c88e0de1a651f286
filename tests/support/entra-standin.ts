/**
 * A local stand-in for an Entra ID directory's token signing: an RS256 key pair whose public key is served as a
 * JWKS over local HTTP (what ENTRA_JWKS_URL points at), and a token factory with Entra's claims (iss, aud,
 * tid, oid, roles, exp). A second key that is not in the JWKS signs the "foreign key" cases.
 */
import { createServer } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT, UnsecuredJWT, type KeyLike } from 'jose';

export const ENTRA_TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
export const OTHER_DIRECTORY = '3c8d2c49-1a2b-4c5d-8e9f-0a1b2c3d4e5f';
export const APP_ID = '5e3ce6c0-2b1f-4285-8d4b-75ee78787346';
export const APP_ID_URI = `api://${APP_ID}`;
export const V1_ISSUER = `https://sts.windows.net/${ENTRA_TENANT}/`;
export const V2_ISSUER = `https://login.microsoftonline.com/${ENTRA_TENANT}/v2.0`;

export interface TokenClaims {
  iss?: string;
  aud?: string;
  tid?: string | null;
  oid?: string;
  roles?: string[];
  /** Seconds since the epoch; null: no exp claim at all. */
  exp?: number | null;
}

export interface EntraStandIn {
  jwksUrl: string;
  /** A token signed by the key in the JWKS (or by a key outside it). */
  token(claims?: TokenClaims, options?: { foreignKey?: boolean }): Promise<string>;
  /** The same claims with `alg: none` and no signature. */
  unsignedToken(claims?: TokenClaims): string;
  /** Settings for entra mode against this stand-in. */
  settings(extra?: Record<string, string>): Record<string, string>;
  stop(): Promise<void>;
}

export async function startEntraStandIn(): Promise<EntraStandIn> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const foreign: KeyLike = (await generateKeyPair('RS256')).privateKey;
  const jwk = { ...(await exportJWK(publicKey)), kid: 'standin-key-1', alg: 'RS256', use: 'sig' };
  const server = createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const jwksUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}/discovery/v2.0/keys`;

  const payload = (claims: TokenClaims) => {
    const body: Record<string, unknown> = { oid: claims.oid ?? 'operator-1', roles: claims.roles ?? ['Sync.Admin'] };
    if (claims.tid !== null) body.tid = claims.tid ?? ENTRA_TENANT;
    return body;
  };
  const nowS = () => Math.floor(Date.now() / 1000);

  return {
    jwksUrl,
    token: (claims = {}, options = {}) => {
      const jwt = new SignJWT(payload(claims))
        .setProtectedHeader({ alg: 'RS256', kid: 'standin-key-1', typ: 'JWT' })
        .setIssuer(claims.iss ?? V2_ISSUER)
        .setAudience(claims.aud ?? APP_ID)
        .setIssuedAt(nowS() - 60)
        .setNotBefore(nowS() - 60);
      if (claims.exp !== null) jwt.setExpirationTime(claims.exp ?? nowS() + 600);
      return jwt.sign(options.foreignKey ? foreign : privateKey);
    },
    unsignedToken: (claims = {}) =>
      new UnsecuredJWT(payload(claims))
        .setIssuer(claims.iss ?? V2_ISSUER)
        .setAudience(claims.aud ?? APP_ID)
        .setIssuedAt()
        .setExpirationTime(claims.exp ?? nowS() + 600)
        .encode(),
    settings: (extra = {}) => ({
      ADMIN_AUTH_MODE: 'entra',
      ENTRA_TENANT_ID: ENTRA_TENANT,
      ENTRA_AUDIENCE: `${APP_ID},${APP_ID_URI}`,
      ENTRA_JWKS_URL: jwksUrl,
      ...extra,
    }),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
