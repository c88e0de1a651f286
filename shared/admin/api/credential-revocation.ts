/**
 * Revoking an integration's OAuth grant at the provider when the integration is deleted, where the provider
 * publishes a revocation endpoint (docs/run-controls.md has the references):
 * - GitHub: `DELETE /applications/{client_id}/grant` with the OAuth app's client id and secret (Basic) and the
 *   access token in the body: removes the whole grant, not only the token;
 * - Slack: `auth.revoke` with the token itself;
 * - Google: `POST https://oauth2.googleapis.com/revoke` (the token endpoint's host) with `token=` (the refresh
 *   token, which revokes the grant and its access tokens);
 * - Salesforce: `POST /services/oauth2/revoke` on the instance (or the login host) with `token=` (the refresh token);
 * - Notion: no revocation endpoint is documented for public integrations (the workspace owner removes the
 *   connection), so nothing is called.
 * Only grants the app obtained through OAuth are revoked; a token an operator pasted (bearer token, API key) is
 * theirs to revoke. Every request goes through the outbound address rule; failures are reported, never thrown,
 * and never carry a token.
 */
import type { Integration } from '../../core/integration';
import type { AppServices } from '../../app/services';
import { credentialRef } from '../../app/integration-credentials';
import { PROVIDER_API_HOSTS } from '../../adapters/http/allowed-hosts';
import { outboundFetch } from '../../platform/http/outbound-fetch';
import { PROVIDER_BASE_URLS } from '../../sync/adapter-factory';

export type RevocationOutcome =
  | { status: 'revoked'; endpoint: string }
  | { status: 'not_applicable'; reason: string }
  | { status: 'failed'; endpoint: string; reason: string };

type OAuthGrant = {
  accessToken: string;
  refreshToken?: string;
  clientId: string;
  clientSecret?: string;
  tokenEndpoint: string;
  instanceUrl?: string;
};

interface RevokeRequest {
  url: URL;
  init: RequestInit;
}

const form = (values: Record<string, string>): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(values).toString(),
});

function apiRoot(integration: Integration): string {
  return (integration.baseUrl ?? PROVIDER_BASE_URLS[integration.provider] ?? '').replace(/\/+$/, '');
}

function revokeRequest(integration: Integration, grant: OAuthGrant): RevokeRequest | string {
  switch (integration.provider) {
    case 'github':
      if (!grant.clientSecret) return 'the grant does not hold the OAuth app’s client secret';
      return {
        url: new URL(`${apiRoot(integration)}/applications/${encodeURIComponent(grant.clientId)}/grant`),
        init: {
          method: 'DELETE',
          headers: {
            authorization: `Basic ${Buffer.from(`${grant.clientId}:${grant.clientSecret}`).toString('base64')}`,
            accept: 'application/vnd.github+json',
            'content-type': 'application/json',
          },
          body: JSON.stringify({ access_token: grant.accessToken }),
        },
      };
    case 'slack':
      return {
        url: new URL(`${apiRoot(integration)}/api/auth.revoke`),
        init: { ...form({}), headers: { ...form({}).headers, authorization: `Bearer ${grant.accessToken}` } },
      };
    case 'google':
      return {
        url: new URL('/revoke', grant.tokenEndpoint),
        init: form({ token: grant.refreshToken ?? grant.accessToken }),
      };
    case 'salesforce':
      return {
        url: new URL('/services/oauth2/revoke', grant.instanceUrl ?? grant.tokenEndpoint),
        init: form({ token: grant.refreshToken ?? grant.accessToken }),
      };
    default:
      return `${integration.provider} documents no token revocation endpoint`;
  }
}

export async function revokeProviderGrant(
  services: Pick<AppServices, 'credentials'>,
  integration: Integration,
): Promise<RevocationOutcome> {
  const read = await services.credentials.service.read(credentialRef(integration, 'api'), { fresh: true });
  const credential = read?.doc.credential;
  if (!credential) return { status: 'not_applicable', reason: 'no credential is set' };
  if (credential.type !== 'oauth2_authorization_code')
    return { status: 'not_applicable', reason: `a ${credential.type} credential is revoked by whoever created it` };
  const request = revokeRequest(integration, credential);
  if (typeof request === 'string') return { status: 'not_applicable', reason: request };
  const endpoint = `${request.url.origin}${request.url.pathname}`;
  try {
    const response = await outboundFetch(request.url, request.init, {
      allowedHosts: PROVIDER_API_HOSTS[integration.provider],
      field: 'revocation endpoint',
    });
    const text = await response.text();
    // Slack answers HTTP 200 with {"ok": false, "error"} on failure.
    const slackRefused = integration.provider === 'slack' && /"ok"\s*:\s*false/.test(text);
    if (response.ok && !slackRefused) return { status: 'revoked', endpoint };
    return { status: 'failed', endpoint, reason: `the provider answered ${response.status}` };
  } catch (error) {
    return { status: 'failed', endpoint, reason: error instanceof Error ? error.name : 'request failed' };
  }
}
