/**
 * A small OAuth 2.0 token endpoint on 127.0.0.1 for tests and the refresh benchmark. It keeps real state:
 * refresh tokens belong to a "family" (one credential), rotation revokes the presented token, a revoked token
 * is rejected (invalid_grant, or GitHub's HTTP 200 {"error":"bad_refresh_token"}), and every call is counted
 * per family so tests can prove single-flight. It also serves client_credentials and verifies RS256
 * JWT-bearer assertions against registered public keys.
 */
import { createPublicKey, randomBytes, verify } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

export interface TokenServerOptions {
  /** rfc: 400 {"error":"invalid_grant"}; github: 200 {"error":"bad_refresh_token"}. */
  style?: 'rfc' | 'github';
  /** Issue a new refresh token on every refresh and revoke the presented one. */
  rotate?: boolean;
  /** A rotated-out refresh token is still accepted this long (some providers allow reuse briefly). */
  reuseGraceMs?: number;
  expiresInS?: number;
  delayMs?: number;
  clientId?: string;
  clientSecret?: string;
}

interface RefreshEntry {
  family: string;
  revokedAtMs?: number;
}

export interface TokenServer {
  url: string;
  /** Calls presenting a refresh token of the family (accepted or not). */
  callsByFamily: Map<string, number>;
  /** Access tokens issued, newest last, per family. */
  issued: Map<string, string[]>;
  totalCalls(): number;
  /** Registers a family and returns its first refresh token. */
  seed(family: string): string;
  /** The next n answers are 503 (with Retry-After when given). */
  failNext(n: number, retryAfterS?: number): void;
  /** The next n requests are answered only after delayMs (and still processed: rotation happens). */
  slowNext(n: number, delayMs: number): void;
  /** Every token value the server has handed out (for the leak scan). */
  allSecrets(): string[];
  registerJwtKey(issuer: string, publicKeyPem: string): void;
  options: TokenServerOptions;
  stop(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export async function startTokenServer(options: TokenServerOptions = {}): Promise<TokenServer> {
  const refreshTokens = new Map<string, RefreshEntry>();
  const callsByFamily = new Map<string, number>();
  const issued = new Map<string, string[]>();
  const jwtKeys = new Map<string, string>();
  const secrets: string[] = [];
  let failures = 0;
  let failRetryAfterS: number | undefined;
  let total = 0;
  let slow = { count: 0, delayMs: 0 };

  const newToken = (kind: string): string => {
    const token = `${kind}-${randomBytes(18).toString('hex')}`;
    secrets.push(token);
    return token;
  };
  const accessFor = (family: string): string => {
    const token = newToken('at');
    issued.set(family, [...(issued.get(family) ?? []), token]);
    return token;
  };

  const rejectGrant = (res: ServerResponse): void => {
    if (options.style === 'github')
      send(res, 200, {
        error: 'bad_refresh_token',
        error_description: 'The refresh token passed is incorrect or expired.',
      });
    else send(res, 400, { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' });
  };

  const clientOk = (req: IncomingMessage, form: URLSearchParams): boolean => {
    if (!options.clientId) return true;
    const basic = req.headers.authorization?.startsWith('Basic ')
      ? Buffer.from(req.headers.authorization.slice(6), 'base64').toString('utf8')
      : undefined;
    const [id, secret] = basic
      ? basic.split(':').map(decodeURIComponent)
      : [form.get('client_id'), form.get('client_secret')];
    return id === options.clientId && secret === options.clientSecret;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
    total++;
    if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
    if (slow.count > 0) {
      slow.count--;
      await new Promise((resolve) => setTimeout(resolve, slow.delayMs));
    }
    const grant = form.get('grant_type');

    if (grant === 'refresh_token') {
      const presented = form.get('refresh_token') ?? '';
      const entry = refreshTokens.get(presented);
      const family = entry?.family ?? 'unknown';
      callsByFamily.set(family, (callsByFamily.get(family) ?? 0) + 1);
      if (failures > 0) {
        failures--;
        return send(
          res,
          503,
          { error: 'temporarily_unavailable' },
          failRetryAfterS !== undefined ? { 'retry-after': String(failRetryAfterS) } : {},
        );
      }
      if (!clientOk(req, form)) return send(res, 401, { error: 'invalid_client' });
      if (!entry) return rejectGrant(res);
      if (entry.revokedAtMs !== undefined && Date.now() - entry.revokedAtMs > (options.reuseGraceMs ?? 0))
        return rejectGrant(res);
      const body: Record<string, unknown> = {
        access_token: accessFor(family),
        token_type: 'bearer',
        expires_in: options.expiresInS ?? 3600,
        scope: 'repo read:user',
      };
      if (options.rotate) {
        entry.revokedAtMs ??= Date.now();
        const next = newToken('rt');
        refreshTokens.set(next, { family });
        body.refresh_token = next;
        body.refresh_token_expires_in = 15_897_600;
      }
      return send(res, 200, body);
    }
    if (grant === 'client_credentials') {
      if (!clientOk(req, form)) return send(res, 401, { error: 'invalid_client' });
      return send(res, 200, {
        access_token: accessFor(`cc:${form.get('scope') ?? ''}`),
        token_type: 'Bearer',
        expires_in: options.expiresInS ?? 3600,
      });
    }
    if (grant === 'urn:ietf:params:oauth:grant-type:jwt-bearer') {
      const [h, p, s] = (form.get('assertion') ?? '').split('.');
      const claims = JSON.parse(Buffer.from(p ?? '', 'base64url').toString('utf8') || '{}') as {
        iss?: string;
        exp?: number;
        aud?: string;
      };
      const key = claims.iss ? jwtKeys.get(claims.iss) : undefined;
      const signatureOk =
        key !== undefined &&
        verify('sha256', Buffer.from(`${h}.${p}`), createPublicKey(key), Buffer.from(s ?? '', 'base64url'));
      if (!signatureOk || !claims.exp || claims.exp * 1000 < Date.now())
        return send(res, 400, { error: 'invalid_grant', error_description: 'invalid assertion' });
      return send(res, 200, {
        access_token: accessFor(`jwt:${claims.iss}`),
        token_type: 'Bearer',
        expires_in: options.expiresInS ?? 3600,
      });
    }
    send(res, 400, { error: 'unsupported_grant_type' });
  };

  const server = createServer({ keepAlive: true }, (req, res) => {
    handle(req, res).catch(() => send(res, 500, { error: 'server_error' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/token`,
    callsByFamily,
    issued,
    options,
    totalCalls: () => total,
    seed(family) {
      const token = newToken('rt');
      refreshTokens.set(token, { family });
      return token;
    },
    failNext(n, retryAfterS) {
      failures = n;
      failRetryAfterS = retryAfterS;
    },
    slowNext(n, delayMs) {
      slow = { count: n, delayMs };
    },
    allSecrets: () => [...secrets],
    registerJwtKey(issuer, publicKeyPem) {
      jwtKeys.set(issuer, publicKeyPem);
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
