/**
 * Scenario 1: kill -9 of the host in the middle of a full sync, then a restart. The embedded queue lived in
 * the host's memory, so the run's messages died with it; Cosmos, Redis, Azurite and the sandbox live on. The
 * run must still end (resumed from its checkpoint, or failed and the records brought by another run) with
 * every record synced once. Provider pages are slowed so that the kill lands mid-run.
 */
import { startHost } from '../support/services';
import { until } from '../support/processes';
import { settle, verdict, withEnvironment, type Scenario } from '../support/flow';

export const killHost: Scenario = {
  name: 'kill-9-mid-full-sync',
  run: async ({ short, log }) => {
    const started = Date.now();
    const records = short ? 600 : 2000;
    return withEnvironment(records, { SYNC_PAGE_SIZE: '25' }, async (prepared) => {
      const { api, box, env, integrationId } = prepared;
      const problems: string[] = [];
      await box.injectFault({ kind: 'slow', delayMs: 150, count: 10_000, path: '/repos/' });
      const { runId } = await api.startSync(integrationId, 'full');
      const target = Math.floor(records * 0.3);
      const mid = await until(
        async () => {
          const run = (await api.runs(integrationId)).find((candidate) => candidate.id === runId);
          return run && (run.counters.fetched >= target || run.status === 'succeeded' || run.status === 'failed')
            ? run
            : undefined;
        },
        90_000,
        200,
      );
      if (!mid) problems.push(`the full run did not reach ${target} records in 90 s`);
      else if (mid.status === 'succeeded' || mid.status === 'failed')
        problems.push(`the full run ended (${mid.status}) before the kill: the scenario proved nothing`);
      const fetchedAtKill = mid?.counters.fetched ?? 0;
      log(`kill -9 of the host at ${fetchedAtKill}/${records} records fetched`);
      await env.processes.host!.kill('SIGKILL');
      await box.clearFaults();
      const killedAt = Date.now();
      await startHost(env);
      log('host restarted; waiting for the end state');
      const settled = await settle(prepared, short ? 130_000 : 200_000);
      return verdict(
        killHost.name,
        started,
        settled,
        problems,
        {
          fetched_at_kill: fetchedAtKill,
          recovered_after_s: settled.settled ? Math.round((Date.now() - killedAt) / 1000) : null,
          waits_for: settled.settled ? undefined : 'issue 20 item 7 (stale-run sweeper)',
        },
        true,
      );
    });
  },
};
