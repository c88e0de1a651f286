/**
 * OAuth connect: `start` builds the provider's authorize URL with a signed, expiring, single-use state bound
 * to tenant and integration, and a PKCE S256 challenge; `callback` checks the state, spends it, exchanges
 * the code with the verifier, stores the credential and marks the integration connected. The PKCE verifier
 * is derived from the state's nonce with the state key, so no secret needs storing between the two steps;
 * the state record only says "not used yet".
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { AppError } from '../../core/app-error';
import type { Integration } from '../../core/integration';
import type { Credentials } from '..';
import { requestToken } from '../oauth/token-client';
import { credentialRef } from '../../app/integration-credentials';
import type { Stored } from '../../core/stored';
import type { IntegrationsRepository } from '../../stores/documents/integrations-repository';
import type { OAuthStatesRepository } from '../../stores/documents/oauth-states-repository';
import { loadOAuthApp } from './oauth-apps';
import { checkInstanceUrl } from '../oauth/instance-url';
import { scopesToRequest } from './scopes';

export const STATE_TTL_MS = 10 * 60_000;
const STATE_KEY_REF = { tenantId: '_platform', integrationId: 'oauth', name: 'state-key' };

export interface ConnectDeps {
  credentials: Credentials;
  integrations: IntegrationsRepository;
  /** The single-use state markers. */
  states: OAuthStatesRepository;
  now(): Date;
  requestTimeoutMs: number;
}

const b64url = (bytes: Buffer) => bytes.toString('base64url');

/** The platform's state-signing key, created on first use and kept in the secret store. */
async function stateKey(credentials: Credentials): Promise<Buffer> {
  const existing = await credentials.service.webhookSecrets(STATE_KEY_REF).catch(() => []);
  if (existing[0]) return Buffer.from(existing[0], 'base64url');
  const key = randomBytes(32);
  await credentials.service.setWebhookSecret(STATE_KEY_REF, b64url(key), 0);
  return key;
}

function sign(key: Buffer, payload: string): string {
  return b64url(createHmac('sha256', key).update(payload).digest());
}

function verifierFor(key: Buffer, nonce: string): string {
  return sign(key, `pkce:${nonce}`);
}

const markerId = (nonce: string) => `oauth-state-${createHash('sha256').update(nonce).digest('hex').slice(0, 40)}`;

export async function startOAuth(
  deps: ConnectDeps,
  integration: Stored<Integration>,
  redirectUri: string,
): Promise<{ authorizeUrl: string; expiresAt: string }> {
  const app = await loadOAuthApp(deps.credentials, integration.provider);
  if (!app)
    throw new AppError(
      'configuration',
      `no OAuth app is registered for ${integration.provider}; register it with PUT /api/admin/oauth-apps/${integration.provider}`,
      { target: 'provider' },
    );
  const key = await stateKey(deps.credentials);
  const nonce = b64url(randomBytes(24));
  const expiresAt = new Date(deps.now().getTime() + STATE_TTL_MS).toISOString();
  const payload = b64url(
    Buffer.from(JSON.stringify({ t: integration.tenantId, i: integration.id, n: nonce, e: expiresAt })),
  );
  const state = `${payload}.${sign(key, payload)}`;
  await deps.states.create({
    id: markerId(nonce),
    kind: 'oauth-state',
    integrationId: integration.id,
    tenantId: integration.tenantId,
    expiresAt,
  });
  const scopes = scopesToRequest(app, integration);
  const url = new URL(app.authorizeUrl);
  const params: Record<string, string> = {
    response_type: 'code',
    client_id: app.clientId,
    redirect_uri: redirectUri,
    state,
    code_challenge: b64url(createHash('sha256').update(verifierFor(key, nonce)).digest()),
    code_challenge_method: 'S256',
    ...(scopes.length ? { scope: scopes.join(app.scopeSeparator) } : {}),
    ...app.extraAuthorizeParams,
  };
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return { authorizeUrl: url.toString(), expiresAt };
}

export type CallbackResult =
  { ok: true; tenantId: string; integrationId: string } | { ok: false; status: number; reason: string };

export async function completeOAuth(
  deps: ConnectDeps,
  query: URLSearchParams,
  redirectUri: string,
): Promise<CallbackResult> {
  const state = query.get('state') ?? '';
  const [payload, signature] = state.split('.');
  if (!payload || !signature) return { ok: false, status: 400, reason: 'the state parameter is missing or malformed' };
  const key = await stateKey(deps.credentials);
  const expected = Buffer.from(sign(key, payload));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given))
    return { ok: false, status: 400, reason: 'the state parameter is not ours' };
  let claims: { t: string; i: string; n: string; e: string };
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, status: 400, reason: 'the state parameter is malformed' };
  }
  if (Date.parse(claims.e) < deps.now().getTime())
    return { ok: false, status: 400, reason: 'the connect link expired; start again' };
  // Spending the marker makes the state single-use: a replayed callback finds nothing to delete.
  if (!(await deps.states.spend(claims.i, markerId(claims.n))))
    return { ok: false, status: 400, reason: 'this connect link was already used' };
  const denied = query.get('error');
  if (denied)
    return { ok: false, status: 400, reason: `the provider answered "${denied.slice(0, 100)}": nothing was connected` };
  const code = query.get('code');
  if (!code) return { ok: false, status: 400, reason: 'the provider sent no code' };

  const integration = await deps.integrations.get(claims.t, claims.i);
  if (!integration) return { ok: false, status: 404, reason: 'the integration no longer exists' };
  const app = await loadOAuthApp(deps.credentials, integration.provider);
  if (!app) return { ok: false, status: 500, reason: `no OAuth app is registered for ${integration.provider}` };
  let tokens;
  try {
    tokens = await requestToken(
      {
        tokenEndpoint: app.tokenUrl,
        clientId: app.clientId,
        clientSecret: app.clientSecret,
        clientAuth: app.clientAuth,
        provider: integration.provider,
        params: {
          grant_type: 'authorization_code',
          code,
          redirect_uri: redirectUri,
          code_verifier: verifierFor(key, claims.n),
        },
      },
      { timeoutMs: deps.requestTimeoutMs },
    );
  } catch (error) {
    return {
      ok: false,
      status: 502,
      reason: `the provider's token endpoint refused the code (${(error as AppError).code ?? 'error'}); nothing was stored`,
    };
  }
  // The adapter will send the token to the instance the answer names: a host that is not the provider's is refused.
  const instance = checkInstanceUrl(integration.provider, tokens.instanceUrl);
  if (instance.kind === 'refused')
    return {
      ok: false,
      status: 502,
      reason: `the token answer named ${instance.host} as the API instance, which is not allowed (${instance.reason}); nothing was stored`,
    };
  const now = deps.now();
  await deps.credentials.service.put(credentialRef(integration, 'api'), {
    type: 'oauth2_authorization_code',
    provider: integration.provider,
    tokenEndpoint: app.tokenUrl,
    clientId: app.clientId,
    clientSecret: app.clientSecret,
    clientAuth: app.clientAuth,
    accessToken: tokens.accessToken,
    ...(tokens.refreshToken ? { refreshToken: tokens.refreshToken } : {}),
    ...(tokens.expiresInMs ? { expiresAt: new Date(now.getTime() + tokens.expiresInMs).toISOString() } : {}),
    // What the answer says was granted (a person may untick scopes on the consent page), else what was asked.
    scopes: tokens.scopes ?? scopesToRequest(app, integration),
    ...(instance.kind === 'accepted' ? { instanceUrl: instance.url } : {}),
  });
  const reconnected =
    integration.status === 'needs_reauth'
      ? { status: integration.enabled ? ('active' as const) : ('disabled' as const) }
      : {};
  await deps.integrations.replace({
    ...integration,
    ...reconnected,
    connectedAt: now.toISOString(),
    updatedAt: now.toISOString(),
  });
  return { ok: true, tenantId: integration.tenantId, integrationId: integration.id };
}
