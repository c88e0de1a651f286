/**
 * Runs the library through its main paths (every type stored, refreshes that succeed, fail and need
 * re-authorisation, webhook rotation, auth errors) while capturing every log line, console write and
 * API-shaped output (metadata, lists, reports, outcomes, error JSON), plus the Redis keys and Key Vault tags
 * it wrote, and checks that no secret value appears in any of them.
 */
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { createAuthProvider } from '../../shared/credentials/auth-provider';
import { CredentialService } from '../../shared/credentials/credential-service';
import { RefreshEngine } from '../../shared/credentials/refresh-engine';
import { RedisRefreshLock } from '../../shared/stores/kv/redis/refresh-lock';
import type { CredentialRef } from '../../shared/credentials/types';
import { isAppError } from '../../shared/core/app-error';
import { captureLogger, oauthCredential, SAMPLE_CREDENTIALS } from './support/fixtures';
import { startKeyVaultStandIn, type KeyVaultStandIn } from './support/keyvault-standin';
import { standInStore } from './support/standin-store';
import { startTokenServer, type TokenServer } from './support/token-server';

const keyPrefix = `test:credleak:${randomUUID().slice(0, 8)}:`;
let redis: Redis;
let standIn: KeyVaultStandIn;
let server: TokenServer;
let githubStyle: TokenServer;

beforeAll(async () => {
  redis = new Redis(process.env.REDIS_URL!);
  standIn = await startKeyVaultStandIn();
  server = await startTokenServer({ rotate: true, clientId: 'client-1', clientSecret: 'client-secret-leakcheck' });
  githubStyle = await startTokenServer({ style: 'github', rotate: true });
});
afterAll(async () => {
  redis.disconnect();
  await Promise.all([standIn.stop(), server.stop(), githubStyle.stop()]);
});

it('no secret value reaches logs, console, API outputs, Redis or Key Vault tags', async () => {
  const logger = captureLogger();
  const consoleLines: string[] = [];
  const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((method) =>
    jest
      .spyOn(console, method)
      .mockImplementation((...args: unknown[]) => void consoleLines.push(args.map(String).join(' '))),
  );
  const outputs: unknown[] = [];
  const store = standInStore(standIn.url, standIn.caPem);
  const service = new CredentialService({ store, logger, cacheTtlMs: 0 });
  const engine = new RefreshEngine({
    service,
    coordination: new RedisRefreshLock(redis, keyPrefix),
    logger,
    retry: { maxAttempts: 2, backoff: { kind: 'fixed', delayMs: 1 } },
  });
  const ref = (name: string): CredentialRef => ({ tenantId: 'leak', integrationId: 'i', name });
  const secrets: string[] = ['client-secret-leakcheck', 'whsec-leak-old', 'whsec-leak-new'];

  try {
    const samples = SAMPLE_CREDENTIALS();
    for (const [name, input] of Object.entries(samples)) outputs.push(await service.put(ref(name), input));
    secrets.push(...JSON.stringify(samples).match(/sample-[a-z-]+-\d/g)!);

    // Refresh paths: success with rotation, invalid_grant, GitHub 200-with-error, transient failure.
    const ok = ref('oauth-ok');
    outputs.push(await service.put(ok, oauthCredential(server, 'leak-ok', 10_000)));
    outputs.push(await engine.refreshOnDemand(ok));
    outputs.push(await engine.refreshDue({ marginMs: 60_000 }));
    outputs.push(
      await service.put(
        ref('oauth-bad'),
        oauthCredential(server, 'leak-bad', 10_000, { refreshToken: 'rt-leak-unknown-token' }),
      ),
    );
    secrets.push('rt-leak-unknown-token', 'at-initial-leak-ok', 'at-initial-leak-bad', 'at-initial-leak-gh');
    outputs.push(await engine.refreshOnDemand(ref('oauth-bad')));
    outputs.push(
      await service.put(
        ref('oauth-gh'),
        oauthCredential(githubStyle, 'leak-gh', 10_000, { refreshToken: 'ghr_leak_revoked' }),
      ),
    );
    secrets.push('ghr_leak_revoked');
    outputs.push(await engine.refreshOnDemand(ref('oauth-gh')));
    server.failNext(5);
    outputs.push(await service.put(ref('oauth-down'), oauthCredential(server, 'leak-down', 10_000)));
    outputs.push(await engine.refreshOnDemand(ref('oauth-down')));

    // Webhook rotation and errors an API would render.
    await service.setWebhookSecret(ref('hook'), 'whsec-leak-old', 0);
    outputs.push(await service.setWebhookSecret(ref('hook'), 'whsec-leak-new', 60_000));
    for (const failing of [
      () => createAuthProvider(ref('oauth-bad'), { service, refresher: engine }).headers(),
      () => createAuthProvider(ref('webhook_secret'), { service }).headers(),
      () => service.put(ref('bad'), { type: 'api_key', key: 'sample-invalid-9', headerName: 'bad header' }),
      () => service.put(ref('bad2'), { type: 'basic_auth', username: 'sample-user:9', password: 'sample-pw-9' }),
    ]) {
      const error = await failing().catch((e: unknown) => e);
      expect(isAppError(error)).toBe(true);
      outputs.push((error as { toJSON(): unknown }).toJSON(), (error as Error).message);
    }
    secrets.push('sample-invalid-9', 'sample-user:9', 'sample-pw-9');
    outputs.push(await service.list(), await service.expiryReport(new Date()), await service.metadata(ref('oauth-ok')));
  } finally {
    spies.forEach((spy) => spy.mockRestore());
  }
  secrets.push(...server.allSecrets(), ...githubStyle.allSecrets());

  const redisDump: string[] = [];
  for (const key of await redis.keys(`${keyPrefix}*`))
    redisDump.push(key, (await redis.type(key)) === 'string' ? ((await redis.get(key)) ?? '') : '');
  const tags = JSON.stringify((await store.list()).map((item) => item.tags));

  const haystacks = {
    logs: logger.text(),
    console: consoleLines.join('\n'),
    outputs: JSON.stringify(outputs),
    redis: redisDump.join('\n'),
    tags,
  };
  // The scan must be able to fail: the samples really were stored and the refreshes really happened.
  expect(secrets.length).toBeGreaterThan(15);
  expect(logger.lines.some((l) => l.message === 'credential refreshed')).toBe(true);
  expect(logger.lines.some((l) => l.message === 'credential needs re-authorisation')).toBe(true);
  expect(JSON.stringify(await service.read(ref('oauth-ok'), { fresh: true }))).toContain(
    server.issued.get('leak-ok')!.at(-1),
  );
  for (const [where, text] of Object.entries(haystacks)) {
    for (const secret of secrets) {
      if (text.includes(secret)) throw new Error(`secret value found in ${where}`);
    }
  }
});
