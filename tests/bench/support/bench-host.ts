/**
 * The local host for a benchmark, pointed at the Cosmos of a services child, plus one integration per
 * sandbox with its credentials stored through the credential service as demo mode does (an OAuth credential
 * issued by the sandbox and a webhook secret).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { ProviderId } from '../../../shared/core/providers';
import { newIntegration, type Integration } from '../../../shared/core/integration';
import { startLocalHost, type LocalHost } from '../../../hosts/local/local-host';
import { OAUTH_PROVIDERS, SANDBOX_OAUTH_PATHS } from '../../../shared/credentials/connect/providers';
import { credentialRef } from '../../../shared/app/integration-credentials';
import type { IssuedTokens } from '../../../dev/sandboxes/common/types';

export const BENCH_TENANT = 'bench';
export const BENCH_ADMIN_KEY = `bench-admin-${randomBytes(12).toString('hex')}`;

export async function startBenchHost(
  cosmos: Record<string, string>,
  extra: Record<string, string> = {},
): Promise<LocalHost & { cleanup(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ise-bench-'));
  const host = await startLocalHost({
    env: {
      ...cosmos,
      COSMOS_DATABASE: `bench-${randomBytes(4).toString('hex')}`,
      ADMIN_API_KEY: BENCH_ADMIN_KEY,
      LOG_LEVEL: 'warn',
      LOG_FORMAT: 'json',
      PORT: '0',
      DEMO_MODE: 'false',
      // The providers are the sandboxes on 127.0.0.1: the outbound address rule's explicit local exception.
      OUTBOUND_ALLOW_LOOPBACK: 'true',
      LOCAL_DATA_DIR: dataDir,
      ...extra,
    },
    useProcessEnv: false,
    timers: false,
  });
  return {
    ...host,
    cleanup: async () => {
      await host.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface BenchIntegration {
  provider: ProviderId;
  id: string;
  sandboxUrl: string;
  tokens: IssuedTokens;
  webhookSecret: string;
  entities?: string[];
  providerOptions?: Record<string, unknown>;
}

/** The sandboxes' registered OAuth client (public test values, valid only against the sandboxes). */
const SANDBOX_CLIENT = { clientId: 'sandbox-client', clientSecret: 'sandbox-client-secret' };

export async function createBenchIntegration(host: LocalHost, spec: BenchIntegration): Promise<Integration> {
  const { services } = host;
  const integration = await services.integrations.create(
    newIntegration(
      BENCH_TENANT,
      spec.id,
      {
        provider: spec.provider,
        name: `Bench ${spec.provider}`,
        baseUrl: spec.sandboxUrl,
        providerOptions: spec.providerOptions ?? {},
        ...(spec.entities ? { entities: spec.entities } : {}),
      },
      { intervalMinutes: 24 * 60 },
      services.now(),
    ),
  );
  await services.credentials.service.put(credentialRef(integration, 'api'), {
    type: 'oauth2_authorization_code',
    provider: spec.provider,
    tokenEndpoint: `${spec.sandboxUrl}${SANDBOX_OAUTH_PATHS[spec.provider].token}`,
    ...SANDBOX_CLIENT,
    clientAuth: OAUTH_PROVIDERS[spec.provider].clientAuth,
    accessToken: spec.tokens.accessToken,
    refreshToken: spec.tokens.refreshToken,
    expiresAt: new Date(spec.tokens.expiresAt).toISOString(),
  });
  await services.credentials.service.setWebhookSecret(credentialRef(integration, 'webhook'), spec.webhookSecret, 0);
  return integration;
}

/** Peak RSS of this process, sampled every 100 ms while running; `atPeak` says what the process held then (MB). */
export function rssSampler(): { peakMb(): number; atPeak(): string; stop(): void } {
  let peak = process.memoryUsage();
  const sample = () => {
    const now = process.memoryUsage();
    if (now.rss > peak.rss) peak = now;
  };
  const timer = setInterval(sample, 100);
  const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(0);
  return {
    peakMb: () => {
      sample();
      return peak.rss / 2 ** 20;
    },
    atPeak: () =>
      `rss ${mb(peak.rss)}, V8 heap ${mb(peak.heapUsed)} used of ${mb(peak.heapTotal)}, external ${mb(peak.external)} (array buffers ${mb(peak.arrayBuffers)})`,
    stop: () => clearInterval(timer),
  };
}

export async function loadAverage(): Promise<string> {
  const { loadavg } = await import('node:os');
  return loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');
}
