/**
 * `npm run bench -- refresh [count] [instances]`: `count` OAuth credentials (default 10,000), all due at once,
 * refreshed by `instances` (default 4) TokenRefresher instances running as separate Node processes, each
 * with its own Redis connection, all sharing one private redis-server, the Key Vault HTTPS stand-in (reached
 * through the real SecretClient) and a local token endpoint that rotates refresh tokens. The endpoint counts
 * calls per credential: a credential refreshed more than once is a double refresh (must be 0).
 */
import Redis from 'ioredis';
import { CONTENT_TYPE, secretNameOf, tagsOf } from '../../shared/credentials/credential-doc';
import { parseCredential } from '../../shared/credentials/credential-service';
import type { StoredCredential } from '../../shared/credentials/types';
import { oauthCredential } from '../credentials/support/fixtures';
import { startKeyVaultStandIn } from '../credentials/support/keyvault-standin';
import { releaseWorkers, runWorker } from '../credentials/support/spawn-worker';
import { startTokenServer } from '../credentials/support/token-server';
import { startRedisServer } from '../support/redis-server';
import { emit } from './emit';

export default async function refreshBench(args: string[]): Promise<void> {
  const count = Number(args[0] ?? 10_000);
  const instances = Number(args[1] ?? 4);
  const redisServer = await startRedisServer();
  const standIn = await startKeyVaultStandIn();
  const tokenServer = await startTokenServer({ rotate: true });
  const redisUrl = redisServer.settings.REDIS_URL!;
  const redis = new Redis(redisUrl);
  try {
    // Seed straight into the stand-in (seeding is not what is measured): access tokens expire in 1-2 minutes.
    const now = new Date().toISOString();
    for (let i = 0; i < count; i++) {
      const ref = { tenantId: 'bench', integrationId: `int-${i}`, name: 'oauth' };
      const doc: StoredCredential = {
        schemaVersion: 1,
        ref,
        credential: parseCredential(oauthCredential(tokenServer, `int-${i}`, 60_000 + (i % 600) * 100)),
        status: 'active',
        createdAt: now,
        rotatedAt: now,
        updatedAt: now,
      };
      standIn.seed(secretNameOf(ref), JSON.stringify(doc), CONTENT_TYPE, tagsOf(doc));
    }

    const barrier = { readyKey: 'bench:ready', goKey: 'bench:go' };
    const workers = Promise.all(
      Array.from({ length: instances }, () =>
        runWorker({
          vaultUrl: standIn.url,
          caPem: standIn.caPem,
          redisUrl,
          keyPrefix: 'bench:refresh:',
          mode: 'due',
          marginMs: 300_000,
          concurrency: 16,
          barrier,
        }),
      ),
    );
    await releaseWorkers(redis, barrier, instances);
    const startedAt = Date.now();
    const results = await workers;
    const wallMs = Date.now() - startedAt;
    for (const [i, result] of results.entries()) {
      if (result.code !== 0 || !result.output) throw new Error(`refresher ${i} failed: ${result.stderr.slice(0, 500)}`);
    }
    // Each instance's own clock starts when the barrier opens; the slowest one ends the run.
    const slowestMs = Math.max(...results.map((r) => r.output!.elapsedMs));
    let refreshed = 0;
    let doubles = 0;
    for (let i = 0; i < count; i++) {
      const calls = tokenServer.callsByFamily.get(`int-${i}`) ?? 0;
      if (calls >= 1) refreshed++;
      if (calls > 1) doubles += calls - 1;
    }
    const outcomes: Record<string, number> = {};
    for (const r of results)
      for (const [k, v] of Object.entries(r.output!.counts)) outcomes[k] = (outcomes[k] ?? 0) + v;
    console.error(
      `${instances} refresher processes; outcomes ${JSON.stringify(outcomes)}; wall ${wallMs} ms; key vault stand-in requests ${JSON.stringify(Object.fromEntries(standIn.counts))}`,
    );

    emit('refresh', 'credentials', count, 'credentials');
    emit('refresh', 'refreshes_per_s', refreshed / (slowestMs / 1000), 'refreshes/s');
    emit('refresh', 'double_refreshes', doubles, 'token-endpoint calls');
    emit('refresh', 'missed_credentials', count - refreshed, 'credentials');
    emit('refresh', 'duration_ms', slowestMs, 'ms');
  } finally {
    redis.disconnect();
    await tokenServer.stop();
    await standIn.stop();
    await redisServer.stop();
  }
}
