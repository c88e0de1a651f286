/**
 * Scenario 2: redis-server killed (SIGKILL) in the middle of a full sync and started again on the same port,
 * empty (no persistence), after 20 s (8 s in the short mode). Rate limits, claims and throttles fall back to
 * memory meanwhile; every record must still be synced once and every run end.
 */
import { sleep } from '../support/processes';
import { until } from '../support/processes';
import { startRedis } from '../support/services';
import { settle, verdict, withEnvironment, type Scenario } from '../support/flow';

const PAGE_SIZE = 25;

export const redisOutage: Scenario = {
  name: 'redis-killed-20s',
  run: async ({ short, log }) => {
    const started = Date.now();
    const records = short ? 600 : 2000;
    const outageMs = short ? 8000 : 20_000;
    return withEnvironment(records, { SYNC_PAGE_SIZE: String(PAGE_SIZE) }, async (prepared) => {
      const { api, box, env, integrationId } = prepared;
      const problems: string[] = [];
      // Slow pages so that the sync outlasts the outage (about 1.5 times its length).
      const delayMs = Math.ceil((outageMs * 1.5) / (records / PAGE_SIZE));
      await box.injectFault({ kind: 'slow', delayMs, count: 10_000, path: '/repos/' });
      const { runId } = await api.startSync(integrationId, 'full');
      const mid = await until(
        async () => {
          const run = (await api.runs(integrationId)).find((candidate) => candidate.id === runId);
          return run && run.counters.fetched >= records * 0.2 ? run : undefined;
        },
        60_000,
        200,
      );
      if (!mid) problems.push('the full run did not reach 20% of the records in 60 s');
      log(`redis-server killed at ${mid?.counters.fetched ?? 0}/${records} records fetched`);
      await env.processes.redis!.kill('SIGKILL');
      await sleep(outageMs);
      const health = await fetch(`${env.hostUrl}/api/health`, { signal: AbortSignal.timeout(5000) }).then(
        (response) => response.status,
        () => 0,
      );
      await startRedis(env);
      log(`redis-server back after ${outageMs / 1000} s (health during the outage: ${health})`);
      await box.clearFaults();
      const settled = await settle(prepared, short ? 90_000 : 150_000);
      return verdict(redisOutage.name, started, settled, problems, {
        outage_s: outageMs / 1000,
        health_during_outage: health,
      });
    });
  },
};
