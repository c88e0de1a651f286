/**
 * Which credential of an integration serves what: the provider API credential, the webhook signing secret,
 * and a Notion subscription token waiting for an operator's confirmation. One place, so routes, verifiers
 * and adapters agree on the names.
 */
import type { Integration } from '../core/integration';
import type { Credentials, CredentialRef } from '../credentials';
import type { WebhookSecretSource } from '../webhooks/intake/secrets';

export type CredentialPurpose = 'api' | 'webhook' | 'webhook-pending';

const NAMES: Record<CredentialPurpose, string> = {
  api: 'default',
  webhook: 'webhook',
  'webhook-pending': 'webhook-pending',
};

export function credentialRef(
  integration: Pick<Integration, 'tenantId' | 'id'>,
  purpose: CredentialPurpose,
): CredentialRef {
  return { tenantId: integration.tenantId, integrationId: integration.id, name: NAMES[purpose] };
}

export function webhookSecretSource(credentials: Credentials): WebhookSecretSource {
  return {
    secretsFor: (integration, options) =>
      credentials.service.webhookSecrets(credentialRef(integration, 'webhook'), options),
    storePendingToken: async (integration, token) => {
      await credentials.service.put(credentialRef(integration, 'webhook-pending'), {
        type: 'webhook_secret',
        secret: token,
      });
    },
  };
}
