/**
 * One "instance" for the multi-process tests: its own process and Redis connection, calling the limiter as
 * fast as it can for `durationMs` from the start time the parent sends on stdin, then printing the turn
 * times it was granted (Redis server clock) as one JSON line. Arguments: one JSON object (see WorkerArgs).
 */
import Redis from 'ioredis';
import { createRateLimiter, PROVIDER_LIMITS } from '../../../shared/ratelimit';
import { isAppError } from '../../../shared/core/app-error';
import type { RateRule } from '../../../shared/ratelimit/types';

export interface WorkerArgs {
  redisUrl: string;
  keyPrefix: string;
  tenantId: string;
  integrationId: string;
  appRule: RateRule;
  durationMs: number;
  maxWaitMs: number;
  /** Calls in flight at once in this process. */
  parallel: number;
}

export interface WorkerResult {
  turns: number[];
  refused: number;
}

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2]!) as WorkerArgs;
  const redis = new Redis(args.redisUrl, { enableAutoPipelining: true });
  const limiter = createRateLimiter({
    redis,
    keyPrefix: args.keyPrefix,
    providerLimits: { ...PROVIDER_LIMITS, notion: { ...PROVIDER_LIMITS.notion, app: args.appRule } },
    overrideCacheMs: 60_000,
    failover: { timeoutMs: 5000 },
  });
  const target = {
    tenantId: args.tenantId,
    integrationId: args.integrationId,
    provider: 'notion' as const,
    operation: 'pages.query',
  };
  const result: WorkerResult = { turns: [], refused: 0 };
  await redis.ping();
  // Start-up takes seconds on a busy machine: say "ready", then wait for the common start time on stdin.
  process.stdout.write('ready\n');
  const startAt = await new Promise<number>((resolve) =>
    process.stdin.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim()))),
  );
  process.stdin.pause();
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, startAt - Date.now())));
  const deadline = startAt + args.durationMs;
  await Promise.all(
    Array.from({ length: args.parallel }, async () => {
      while (Date.now() < deadline) {
        try {
          const permit = await limiter.acquire(target, {
            maxWaitMs: Math.min(args.maxWaitMs, Math.max(0, deadline - Date.now())),
          });
          result.turns.push(permit.turnAt);
        } catch (error) {
          if (!isAppError(error) || error.code !== 'rate_limited') throw error;
          result.refused++;
          // A refused caller would reschedule; here it comes back soon, without spinning the CPU.
          await new Promise((resolve) => setTimeout(resolve, 2));
        }
      }
    }),
  );
  if (limiter.health().degraded) throw new Error('worker fell back to local limits: the test would not test Redis');
  limiter.close();
  redis.disconnect();
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
