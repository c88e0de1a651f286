/**
 * Admin-time checks of every URL the app will later send a credential, a client secret or a notification to:
 * the outbound address rule (shared/platform/http/outbound-policy.ts) applied when the URL is stored, so a bad target
 * is a 400 naming its field instead of a request that carries a secret somewhere it should not go. Nothing
 * here connects to the target; the same rule runs again when a request is really sent.
 */
import type { ProviderId } from '../../core/providers';
import { NOTIFICATION_HOSTS, PROVIDER_API_HOSTS, TOKEN_ENDPOINT_HOSTS } from '../../adapters/http/allowed-hosts';
import { validateOutboundUrl } from '../../platform/http/outbound-fetch';
import type { ChannelInput } from '../../notifications/types';

export async function checkBaseUrl(provider: ProviderId, baseUrl: string | undefined): Promise<void> {
  if (baseUrl !== undefined)
    await validateOutboundUrl(baseUrl, { allowedHosts: PROVIDER_API_HOSTS[provider], field: 'baseUrl' });
}

export async function checkChannelUrl(input: ChannelInput): Promise<void> {
  if (input.type === 'slack_webhook')
    await validateOutboundUrl(input.url, { allowedHosts: NOTIFICATION_HOSTS.slack, field: 'url' });
  if (input.type === 'teams_workflow')
    await validateOutboundUrl(input.url, { allowedHosts: NOTIFICATION_HOSTS.teams, field: 'url' });
}

/** The consent page is opened by a person's browser, the token URL by us: both must be the provider's. */
export async function checkOAuthAppUrls(
  provider: ProviderId,
  app: { authorizeUrl?: string; tokenUrl?: string },
): Promise<void> {
  if (app.authorizeUrl !== undefined)
    await validateOutboundUrl(app.authorizeUrl, { allowedHosts: PROVIDER_API_HOSTS[provider], field: 'authorizeUrl' });
  if (app.tokenUrl !== undefined)
    await validateOutboundUrl(app.tokenUrl, { allowedHosts: PROVIDER_API_HOSTS[provider], field: 'tokenUrl' });
}

/** Client-credentials and JWT-bearer credentials name their own token endpoint. */
export async function checkTokenEndpoint(body: unknown): Promise<void> {
  const endpoint =
    typeof body === 'object' && body !== null ? (body as { tokenEndpoint?: unknown }).tokenEndpoint : undefined;
  if (typeof endpoint === 'string')
    await validateOutboundUrl(endpoint, { allowedHosts: TOKEN_ENDPOINT_HOSTS, field: 'tokenEndpoint' });
}
