/**
 * `npm run bench -- webhooks [seconds-per-stage] [github-deliveries-for-latency]`: signed GitHub and Slack
 * deliveries (alternating, each with its own delivery id and a valid signature, all signed before the load
 * starts) against the local host's real route POST /api/webhooks/{provider}/{integrationId}: verify → dedupe
 * → archive to blob (Azurite) → start a targeted sync run (Cosmos run document + embedded queue) → receipt in
 * Cosmos, with Redis for dedupe and limits as in Azure. The measured stages run with the host's queue triggers
 * stopped (the started syncs wait in the queue), so they show the ingest path itself; one unbounded stage with
 * the triggers running (the syncs compete for the same CPU and Cosmos) is printed on stderr for context.
 * Offered load rises through fixed rates to an unbounded stage;
 * `accepted_per_s` is the 2xx throughput of the unbounded stage, `p50_ms` / `p99_ms` are latencies at the
 * highest fixed rate the host kept up with (≥95% of the offered rate answered 2xx).
 * `received_to_saved_*`: first, on an idle host, GitHub `issues` deliveries for issues that exist in the
 * sandbox, one at a time: from the request's start to the targeted run's finishedAt (set after its shard and
 * record state are written to Cosmos).
 * `ceiling_per_s`: a bare node:http server that reads the body and answers 202, same load generator, same run.
 * cosmosdb-server (keep-alive) and the sandboxes run in a child process; Azurite is the host's own child.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { githubSignature256 } from '../../shared/sandboxes/github/webhook';
import { slackSignature } from '../../shared/sandboxes/slack/events';
import { channelIds } from '../../shared/sandboxes/slack/workspace';
import { emit, percentile } from './emit';
import { BENCH_TENANT, createBenchIntegration, loadAverage, startBenchHost } from './support/bench-host';
import { startServicesChild } from './support/services-child';
import { startRedisServer } from '../support/redis-server';

const BENCH = 'webhooks';
const RATES = [500, 1000, 2000, 4000];
const CONNECTIONS = 50;
const SANDBOX_ISSUES = 500;
const SLACK_CHANNELS = 2;
const RUN_WAIT_MS = 10_000;
/** Deliveries signed for the unbounded stage, per second of it (well above what the host answers). */
const UNBOUNDED_HEADROOM_PER_S = 12_000;

interface Delivery {
  path: string;
  headers: Record<string, string>;
  body: string;
}

function githubDelivery(integrationId: string, secret: string, number: number): Delivery {
  const body = JSON.stringify({
    action: 'edited',
    issue: { id: 5_000_000 + number, number, title: `Issue ${number}`, state: 'open', body: 'x'.repeat(600), user: { login: 'octocat', id: 1 }, labels: [], updated_at: new Date().toISOString() },
    changes: { title: { from: 'before' } },
    repository: { id: 1000, name: 'widgets', full_name: 'acme/widgets', owner: { login: 'acme' }, private: false },
    sender: { login: 'octocat', id: 1, type: 'User' },
  });
  return {
    path: `/api/webhooks/github/${integrationId}`,
    headers: { 'content-type': 'application/json', 'x-github-event': 'issues', 'x-github-delivery': randomUUID(), 'x-hub-signature-256': githubSignature256(secret, body), 'user-agent': 'GitHub-Hookshot/bench' },
    body,
  };
}

function slackDelivery(integrationId: string, secret: string, channels: string[], i: number): Delivery {
  const ts = `${1_700_000_000 + i}.${String(i % 1_000_000).padStart(6, '0')}`;
  const body = JSON.stringify({
    token: 'bench',
    team_id: 'T0BENCH',
    api_app_id: 'A0BENCH',
    type: 'event_callback',
    event_id: `Ev${randomBytes(8).toString('hex')}`,
    event_time: Math.floor(Date.now() / 1000),
    event: { type: 'message', channel: channels[i % channels.length], user: 'U0BENCH', text: 'y'.repeat(400), ts, event_ts: ts },
  });
  const timestamp = String(Math.floor(Date.now() / 1000));
  return {
    path: `/api/webhooks/slack/${integrationId}`,
    headers: { 'content-type': 'application/json', 'x-slack-request-timestamp': timestamp, 'x-slack-signature': slackSignature(secret, timestamp, body) },
    body,
  };
}

interface Stage {
  offered: number | 'max';
  sent: number;
  ok: number;
  perS: number;
  p50: number;
  p99: number;
  errors: number;
}

/**
 * One autocannon stage over pre-signed deliveries (each used once), bounded by time (autocannon's `amount`
 * would wait past the duration for a host that falls behind). Runs out of deliveries: an error, not a reuse.
 */
async function stage(url: string, deliveries: Delivery[], from: { next: number }, seconds: number, rate?: number): Promise<Stage> {
  const cpuBefore = process.cpuUsage();
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const wallBefore = performance.now();
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    ...(rate ? { overallRate: rate } : {}),
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => {
          const delivery = deliveries[from.next++];
          if (!delivery) throw new Error('out of pre-signed deliveries');
          return { ...request, method: 'POST', path: delivery.path, headers: delivery.headers, body: delivery.body };
        },
      },
    ],
  });
  loop.disable();
  const cpu = process.cpuUsage(cpuBefore);
  const ok = result['2xx'];
  console.error(`webhooks bench: stage ${rate ?? 'max'}: this process used ${(((cpu.user + cpu.system) / 1000 / (performance.now() - wallBefore)) * 100).toFixed(0)}% of a core, event-loop delay p50 ${(loop.percentile(50) / 1e6).toFixed(0)} ms, p99 ${(loop.percentile(99) / 1e6).toFixed(0)} ms`);
  return { offered: rate ?? 'max', sent: result.requests.sent, ok, perS: ok / result.duration, p50: result.latency.p50, p99: result.latency.p99, errors: result.non2xx + result.errors + result.timeouts };
}

export default async function webhooksBench(args: string[]): Promise<void> {
  const seconds = Number(args[0] ?? 5);
  const latencySamples = Number(args[1] ?? 40);
  const child = await startServicesChild({ sandbox: { provider: 'github', records: SANDBOX_ISSUES, seed: 1, extra: { comments: 0, rateLimitPerHour: 1_000_000 } } });
  const slackChild = await startServicesChild({ sandbox: { provider: 'slack', records: 50, seed: 1, extra: { channels: SLACK_CHANNELS } } });
  // Redis as in Azure (Azure Cache for Redis): the dedupe fast path and the rate limiter.
  const redis = await startRedisServer();
  try {
    const host = await startBenchHost(child.cosmos, { ...redis.settings, WEBHOOK_TENANT_RATE_PER_S: '1000000', QUEUE_MAX_DELIVERY_COUNT: '2' });
    try {
      const githubSecret = randomBytes(24).toString('hex');
      const slackSecret = randomBytes(24).toString('hex');
      await createBenchIntegration(host, { provider: 'github', id: 'bench-gh', sandboxUrl: child.sandbox!.url, tokens: child.sandbox!.tokens, webhookSecret: githubSecret, entities: ['issues'], providerOptions: { repositories: ['acme/widgets'] } });
      const channels = channelIds(SLACK_CHANNELS);
      await createBenchIntegration(host, { provider: 'slack', id: 'bench-slack', sandboxUrl: slackChild.sandbox!.url, tokens: slackChild.sandbox!.tokens, webhookSecret: slackSecret, entities: ['messages'], providerOptions: { channels } });

      const timings = traceSteps(host.services as unknown as Record<string, unknown>);
      console.error('webhooks bench: host and integrations ready; received → saved');
      // Received → saved, one delivery at a time on an idle host.
      const savedMs: number[] = [];
      for (let i = 0; i < latencySamples; i++) {
        const delivery = githubDelivery('bench-gh', githubSecret, 1 + (i % SANDBOX_ISSUES));
        const startedAt = Date.now();
        const response = await fetch(`${host.url}${delivery.path}`, { method: 'POST', headers: delivery.headers, body: delivery.body });
        const answer = (await response.json()) as { runIds?: string[] };
        const runId = answer.runIds?.[0];
        if (response.status !== 200 || !runId) throw new Error(`delivery answered ${response.status}: ${JSON.stringify(answer)}`);
        for (;;) {
          const run = await host.services.runs.get(BENCH_TENANT, 'bench-gh', runId);
          if (run?.status === 'succeeded' || run?.status === 'failed') {
            if (run.status === 'failed') throw new Error(`targeted run failed: ${JSON.stringify(run.lastError)}`);
            if (i === 0 && run.counters.created + run.counters.updated !== 1) throw new Error(`targeted run wrote nothing: ${JSON.stringify(run.counters)}`);
            savedMs.push(Date.parse(run.finishedAt!) - startedAt);
            break;
          }
          if (Date.now() - startedAt > RUN_WAIT_MS) throw new Error(`run ${runId} still ${run?.status}`);
          await new Promise((resolve) => setTimeout(resolve, 2));
        }
      }

      // Load: pre-sign enough deliveries for every stage, alternating GitHub and Slack.
      const total = RATES.reduce((sum, rate) => sum + rate * seconds, 0) + 2 * UNBOUNDED_HEADROOM_PER_S * seconds;
      const deliveries: Delivery[] = [];
      for (let i = 0; i < total; i++) deliveries.push(i % 2 === 0 ? githubDelivery('bench-gh', githubSecret, 1 + ((i >> 1) % SANDBOX_ISSUES)) : slackDelivery('bench-slack', slackSecret, channels, i));
      const from = { next: 0 };
      console.error(`webhooks bench: ${deliveries.length} deliveries signed; load stages`);
      const loadBefore = await loadAverage();
      // For context only: saturation while the host also runs the syncs the deliveries start.
      const withWorkers = await stage(host.url, deliveries, from, seconds);
      console.error(`webhooks bench: unbounded with queue triggers running → ${withWorkers.perS.toFixed(0)} 2xx/s, p50 ${withWorkers.p50} ms, p99 ${withWorkers.p99} ms, ${withWorkers.errors} errors`);
      // The measured stages: the ingest path alone (verify, dedupe, archive, enqueue, receipt); messages wait in the queue.
      await host.triggers.stop();
      const stages: Stage[] = [];
      for (const rate of RATES) {
        stages.push(await stage(host.url, deliveries, from, seconds, rate));
        const last = stages.at(-1)!;
        console.error(`webhooks bench: offered ${rate}/s → ${last.perS.toFixed(0)} 2xx/s, p50 ${last.p50} ms, p99 ${last.p99} ms, ${last.errors} errors`);
      }
      stages.push(await stage(host.url, deliveries, from, seconds));
      const loadAfter = await loadAverage();
      const kept = stages.filter((s) => s.offered !== 'max' && s.perS >= 0.95 * (s.offered as number) && s.errors === 0);
      const moderate = kept.at(-1) ?? stages[0]!;
      const saturated = stages.at(-1)!;

      if (timings) for (const [label, list] of Object.entries(timings)) console.error(`step ${label}: n ${list.length}, p50 ${percentile(list, 50).toFixed(1)} ms, p99 ${percentile(list, 99).toFixed(1)} ms, total ${list.reduce((a, b) => a + b, 0).toFixed(0)} ms`);
      const ceiling = await bareCeiling(seconds, total);
      console.error(`stages (offered → 2xx/s, p50/p99 ms, errors): ${stages.map((s) => `${s.offered} → ${s.perS.toFixed(0)}, ${s.p50}/${s.p99}, ${s.errors}`).join('; ')}`);
      console.error(`latency figures at the ${moderate.offered}/s stage; received→saved over ${savedMs.length} GitHub deliveries; load average before ${loadBefore}, after ${loadAfter}; ceiling ${ceiling.perS.toFixed(0)}/s (p50 ${ceiling.p50} ms)`);
      emit(BENCH, 'accepted_per_s', saturated.perS, 'deliveries/s');
      emit(BENCH, 'p50_ms', moderate.p50, 'ms');
      emit(BENCH, 'p99_ms', moderate.p99, 'ms');
      emit(BENCH, 'received_to_saved_p50_ms', percentile(savedMs, 50), 'ms');
      emit(BENCH, 'received_to_saved_p99_ms', percentile(savedMs, 99), 'ms');
      emit(BENCH, 'ceiling_per_s', ceiling.perS, 'requests/s');
    } finally {
      await host.cleanup();
    }
  } finally {
    await redis.stop();
    await slackChild.stop();
    await child.stop();
  }
}

/** BENCH_TRACE=1: time each dependency call of the receiver (diagnostics on stderr). */
function traceSteps(services: Record<string, unknown>): Record<string, number[]> | undefined {
  if (!process.env.BENCH_TRACE) return undefined;
  const timings: Record<string, number[]> = {};
  const wrap = (target: Record<string, unknown>, name: string, label: string) => {
    const original = (target[name] as (...a: unknown[]) => Promise<unknown>).bind(target);
    target[name] = async (...a: unknown[]) => {
      const t0 = performance.now();
      try {
        return await original(...a);
      } finally {
        (timings[label] ??= []).push(performance.now() - t0);
      }
    };
  };
  const pick = (key: string) => services[key] as Record<string, unknown>;
  wrap(pick('integrations'), 'findForWebhook', 'integrations.findForWebhook');
  wrap(pick('webhookSecrets'), 'secretsFor', 'webhookSecrets.secretsFor');
  wrap(pick('deliveryLog'), 'alreadyAccepted', 'deliveryLog.alreadyAccepted');
  wrap(pick('deliveryLog'), 'markAccepted', 'deliveryLog.markAccepted');
  wrap(pick('blob'), 'put', 'blob.put');
  wrap(pick('runs'), 'createOrGet', 'runs.createOrGet');
  wrap(pick('queue'), 'send', 'queue.send');
  wrap(pick('rateLimiter'), 'checkInbound', 'rateLimiter.checkInbound');
  return timings;
}

/** A bare node:http server that reads the body and answers 202, under the same load generator. */
async function bareCeiling(seconds: number, amount: number): Promise<Stage> {
  const server: Server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.statusCode = 202;
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const body = JSON.stringify({ ping: 'x'.repeat(900) });
  try {
    const result = await autocannon({ url: `http://127.0.0.1:${port}/api/webhooks/github/x`, connections: CONNECTIONS, duration: seconds, amount, method: 'POST', headers: { 'content-type': 'application/json' }, body });
    return { offered: 'max', sent: result.requests.sent, ok: result['2xx'], perS: result['2xx'] / result.duration, p50: result.latency.p50, p99: result.latency.p99, errors: result.non2xx + result.errors };
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}
