/**
 * `npm run bench -- refresh [count] [instances]`: `count` OAuth credentials (default 10,000), all due at once,
 * refreshed by `instances` (default 4) TokenRefresher instances running as separate Node processes, each
 * with its own Redis connection, all sharing one private redis-server, the Key Vault HTTPS stand-in (through
 * the real SecretClient) and a local token endpoint that rotates refresh tokens. The endpoint counts calls
 * per credential: any credential refreshed more than once is a double refresh (must be 0).
 */
import { Agent } from 'node:https';
import Redis from 'ioredis';
import { CredentialService } from '../../shared/credentials/credential-service';
import { startKeyVaultStandIn } from '../credentials/support/keyvault-standin';
import { oauthCredential } from '../credentials/support/fixtures';
import { runWorker } from '../credentials/support/spawn-worker';
import { standInStore } from '../credentials/support/standin-store';
import { startTokenServer } from '../credentials/support/token-server';
import { startRedisServer } from '../support/redis-server';
import { emit } from './emit';

export default async function refreshBench(args: string[]): Promise<void> {
  const count = Number(args[0] ?? 10_000);
  const instances = Number(args[1] ?? 4);
  const redisServer = await startRedisServer();
  const standIn = await startKeyVaultStandIn();
  const tokenServer = await startTokenServer({ rotate: true });
  const keyPrefix = 'bench:refresh:';
  try {
    // Seed: every access token expires within the 5-minute margin.
    const seedStore = standInStore(standIn.url, standIn.caPem);
    const service = new CredentialService({ store: seedStore, cacheTtlMs: 0 });
    const seedStart = Date.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (next < count) {
          const i = next++;
          await service.put({ tenantId: 'bench', integrationId: `int-${i}`, name: 'oauth' }, oauthCredential(tokenServer, `int-${i}`, 60_000 + (i % 1000) * 100));
        }
      }),
    );
    emit('refresh', 'seed_credentials_per_s', count / ((Date.now() - seedStart) / 1000), 'credentials/s');

    const redis = new Redis(redisServer.settings.REDIS_URL!);
    await redis.flushdb();
    redis.disconnect();

    const startAtMs = Date.now() + 3000;
    const results = await Promise.all(
      Array.from({ length: instances }, () =>
        runWorker({ vaultUrl: standIn.url, caPem: standIn.caPem, redisUrl: redisServer.settings.REDIS_URL!, keyPrefix, mode: 'due', marginMs: 300_000, concurrency: 16, startAtMs }),
      ),
    );
    const wallMs = Date.now() - startAtMs;
    for (const [i, result] of results.entries()) {
      if (result.code !== 0 || !result.output) throw new Error(`refresher ${i} failed: ${result.stderr.slice(0, 500)}`);
    }
    const slowestMs = Math.max(...results.map((r) => r.output!.elapsedMs));
    let refreshed = 0;
    let doubles = 0;
    for (let i = 0; i < count; i++) {
      const calls = tokenServer.callsByFamily.get(`int-${i}`) ?? 0;
      if (calls >= 1) refreshed++;
      if (calls > 1) doubles += calls - 1;
    }
    const outcomeTotals: Record<string, number> = {};
    for (const r of results) for (const [k, v] of Object.entries(r.output!.counts)) outcomeTotals[k] = (outcomeTotals[k] ?? 0) + v;
    console.error(`instances=${instances} (separate processes) outcomes=${JSON.stringify(outcomeTotals)} wall_ms=${wallMs}`);

    emit('refresh', 'credentials_refreshed', refreshed, 'credentials');
    emit('refresh', 'refreshes_per_s', refreshed / (slowestMs / 1000), 'refreshes/s');
    emit('refresh', 'double_refreshes', doubles, 'token-endpoint calls');
    emit('refresh', 'missed_credentials', count - refreshed, 'credentials');
    emit('refresh', 'token_endpoint_calls', tokenServer.totalCalls(), 'calls');
    (seedStore as unknown as { options?: { clientOptions?: { agent?: Agent } } }).options?.clientOptions?.agent?.destroy();
  } finally {
    await tokenServer.stop();
    await standIn.stop();
    await redisServer.stop();
  }
}
