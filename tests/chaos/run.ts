/**
 * `npm run chaos [-- --short] [-- scenario-name…]`: the chaos suite. Each scenario starts its own Cosmos
 * stand-in, redis-server, Azurite, GitHub sandbox and local host (separate processes on loopback ports),
 * breaks one of them, and prints one JSON line:
 *   {"chaos", "scenario", "records_expected", "records_synced", "duplicates", "lost", "passed", …details}
 * ("chaos" is the suite's mode: "full" or "short"). Progress goes to stderr. Exit code 1 when any scenario
 * fails or errs. Every process started is stopped, also on failure or Ctrl-C (process groups).
 */
import { killAllNow, stopAll } from './support/processes';
import type { Scenario, ScenarioResult } from './support/flow';
import { killHost } from './scenarios/kill-host';
import { redisOutage } from './scenarios/redis-outage';
import { azuriteRestart } from './scenarios/azurite-restart';
import { storm20, storm50 } from './scenarios/provider-storms';
import { webhookBurstCosmosRestart } from './scenarios/webhook-burst-cosmos-restart';

const SCENARIOS: Scenario[] = [killHost, redisOutage, azuriteRestart, storm20, storm50, webhookBurstCosmosRestart];
/** A scenario that has not ended by then is abandoned (its processes stopped) and counted as failed. */
const SCENARIO_TIMEOUT_MS = { short: 150_000, full: 330_000 };

function line(mode: string, result: ScenarioResult): string {
  const { scenario, records_expected, records_synced, duplicates, lost, passed, ...rest } = result;
  return JSON.stringify({ chaos: mode, scenario, records_expected, records_synced, duplicates, lost, passed, ...rest });
}

async function runOne(scenario: Scenario, short: boolean): Promise<ScenarioResult> {
  const started = Date.now();
  const log = (message: string) =>
    process.stderr.write(`[chaos ${scenario.name} +${Math.round((Date.now() - started) / 1000)}s] ${message}\n`);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`did not end within ${SCENARIO_TIMEOUT_MS[short ? 'short' : 'full'] / 1000} s`)),
      SCENARIO_TIMEOUT_MS[short ? 'short' : 'full'],
    );
  });
  try {
    return await Promise.race([scenario.run({ short, log }), timeout]);
  } catch (error) {
    return {
      scenario: scenario.name,
      records_expected: 0,
      records_synced: 0,
      duplicates: 0,
      lost: 0,
      unexpected: 0,
      passed: false,
      runs: {},
      seconds: Math.round((Date.now() - started) / 1000),
      problems: [`error: ${(error as Error).message?.slice(0, 2000) ?? String(error)}`],
    };
  } finally {
    clearTimeout(timer);
    // A scenario that timed out may still own processes: none outlives it.
    await stopAll();
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const short = args.includes('--short');
  const names = args.filter((arg) => !arg.startsWith('--'));
  const unknown = names.filter((name) => !SCENARIOS.some((scenario) => scenario.name === name));
  if (unknown.length > 0) {
    console.error(
      `unknown scenario ${unknown.join(', ')}; have: ${SCENARIOS.map((scenario) => scenario.name).join(', ')}`,
    );
    process.exitCode = 2;
    return;
  }
  const chosen = names.length > 0 ? SCENARIOS.filter((scenario) => names.includes(scenario.name)) : SCENARIOS;
  let failed = 0;
  for (const scenario of chosen) {
    const result = await runOne(scenario, short);
    if (!result.passed) failed++;
    console.log(line(short ? 'short' : 'full', result));
  }
  process.stderr.write(`chaos: ${chosen.length - failed} passed, ${failed} failed\n`);
  process.exitCode = failed > 0 ? 1 : 0;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killAllNow();
    process.exit(130);
  });
}
process.once('exit', killAllNow);

main().catch((error: unknown) => {
  console.error(error);
  killAllNow();
  process.exitCode = 1;
});
