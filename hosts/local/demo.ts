/**
 * Demo mode (`npm start` with no real provider settings): the five provider sandboxes start beside the local
 * host, and a demo tenant gets one integration per provider pointing at them, with each sandbox sending
 * signed webhooks to the host: GitHub and Google through the hooks and channels the app subscribes itself (as
 * in production), the others to the URL they are started with. A newcomer sees syncs, webhooks and runs
 * without any account.
 */
import { randomBytes } from 'node:crypto';
import type { ProviderId } from '../../shared/core/providers';
import { PROVIDER_IDS } from '../../shared/core/providers';
import { newIntegration, type Integration } from '../../shared/core/integration';
import type { AppServices } from '../../shared/app/services';
import { startSandbox, type RunningSandbox } from '../../dev/sandboxes';
import { notionIds } from '../../dev/sandboxes/notion/data';
import { channelIds } from '../../dev/sandboxes/slack/workspace';
import { credentialRef } from '../../shared/app/integration-credentials';
import { saveOAuthApp } from '../../shared/credentials/connect/oauth-apps';
import { OAUTH_PROVIDERS, SANDBOX_OAUTH_PATHS } from '../../shared/credentials/connect/providers';
import type { Stored } from '../../shared/core/stored';
import { isManagedProvider } from '../../shared/webhooks/subscriptions/policy';
import { turnOn } from '../../shared/webhooks/subscriptions/manager';
import { subscriptionDeps } from '../../shared/webhooks/subscriptions/wiring';

export const DEMO_TENANT = 'demo';
const SEED = 1;
const SLACK_CHANNELS = 2;

/** Provider settings that match what each sandbox seeds. */
const DEMO_OPTIONS: Record<ProviderId, () => Record<string, unknown>> = {
  github: () => ({ repositories: ['acme/widgets'] }),
  salesforce: () => ({}),
  notion: () => ({ dataSourceId: notionIds(SEED).dataSourceId }),
  // The demo sandbox answers with Slack's own page sizes and no minute-long pauses, as a Marketplace app gets them.
  slack: () => ({ channels: channelIds(SLACK_CHANNELS), appDistribution: 'marketplace' }),
  google: () => ({ calendarId: 'primary' }),
};

export interface DemoEnvironment {
  sandboxes: RunningSandbox[];
  integrations: Integration[];
  stop(): Promise<void>;
}

/** Sandbox options of the demo: Slack's channels; GitHub's hourly budget large enough for repeated demo syncs. */
const SANDBOX_EXTRAS: Partial<Record<ProviderId, Record<string, unknown>>> = {
  slack: { channels: SLACK_CHANNELS },
  github: { rateLimitPerHour: 1_000_000 },
};

const DEMO_RATE = { kind: 'rate' as const, limit: 200, windowMs: 1000, burst: 400 };
const DEMO_LIMITS = { integration: DEMO_RATE, operations: { '*': DEMO_RATE } };

/** The sandboxes' registered OAuth client (public test values, valid only against the sandboxes). */
const SANDBOX_CLIENT = { clientId: 'sandbox-client', clientSecret: 'sandbox-client-secret' };

/** The demo integration's API credential (OAuth, refreshable at its sandbox) and webhook secret. */
async function storeDemoCredentials(
  services: AppServices,
  integration: Integration,
  sandbox: RunningSandbox,
  webhookSecret: string,
): Promise<void> {
  const tokens = sandbox.control.issueToken({ expiresInMs: 24 * 3600_000 });
  const paths = SANDBOX_OAUTH_PATHS[integration.provider];
  await services.credentials.service.put(credentialRef(integration, 'api'), {
    type: 'oauth2_authorization_code',
    provider: integration.provider,
    tokenEndpoint: `${sandbox.url}${paths.token}`,
    ...SANDBOX_CLIENT,
    clientAuth: OAUTH_PROVIDERS[integration.provider].clientAuth,
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken,
    expiresAt: new Date(tokens.expiresAt).toISOString(),
  });
  await services.credentials.service.setWebhookSecret(credentialRef(integration, 'webhook'), webhookSecret, 0);
  // The OAuth connect flow of the demo points at the sandbox's authorize and token endpoints.
  await saveOAuthApp(services.credentials, integration.provider, {
    ...SANDBOX_CLIENT,
    authorizeUrl: `${sandbox.url}${paths.authorize}`,
    tokenUrl: `${sandbox.url}${paths.token}`,
  });
}

/** GitHub hooks and Google channels through the subscription API, as an operator's "Turn on webhooks" does. */
async function subscribeDemo(services: AppServices, integration: Stored<Integration>, hostUrl: string): Promise<void> {
  const view = await turnOn(subscriptionDeps(services), integration, hostUrl);
  if (view.status !== 'active') services.logger.warn('demo webhook subscription did not start', { ...view });
}

export async function startDemo(services: AppServices, hostUrl: string, records: number): Promise<DemoEnvironment> {
  const sandboxes: RunningSandbox[] = [];
  const integrations: Integration[] = [];
  try {
    for (const provider of PROVIDER_IDS) {
      const integrationId = `demo-${provider}`;
      const webhookSecret = randomBytes(24).toString('hex');
      const sandbox = await startSandbox(provider, {
        records,
        seed: SEED,
        // Providers whose subscriptions the app manages get them through their APIs below, not at start.
        ...(isManagedProvider(provider)
          ? {}
          : { webhookUrl: `${hostUrl}/api/webhooks/${provider}/${integrationId}`, webhookSecret }),
        ...(SANDBOX_EXTRAS[provider] ? { extra: SANDBOX_EXTRAS[provider] } : {}),
      });
      sandboxes.push(sandbox);
      const existing = await services.integrations.get(DEMO_TENANT, integrationId);
      const integration =
        existing ??
        (await services.integrations.create(
          newIntegration(
            DEMO_TENANT,
            integrationId,
            { provider, name: `Demo ${provider}`, baseUrl: sandbox.url, providerOptions: DEMO_OPTIONS[provider]() },
            { intervalMinutes: services.settings.sync.defaultIntervalMinutes },
            services.now(),
          ),
        ));
      // A restarted host gets new sandbox ports: point the stored integration at them (and give it demo options
      // added since it was stored).
      const options = { ...DEMO_OPTIONS[provider](), ...existing?.providerOptions };
      const stale =
        existing &&
        (existing.baseUrl !== sandbox.url ||
          Object.keys(options).length !== Object.keys(existing.providerOptions).length);
      const current = stale
        ? await services.integrations.replace({ ...existing, baseUrl: sandbox.url, providerOptions: options })
        : integration;
      await storeDemoCredentials(services, current, sandbox, webhookSecret);
      if (isManagedProvider(provider)) await subscribeDemo(services, current, hostUrl);
      // A sandbox is not the real provider's shared budget: demo syncs run at the sandbox's own pace.
      await services.rateLimiter.setOverride({ tenantId: DEMO_TENANT, integrationId }, DEMO_LIMITS);
      integrations.push(current);
    }
  } catch (error) {
    await Promise.all(sandboxes.map((sandbox) => sandbox.stop()));
    throw error;
  }
  return {
    sandboxes,
    integrations,
    stop: async () => void (await Promise.all(sandboxes.map((sandbox) => sandbox.stop()))),
  };
}
