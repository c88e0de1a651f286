/**
 * Demo mode (`npm start` with no real provider settings): the five provider sandboxes start beside the local
 * host, and a demo tenant gets one integration per provider pointing at them, with each sandbox sending
 * signed webhooks to the host. A newcomer sees syncs, webhooks and runs without any account.
 */
import { randomBytes } from 'node:crypto';
import type { ProviderId } from '../adapters/contract';
import { PROVIDER_IDS } from '../adapters/contract';
import { newIntegration, type Integration } from '../domain/integration';
import type { AppServices } from '../runtime/services';
import { startSandbox, type RunningSandbox } from '../sandboxes';
import { notionIds } from '../sandboxes/notion/data';
import { channelIds } from '../sandboxes/slack/workspace';

export const DEMO_TENANT = 'demo';
const SEED = 1;
const SLACK_CHANNELS = 2;

/** Provider settings that match what each sandbox seeds. */
const DEMO_OPTIONS: Record<ProviderId, () => Record<string, unknown>> = {
  github: () => ({ repositories: ['acme/widgets'] }),
  salesforce: () => ({}),
  notion: () => ({ dataSourceId: notionIds(SEED).dataSourceId }),
  slack: () => ({ channels: channelIds(SLACK_CHANNELS) }),
  google: () => ({ calendarId: 'primary' }),
};

export interface DemoEnvironment {
  sandboxes: RunningSandbox[];
  integrations: Integration[];
  stop(): Promise<void>;
}

export interface DemoCredentialSink {
  /** Store what the demo integration needs to call its sandbox and to verify its webhooks. */
  store(integration: Integration, material: { accessToken: string; refreshToken?: string; expiresAt?: string; webhookSecret: string }): Promise<void>;
}

export async function startDemo(services: AppServices, hostUrl: string, records: number, credentials?: DemoCredentialSink): Promise<DemoEnvironment> {
  const sandboxes: RunningSandbox[] = [];
  const integrations: Integration[] = [];
  try {
    for (const provider of PROVIDER_IDS) {
      const integrationId = `demo-${provider}`;
      const webhookSecret = randomBytes(24).toString('hex');
      const sandbox = await startSandbox(provider, {
        records,
        seed: SEED,
        webhookUrl: `${hostUrl}/api/webhooks/${provider}/${integrationId}`,
        webhookSecret,
        ...(provider === 'slack' ? { extra: { channels: SLACK_CHANNELS } } : {}),
      });
      sandboxes.push(sandbox);
      const existing = await services.integrations.get(DEMO_TENANT, integrationId);
      const integration =
        existing ??
        (await services.integrations.create(
          newIntegration(DEMO_TENANT, integrationId, { provider, name: `Demo ${provider}`, baseUrl: sandbox.url, providerOptions: DEMO_OPTIONS[provider]() }, { intervalMinutes: services.settings.sync.defaultIntervalMinutes }, services.now()),
        ));
      // A restarted host gets new sandbox ports: point the stored integration at them.
      const current = existing && existing.baseUrl !== sandbox.url ? await services.integrations.replace({ ...existing, baseUrl: sandbox.url }) : integration;
      const tokens = sandbox.control.issueToken({ expiresInMs: 24 * 3600_000 });
      await credentials?.store(current, { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresAt: new Date(tokens.expiresAt).toISOString(), webhookSecret });
      integrations.push(current);
    }
  } catch (error) {
    await Promise.all(sandboxes.map((sandbox) => sandbox.stop()));
    throw error;
  }
  return { sandboxes, integrations, stop: async () => void (await Promise.all(sandboxes.map((sandbox) => sandbox.stop()))) };
}
