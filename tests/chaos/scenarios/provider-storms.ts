/**
 * Scenario 4: a storm of provider faults during a full sync: a share of the sandbox's API requests (20% or
 * 50%) answers 429 (Retry-After: 1) or 502, each request drawn on its own (dev/sandboxes/common/faults.ts).
 * Half the faulted share is 429, half 5xx. Every record must be synced once and every run must succeed: each
 * page has its own retry budget (issue 20 item 1).
 */
import { settle, verdict, withEnvironment, type Scenario } from '../support/flow';

function storm(share: number): Scenario {
  const scenario: Scenario = {
    name: `provider-storm-${Math.round(share * 100)}pct`,
    run: async ({ short, log }) => {
      const started = Date.now();
      const records = short ? 400 : 1500;
      // Product page size (100) in the full mode: at 50% a page waits about 5 s on average for its backoffs, so
      // pages, not records, set the length of the run. The short mode's few records need smaller pages to see faults.
      return withEnvironment(records, short ? { SYNC_PAGE_SIZE: '25' } : {}, async (prepared) => {
        const { api, box, integrationId } = prepared;
        // The injector tries the 429 storm first, then the 5xx storm: together `share` of the requests fail.
        const rateLimited = share / 2;
        const serverError = share / 2 / (1 - rateLimited);
        await box.injectFault({
          kind: 'rate_limit',
          probability: rateLimited,
          retryAfterSeconds: 1,
          count: 10_000,
          path: '/repos/',
        });
        await box.injectFault({
          kind: 'server_error',
          probability: serverError,
          status: 502,
          count: 10_000,
          path: '/repos/',
        });
        await api.startSync(integrationId, 'full');
        log(`storm at ${share * 100}%: full sync of ${records} records started`);
        const settled = await settle(prepared, short ? 100_000 : 150_000);
        const statuses = await box.statuses();
        await box.clearFaults();
        // The provider API's answers only (the runner's own /__sandbox/ calls answer 201 and 204).
        const faulted = (statuses['429'] ?? 0) + (statuses['502'] ?? 0);
        const answered = faulted + (statuses['200'] ?? 0) + (statuses['304'] ?? 0);
        const problems = faulted === 0 ? ['the storm never hit a request: the scenario proved nothing'] : [];
        return verdict(scenario.name, started, settled, problems, {
          provider_answers: statuses,
          faulted_share: answered ? Number((faulted / answered).toFixed(2)) : 0,
        });
      });
    },
  };
  return scenario;
}

export const storm20 = storm(0.2);
export const storm50 = storm(0.5);
