/**
 * OAuth refresh against a real token endpoint, real Redis and the Key Vault stand-in: single-flight across
 * processes, crash between token response and store, invalid_grant, GitHub's 200-with-error, retries.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { CredentialService } from '../../shared/credentials/credential-service';
import { LocalSecretStore } from '../../shared/credentials/local-store';
import { RefreshEngine, type RefreshEngineOptions, type RefreshOutcome } from '../../shared/credentials/refresh-engine';
import { InProcessRefreshLock } from '../../shared/stores/kv/memory/refresh-lock';
import { RedisRefreshLock } from '../../shared/stores/kv/redis/refresh-lock';
import type { CredentialRef } from '../../shared/credentials/types';
import { oauthCredential } from './support/fixtures';
import { startKeyVaultStandIn, type KeyVaultStandIn } from './support/keyvault-standin';
import { releaseWorkers, runWorker } from './support/spawn-worker';
import { standInStore } from './support/standin-store';
import { startTokenServer, type TokenServer } from './support/token-server';

const keyPrefix = `test:credrefresh:${randomUUID().slice(0, 8)}:`;
let redis: Redis;
let standIn: KeyVaultStandIn;

beforeAll(async () => {
  redis = new Redis(process.env.REDIS_URL!);
  standIn = await startKeyVaultStandIn();
});
afterAll(async () => {
  redis.disconnect();
  await standIn.stop();
});

const newRef = (): CredentialRef => ({
  tenantId: 't-1',
  integrationId: `int-${randomUUID().slice(0, 8)}`,
  name: 'oauth',
});
const localService = (): CredentialService =>
  new CredentialService({
    store: new LocalSecretStore({
      filePath: join(mkdtempSync(join(tmpdir(), 'cred-')), 's.enc'),
      keyBase64: Buffer.alloc(32, 7).toString('base64'),
    }),
    cacheTtlMs: 0,
  });
const engineFor = (service: CredentialService, extra: Partial<RefreshEngineOptions> = {}): RefreshEngine =>
  new RefreshEngine({
    service,
    coordination: new RedisRefreshLock(redis, keyPrefix),
    retry: { maxAttempts: 3, backoff: { kind: 'exponential', baseDelayMs: 10, maxDelayMs: 50, jitter: 'full' } },
    ...extra,
  });

async function storedOAuth(service: CredentialService, ref: CredentialRef) {
  const read = await service.require(ref, { fresh: true });
  if (read.doc.credential.type !== 'oauth2_authorization_code') throw new Error('not oauth');
  return { ...read, credential: read.doc.credential };
}

describe('single-flight refresh', () => {
  let server: TokenServer;
  beforeAll(async () => {
    server = await startTokenServer({ rotate: true, delayMs: 200 });
  });
  afterAll(() => server.stop());

  it('two processes and in-process callers make exactly one token-endpoint call and all end with the new token', async () => {
    const ref = newRef();
    const service = new CredentialService({ store: standInStore(standIn.url, standIn.caPem), cacheTtlMs: 0 });
    await service.put(ref, oauthCredential(server, ref.integrationId, 30_000));
    const before = await service.require(ref, { fresh: true });
    const barrier = {
      readyKey: `${keyPrefix}ready:${ref.integrationId}`,
      goKey: `${keyPrefix}go:${ref.integrationId}`,
    };
    const workerArgs = {
      vaultUrl: standIn.url,
      caPem: standIn.caPem,
      redisUrl: process.env.REDIS_URL!,
      keyPrefix,
      mode: 'on_demand' as const,
      ref,
      calls: 4,
      barrier,
      usedVersion: before.version,
    };
    const engine = engineFor(service);
    const children = Promise.all([runWorker(workerArgs), runWorker(workerArgs)]);
    // Both processes are set up and blocked on the barrier: all twelve calls start together.
    await releaseWorkers(redis, barrier, 2);
    const local = await Promise.all(
      Array.from({ length: 4 }, () => engine.refreshOnDemand(ref, { usedVersion: before.version })),
    );
    const [a, b] = await children;

    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    expect(server.callsByFamily.get(ref.integrationId)).toBe(1);
    const newToken = server.issued.get(ref.integrationId)![0];
    expect(a.output?.finalAccessToken).toBe(newToken);
    expect(b.output?.finalAccessToken).toBe(newToken);
    expect((await storedOAuth(service, ref)).credential.accessToken).toBe(newToken);
    const all = [...(a.output!.outcomes as RefreshOutcome[]), ...(b.output!.outcomes as RefreshOutcome[]), ...local];
    expect(all).toHaveLength(12);
    expect(all.every((o) => o.outcome === 'refreshed')).toBe(true);
    expect(all.filter((o) => o.outcome === 'refreshed' && o.by === 'self')).toHaveLength(1);
  }, 30_000);

  it('in-process coordination (no Redis): eight concurrent callers, one endpoint call', async () => {
    const ref = newRef();
    const service = localService();
    const put = await service.put(ref, oauthCredential(server, ref.integrationId, 10_000));
    const engine = new RefreshEngine({ service, coordination: new InProcessRefreshLock() });
    const outcomes = await Promise.all(
      Array.from({ length: 8 }, () => engine.refreshOnDemand(ref, { usedVersion: put.version })),
    );
    expect(outcomes.map((o) => (o.outcome === 'refreshed' ? o.by : o.outcome)).sort()).toEqual([
      'other',
      'other',
      'other',
      'other',
      'other',
      'other',
      'other',
      'self',
    ]);
    expect(server.callsByFamily.get(ref.integrationId)).toBe(1);
  });

  it('stores the rotated refresh token before anyone uses the new access token, so the next refresh works', async () => {
    const ref = newRef();
    const service = localService();
    await service.put(ref, oauthCredential(server, ref.integrationId, 10_000));
    const first = await engineFor(service).refreshOnDemand(ref);
    expect(first).toMatchObject({ outcome: 'refreshed', by: 'self' });
    const stored = await storedOAuth(service, ref);
    expect(stored.credential.accessToken).toBe(server.issued.get(ref.integrationId)!.at(-1));
    expect(stored.credential.refreshTokenExpiresAt).toBeDefined();
    expect(stored.doc.refreshFence).toBeGreaterThan(0);
    // The old refresh token is revoked at the server; only the stored rotated one can work.
    expect(await engineFor(service).refreshOnDemand(ref)).toMatchObject({ outcome: 'refreshed', by: 'self' });
    expect(server.callsByFamily.get(ref.integrationId)).toBe(2);
  });

  it('does not call the endpoint when the version the caller used was already replaced', async () => {
    const ref = newRef();
    const service = localService();
    const put = await service.put(ref, oauthCredential(server, ref.integrationId, 10_000));
    await engineFor(service).refreshOnDemand(ref, { usedVersion: put.version });
    const again = await engineFor(service).refreshOnDemand(ref, { usedVersion: put.version });
    expect(again).toMatchObject({ outcome: 'refreshed', by: 'other' });
    expect(server.callsByFamily.get(ref.integrationId)).toBe(1);
  });
});

describe('a refresh killed between token response and store', () => {
  it('with strict rotation: the next run flags needs_reauth (refresh_interrupted) instead of failing forever', async () => {
    const server = await startTokenServer({ rotate: true });
    try {
      const ref = newRef();
      const service = new CredentialService({ store: standInStore(standIn.url, standIn.caPem), cacheTtlMs: 0 });
      await service.put(ref, oauthCredential(server, ref.integrationId, 10_000));
      const killed = await runWorker({
        vaultUrl: standIn.url,
        caPem: standIn.caPem,
        redisUrl: process.env.REDIS_URL!,
        keyPrefix,
        mode: 'on_demand',
        ref,
        calls: 1,
        fault: 'kill_after_token_response',
        lockTtlMs: 1500,
      });
      expect(killed.signal).toBe('SIGKILL');
      expect(server.callsByFamily.get(ref.integrationId)).toBe(1);
      expect((await storedOAuth(service, ref)).credential.accessToken).toBe(`at-initial-${ref.integrationId}`);

      const next = await engineFor(service).refreshOnDemand(ref);
      expect(next).toEqual({ ref, outcome: 'needs_reauth', reason: 'refresh_interrupted' });
      expect(await service.metadata(ref)).toMatchObject({
        status: 'needs_reauth',
        statusReason: 'refresh_interrupted',
      });
      // Flagged credentials are left alone until a person reconnects.
      expect(await engineFor(service).refreshOnDemand(ref)).toMatchObject({ outcome: 'needs_reauth' });
      expect(server.callsByFamily.get(ref.integrationId)).toBe(2);
    } finally {
      await server.stop();
    }
  }, 30_000);

  it('with a provider reuse grace: the next run recovers and stores the new tokens', async () => {
    const server = await startTokenServer({ rotate: true, reuseGraceMs: 60_000 });
    try {
      const ref = newRef();
      const service = new CredentialService({ store: standInStore(standIn.url, standIn.caPem), cacheTtlMs: 0 });
      await service.put(ref, oauthCredential(server, ref.integrationId, 10_000));
      const killed = await runWorker({
        vaultUrl: standIn.url,
        caPem: standIn.caPem,
        redisUrl: process.env.REDIS_URL!,
        keyPrefix,
        mode: 'on_demand',
        ref,
        calls: 1,
        fault: 'kill_after_token_response',
        lockTtlMs: 1500,
      });
      expect(killed.signal).toBe('SIGKILL');
      const next = await engineFor(service).refreshOnDemand(ref);
      expect(next).toMatchObject({ outcome: 'refreshed', by: 'self' });
      expect((await storedOAuth(service, ref)).credential.accessToken).toBe(
        server.issued.get(ref.integrationId)!.at(-1),
      );
      expect(
        await redis.exists(
          `${keyPrefix}cred:journal:${(await import('../../shared/credentials/credential-doc')).secretNameOf(ref)}`,
        ),
      ).toBe(0);
    } finally {
      await server.stop();
    }
  }, 30_000);
});

describe('provider answers', () => {
  it('a timed-out attempt that the provider did process, then invalid_grant on retry → needs_reauth refresh_interrupted', async () => {
    const server = await startTokenServer({ rotate: true });
    try {
      const ref = newRef();
      const service = localService();
      await service.put(ref, oauthCredential(server, ref.integrationId, 10_000));
      // The server rotates at 250 ms, after the client gave up at 200 ms; the retry comes at about 600 ms.
      server.slowNext(1, 250);
      const engine = engineFor(service, {
        requestTimeoutMs: 200,
        retry: { maxAttempts: 3, backoff: { kind: 'fixed', delayMs: 400 } },
      });
      const outcome = await engine.refreshOnDemand(ref);
      expect(outcome).toEqual({ ref, outcome: 'needs_reauth', reason: 'refresh_interrupted' });
      expect(server.callsByFamily.get(ref.integrationId)).toBe(2);
    } finally {
      await server.stop();
    }
  });

  it('invalid_grant (HTTP 400) → needs_reauth, and refreshDue skips it afterwards', async () => {
    const server = await startTokenServer();
    try {
      const ref = newRef();
      const service = localService();
      await service.put(ref, oauthCredential(server, ref.integrationId, 10_000, { refreshToken: 'rt-never-issued' }));
      expect(await engineFor(service).refreshOnDemand(ref)).toEqual({
        ref,
        outcome: 'needs_reauth',
        reason: 'invalid_grant',
      });
      expect((await service.list())[0]).toMatchObject({ status: 'needs_reauth', statusReason: 'invalid_grant' });
      expect((await engineFor(service).refreshDue({ marginMs: 600_000 })).due).toBe(0);
    } finally {
      await server.stop();
    }
  });

  it('GitHub HTTP 200 with {"error":"bad_refresh_token"} → needs_reauth, the error body never becomes a token', async () => {
    const server = await startTokenServer({ style: 'github' });
    try {
      const ref = newRef();
      const service = localService();
      await service.put(
        ref,
        oauthCredential(server, ref.integrationId, 10_000, { refreshToken: 'rt-revoked-at-github' }),
      );
      expect(await engineFor(service).refreshOnDemand(ref)).toEqual({
        ref,
        outcome: 'needs_reauth',
        reason: 'bad_refresh_token',
      });
      expect((await storedOAuth(service, ref)).credential.accessToken).toBe(`at-initial-${ref.integrationId}`);
    } finally {
      await server.stop();
    }
  });

  it('retries 503 with backoff and then succeeds; gives up as failed (retryable) after maxAttempts', async () => {
    const server = await startTokenServer();
    try {
      const ref = newRef();
      const service = localService();
      await service.put(ref, oauthCredential(server, ref.integrationId, 10_000));
      server.failNext(2);
      expect(await engineFor(service).refreshOnDemand(ref)).toMatchObject({ outcome: 'refreshed', by: 'self' });
      expect(server.callsByFamily.get(ref.integrationId)).toBe(3);
      server.failNext(5, 0);
      const outcome = await engineFor(service).refreshOnDemand(ref);
      expect(outcome).toMatchObject({ outcome: 'failed', error: { code: 'transient', retryable: true } });
      expect(server.callsByFamily.get(ref.integrationId)).toBe(6);
      expect((await service.metadata(ref))?.status).toBe('active');
    } finally {
      await server.stop();
    }
  });
});

describe('refreshDue', () => {
  it('refreshes only active OAuth credentials expiring within the margin, most urgent first, up to the limit', async () => {
    const server = await startTokenServer({ rotate: true });
    try {
      const service = localService();
      const soon = [newRef(), newRef(), newRef()];
      const later = newRef();
      for (const [i, ref] of soon.entries())
        await service.put(ref, oauthCredential(server, ref.integrationId, 60_000 * (i + 1)));
      await service.put(later, oauthCredential(server, later.integrationId, 3_600_000));
      await service.put(newRef(), { type: 'api_key', key: 'k-not-oauth' });
      const result = await engineFor(service).refreshDue({ marginMs: 300_000, limit: 2 });
      expect(result).toMatchObject({ listed: 5, due: 2 });
      expect(result.outcomes.map((o) => [o.ref.integrationId, o.outcome])).toEqual([
        [soon[0]!.integrationId, 'refreshed'],
        [soon[1]!.integrationId, 'refreshed'],
      ]);
      const rest = await engineFor(service).refreshDue({ marginMs: 300_000 });
      expect(rest.outcomes.map((o) => o.ref.integrationId)).toEqual([soon[2]!.integrationId]);
      expect(server.callsByFamily.get(later.integrationId)).toBeUndefined();
    } finally {
      await server.stop();
    }
  });
});
