/**
 * Provider facts for the outbound address rule: the public host names each provider's API, OAuth token
 * endpoint and notification webhooks live on. A target outside these (and outside the operator's
 * OUTBOUND_ALLOWED_HOSTS) is refused before anything is sent. Sources: each provider's API reference.
 */
import type { ProviderId } from '../contract';

export const PROVIDER_API_HOSTS: Record<ProviderId, readonly string[]> = {
  // REST API and uploads; github.com serves the OAuth token endpoint (login/oauth/access_token).
  github: ['api.github.com', 'uploads.github.com', 'github.com'],
  // Each org has its instance (<name>.my.salesforce.com, sandboxes <name>--<box>.sandbox.my.salesforce.com,
  // older <pod>.salesforce.com); login and test serve OAuth for production and sandboxes.
  salesforce: ['login.salesforce.com', 'test.salesforce.com', '*.my.salesforce.com', '*.salesforce.com'],
  notion: ['api.notion.com'],
  slack: ['slack.com', 'hooks.slack.com'],
  // Calendar and Drive on www.googleapis.com, tokens on oauth2.googleapis.com, consent on accounts.google.com.
  google: ['www.googleapis.com', 'oauth2.googleapis.com', '*.googleapis.com', 'accounts.google.com'],
};

/** Token endpoints of every provider: a credential's token endpoint is not tied to one integration. */
export const TOKEN_ENDPOINT_HOSTS: readonly string[] = [...new Set(Object.values(PROVIDER_API_HOSTS).flat())];

export const NOTIFICATION_HOSTS = {
  slack: ['hooks.slack.com', 'slack.com'],
  // Teams Workflows ("When a Teams webhook request is received") trigger URLs: Power Automate environments
  // (<env>.environment.api.powerplatform.com) and the older Logic Apps hosts (prod-NN.<region>.logic.azure.com).
  teams: ['*.logic.azure.com', '*.powerplatform.com'],
} as const satisfies Record<string, readonly string[]>;
