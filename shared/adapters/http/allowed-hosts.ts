/**
 * Host names for the outbound address rule: the public host names each provider's API, OAuth token endpoint
 * and notification webhooks live on (from the provider descriptors, shared/core/providers). A target outside
 * these (and outside the operator's OUTBOUND_ALLOWED_HOSTS) is refused before anything is sent.
 */
import { byProvider, type ProviderId } from '../../core/providers';

/** Each provider descriptor's hosts (API, OAuth, its own notification webhooks). */
export const PROVIDER_API_HOSTS: Record<ProviderId, readonly string[]> = byProvider((provider) => provider.api.hosts);

/** Token endpoints of every provider: a credential's token endpoint is not tied to one integration. */
export const TOKEN_ENDPOINT_HOSTS: readonly string[] = [...new Set(Object.values(PROVIDER_API_HOSTS).flat())];

export const NOTIFICATION_HOSTS = {
  slack: ['hooks.slack.com', 'slack.com'],
  // Teams Workflows ("When a Teams webhook request is received") trigger URLs: Power Automate environments
  // (<env>.environment.api.powerplatform.com) and the older Logic Apps hosts (prod-NN.<region>.logic.azure.com).
  teams: ['*.logic.azure.com', '*.powerplatform.com'],
} as const satisfies Record<string, readonly string[]>;
