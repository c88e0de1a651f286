/**
 * Scenario 3: Azurite (the webhook archive's blob store) killed and started again, empty, on the same ports.
 * New sandbox issues are announced by webhooks before, during and after the outage, redelivered while the
 * host refuses them; each must end as exactly one shard. Also measured: how fast the host answers a
 * webhook while blob storage is down (a fast 503 is the goal; it used to take 16 s).
 */
import { sleep } from '../support/processes';
import { startAzurite } from '../support/services';
import { settle, verdict, withEnvironment, type Prepared, type Scenario } from '../support/flow';
import { answerCounts, deliverIssueOpened, type DeliveryOutcome } from '../support/webhooks';

/** Creates `count` sandbox issues and delivers their webhooks (redelivered until `deadline`). */
export async function announceNewIssues(
  prepared: Prepared,
  count: number,
  deadline: number,
  label: string,
): Promise<DeliveryOutcome[]> {
  const outcomes: Promise<DeliveryOutcome>[] = [];
  for (let i = 0; i < count; i++) {
    const issue = await prepared.box.createIssue(`chaos ${label} ${i}`);
    outcomes.push(deliverIssueOpened(prepared.env, prepared.integrationId, prepared.webhookSecret, issue, deadline));
  }
  return Promise.all(outcomes);
}

export const azuriteRestart: Scenario = {
  name: 'azurite-killed-and-restarted',
  run: async ({ short, log }) => {
    const started = Date.now();
    const records = short ? 300 : 1000;
    const perPhase = short ? 10 : 30;
    const outageMs = short ? 6000 : 15_000;
    return withEnvironment(records, {}, async (prepared) => {
      const { api, env, integrationId } = prepared;
      const problems: string[] = [];
      await api.startSync(integrationId, 'full');
      const before = await announceNewIssues(prepared, perPhase, Date.now() + 30_000, 'before');
      await env.processes.azurite!.kill('SIGKILL');
      log('Azurite killed');
      const outageStarted = Date.now();
      // Deliveries made during the outage keep being redelivered until 40 s after Azurite is back.
      const duringDeadline = outageStarted + outageMs + 40_000;
      const duringPending = announceNewIssues(prepared, perPhase, duringDeadline, 'during');
      await sleep(Math.max(0, outageMs - (Date.now() - outageStarted)));
      await startAzurite(env);
      const outageS = Math.round((Date.now() - outageStarted) / 1000);
      log(`Azurite back after ${outageS} s`);
      const after = await announceNewIssues(prepared, perPhase, Date.now() + 40_000, 'after');
      const during = await duringPending;
      const all = [...before, ...during, ...after];
      const refused = (outcomes: DeliveryOutcome[]) => outcomes.filter((outcome) => !outcome.accepted).length;
      if (refused(all) > 0)
        problems.push(
          `${refused(all)} of ${all.length} webhook deliveries never accepted (before ${refused(before)}, during ${refused(during)}, after ${refused(after)})`,
        );
      const settled = await settle(prepared, short ? 60_000 : 90_000);
      return verdict(
        azuriteRestart.name,
        started,
        settled,
        problems,
        {
          outage_s: outageS,
          first_answer_ms_during_outage: Math.max(...during.map((outcome) => outcome.firstAnswerMs)),
          webhook_answers: answerCounts(all),
          ...(refused(all) > 0 ? { waits_for: 'issue 20 item 9 (blob outage recovery)' } : {}),
        },
        true,
      );
    });
  },
};
