/**
 * A refresher in its own process, for the cross-process single-flight and crash tests and the benchmark.
 * Reads one JSON argument, talks to the Key Vault stand-in, Redis and the token endpoint like a real
 * TokenRefresher instance, prints one JSON line with its outcomes, then exits.
 * fault=kill_after_token_response makes it SIGKILL itself between the token response and the store.
 */
import Redis from 'ioredis';
import { CredentialService } from '../../../shared/credentials/credential-service';
import { RefreshEngine, type RefreshOutcome } from '../../../shared/credentials/refresh-engine';
import { RedisRefreshLock } from '../../../shared/stores/kv/redis/refresh-lock';
import type { CredentialRef } from '../../../shared/credentials/types';
import { standInStore } from './standin-store';
// Its own process, outside jest's setup: the token endpoint is a 127.0.0.1 stand-in, the rule's local exception.
import '../../support/outbound-loopback';

export interface WorkerArgs {
  vaultUrl: string;
  caPem: string;
  redisUrl: string;
  keyPrefix: string;
  /** on_demand: `calls` parallel refreshOnDemand of `ref`; due: refreshDue over the whole store. */
  mode: 'on_demand' | 'due';
  ref?: CredentialRef;
  calls?: number;
  marginMs?: number;
  concurrency?: number;
  /** Start together: INCR readyKey once set up, then wait for an item on goKey (see releaseWorkers). */
  barrier?: { readyKey: string; goKey: string };
  /** The credential version whose token the worker "used" (on_demand); default: the version it reads at start. */
  usedVersion?: string;
  fault?: 'kill_after_token_response';
  /** A killed holder's lock lives this long (short in crash tests). */
  lockTtlMs?: number;
}

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2] ?? '{}') as WorkerArgs;
  const redis = new Redis(args.redisUrl, { lazyConnect: false, maxRetriesPerRequest: 2 });
  const service = new CredentialService({ store: standInStore(args.vaultUrl, args.caPem), cacheTtlMs: 0 });
  const engine = new RefreshEngine({
    service,
    coordination: new RedisRefreshLock(redis, args.keyPrefix),
    concurrency: args.concurrency ?? 8,
    lockTtlMs: args.lockTtlMs,
    faults:
      args.fault === 'kill_after_token_response'
        ? { afterTokenResponse: () => void process.kill(process.pid, 'SIGKILL') }
        : undefined,
  });
  await redis.ping();
  if (args.barrier) {
    const blocking = redis.duplicate();
    await redis.incr(args.barrier.readyKey);
    await blocking.blpop(args.barrier.goKey, 120);
    blocking.disconnect();
  }
  const started = Date.now();
  let outcomes: RefreshOutcome[];
  if (args.mode === 'on_demand') {
    const ref = args.ref!;
    const usedVersion = args.usedVersion ?? (await service.read(ref, { fresh: true }))?.version;
    outcomes = await Promise.all(
      Array.from({ length: args.calls ?? 1 }, () => engine.refreshOnDemand(ref, { usedVersion })),
    );
  } else {
    outcomes = (await engine.refreshDue({ marginMs: args.marginMs ?? 300_000 })).outcomes;
  }
  const elapsedMs = Date.now() - started;
  let finalAccessToken: string | undefined;
  if (args.ref) {
    const after = await service.read(args.ref, { fresh: true });
    finalAccessToken =
      after?.doc.credential.type === 'oauth2_authorization_code' ? after.doc.credential.accessToken : undefined;
  }
  const counts: Record<string, number> = {};
  for (const o of outcomes) {
    const label =
      o.outcome === 'refreshed'
        ? `refreshed:${o.by}`
        : o.outcome === 'failed'
          ? `failed:${o.error.code}`
          : `${o.outcome}:${o.reason}`;
    counts[label] = (counts[label] ?? 0) + 1;
  }
  // The test compares this token with the token server's record; stdout goes only to the test process.
  process.stdout.write(
    JSON.stringify({
      counts,
      elapsedMs,
      finalAccessToken,
      outcomes: args.mode === 'on_demand' ? outcomes : undefined,
    }) + '\n',
  );
  redis.disconnect();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`worker failed: ${error instanceof Error ? error.message : 'unknown'}\n`);
    process.exit(1);
  },
);
