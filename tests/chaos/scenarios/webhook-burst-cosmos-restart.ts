/**
 * Scenario 5: a burst of webhook deliveries (new sandbox issues) while the Cosmos stand-in's endpoint goes
 * down and comes back with its data (tests/chaos/support/cosmos-process.ts). Deliveries the host refuses
 * meanwhile are redelivered; each issue must end as exactly one shard and every run must end.
 */
import { sleep } from '../support/processes';
import { cosmosEndpoint } from '../support/services';
import { allFinal } from '../support/admin';
import { until } from '../support/processes';
import { settle, verdict, withEnvironment, type Scenario } from '../support/flow';
import { answerCounts } from '../support/webhooks';
import { announceNewIssues } from './azurite-restart';

export const webhookBurstCosmosRestart: Scenario = {
  name: 'webhook-burst-during-cosmos-restart',
  run: async ({ short, log }) => {
    const started = Date.now();
    const records = short ? 300 : 1000;
    const burst = short ? 40 : 150;
    const outageMs = short ? 5000 : 10_000;
    return withEnvironment(records, {}, async (prepared) => {
      const { api, env, integrationId } = prepared;
      const problems: string[] = [];
      await api.startSync(integrationId, 'full');
      // The burst lands on a synced integration: wait (bounded) for the first runs to end.
      if (!(await until(async () => (allFinal(await api.runs(integrationId)) ? true : undefined), 60_000, 1000)))
        problems.push('the initial sync did not end within 60 s');
      const burstStarted = Date.now();
      const pending = announceNewIssues(prepared, burst, burstStarted + outageMs + 60_000, 'burst');
      await sleep(500);
      await cosmosEndpoint(env, 'pause');
      log(`Cosmos endpoint down during a burst of ${burst} deliveries`);
      await sleep(outageMs);
      await cosmosEndpoint(env, 'resume');
      log(`Cosmos endpoint back after ${outageMs / 1000} s`);
      const outcomes = await pending;
      const refused = outcomes.filter((outcome) => !outcome.accepted).length;
      if (refused > 0) problems.push(`${refused} of ${burst} webhook deliveries never accepted`);
      // Long enough for the stale-run sweeper (SYNC_STALE_RUN_MINUTES=1) to pick up a run whose messages are gone.
      const settled = await settle(prepared, short ? 120_000 : 150_000);
      const deadLetters = await api.deadLetters(integrationId).catch(() => -1);
      return verdict(
        webhookBurstCosmosRestart.name,
        started,
        settled,
        problems,
        { outage_s: outageMs / 1000, burst, webhook_answers: answerCounts(outcomes), dead_letters: deadLetters },
        true,
      );
    });
  },
};
