/**
 * `npm run bench -- webhooks [seconds-per-stage] [deliveries-for-received-to-synced] [connections]`: signed GitHub and Slack
 * deliveries (alternating, each with its own delivery id and a valid signature) against the local host's real
 * route POST /api/webhooks/{provider}/{integrationId}: limit → verify → claim (Redis SET NX) → group commit
 * (archive blobs in Azurite, run documents and receipts in Cosmos bulk calls, the first-page messages on the
 * embedded queue) → 2xx. The measured stages run with the host's queue triggers stopped (the started syncs
 * wait in the queue), so they show the ingest path itself; one unbounded stage with the triggers running is
 * printed on stderr for context.
 *
 * The load generator (autocannon) runs in its own process (support/webhook-load.ts) over keep-alive
 * connections and signs each stage's deliveries before the stage starts; its CPU share is printed per stage.
 * Offered load rises through fixed rates to an unbounded stage.
 * - `accepted_per_s`: the 2xx throughput of the unbounded stage.
 * - `p50_ms` / `p99_ms`: latencies at the highest fixed rate the host kept up with (≥95% answered 2xx).
 * - `received_to_saved_*`: at that same stage, from the delivery reaching the receiver to its receipt and
 *   archive being committed (the intake's group commit, which the 2xx waits for), over every accepted delivery.
 * - `ceiling_per_s`: a bare node:http server in this process that reads the body and answers 202, under the
 *   same generator with the same deliveries, in the same run.
 * On stderr, for context: received → synced (the targeted run finished, shard written) one delivery at a
 * time on an idle host, which is what received_to_saved measured before the receipt path was redesigned.
 * cosmosdb-server (keep-alive) and the sandboxes run in a child process; Azurite is the host's own child.
 * BENCH_HOST_CPU_PROF=<dir> writes a CPU profile of this process (the host) over the last unbounded stage.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { channelIds } from '../../dev/sandboxes/slack/workspace';
import type { AcceptedDelivery, CommittedDelivery } from '../../shared/webhooks/intake/intake';
import { emit, percentile } from './emit';
import { BENCH_TENANT, createBenchIntegration, loadAverage, startBenchHost } from './support/bench-host';
import { startServicesChild } from './support/services-child';
import { githubDelivery, type DeliveryTargets } from './support/webhook-deliveries';
import { startLoadGenerator, type LoadGenerator, type StageResult } from './support/webhook-load';
import { cpuSince, descendantsCpu } from './support/process-cpu';
import { startRedisServer } from '../support/redis-server';

const BENCH = 'webhooks';
const RATES = [500, 1000, 2000, 4000, 8000];
/** Concurrent senders (keep-alive connections), for the host and the ceiling alike. */
const DEFAULT_CONNECTIONS = 128;
const SANDBOX_ISSUES = 500;
const SLACK_CHANNELS = 2;
const RUN_WAIT_MS = 10_000;
/** Deliveries signed for an unbounded stage, per second of it (well above what the host answers). */
const UNBOUNDED_PER_S = 20_000;

interface MeasuredStage extends StageResult {
  hostCpuPercent: number;
  loopP99Ms: number;
  /** Received → saved (receipt and archive committed) of the deliveries accepted during the stage. */
  savedMs: number[];
}

export default async function webhooksBench(args: string[]): Promise<void> {
  const seconds = Number(args[0] ?? 5);
  const syncedSamples = Number(args[1] ?? 10);
  const connections = Number(args[2] ?? DEFAULT_CONNECTIONS);
  const child = await startServicesChild({
    sandbox: {
      provider: 'github',
      records: SANDBOX_ISSUES,
      seed: 1,
      extra: { comments: 0, rateLimitPerHour: 1_000_000 },
    },
  });
  const slackChild = await startServicesChild({
    sandbox: { provider: 'slack', records: 50, seed: 1, extra: { channels: SLACK_CHANNELS } },
  });
  // Redis as in Azure (Azure Cache for Redis): the dedupe claims and the rate limiter.
  const redis = await startRedisServer();
  const generator = await startLoadGenerator();
  try {
    const host = await startBenchHost(child.cosmos, {
      ...redis.settings,
      WEBHOOK_TENANT_RATE_PER_S: '1000000',
      QUEUE_MAX_DELIVERY_COUNT: '2',
    });
    try {
      const targets: DeliveryTargets = {
        github: { integrationId: 'bench-gh', secret: randomBytes(24).toString('hex'), issues: SANDBOX_ISSUES },
        slack: {
          integrationId: 'bench-slack',
          secret: randomBytes(24).toString('hex'),
          channels: channelIds(SLACK_CHANNELS),
        },
      };
      await createBenchIntegration(host, {
        provider: 'github',
        id: 'bench-gh',
        sandboxUrl: child.sandbox!.url,
        tokens: child.sandbox!.tokens,
        webhookSecret: targets.github.secret,
        entities: ['issues'],
        providerOptions: { repositories: ['acme/widgets'] },
      });
      await createBenchIntegration(host, {
        provider: 'slack',
        id: 'bench-slack',
        sandboxUrl: slackChild.sandbox!.url,
        tokens: slackChild.sandbox!.tokens,
        webhookSecret: targets.slack.secret,
        entities: ['messages'],
        providerOptions: { channels: targets.slack.channels },
      });

      console.error('webhooks bench: host and integrations ready; received → synced on an idle host');
      const syncedMs = await receivedToSynced(host, targets, syncedSamples);
      const savedLog = recordSaved(host.services.webhookIntake);

      const loadBefore = await loadAverage();
      const stage = async (rate?: number): Promise<MeasuredStage> => {
        savedLog.samples.length = 0;
        const cpuBefore = process.cpuUsage();
        const othersBefore = descendantsCpu();
        const loop = monitorEventLoopDelay({ resolution: 10 });
        loop.enable();
        const wallBefore = performance.now();
        const result = await generator.stage({
          url: host.url,
          seconds,
          ...(rate ? { rate } : {}),
          unboundedPerS: UNBOUNDED_PER_S,
          connections,
          pipelining: 1,
          targets,
        });
        loop.disable();
        const cpu = process.cpuUsage(cpuBefore);
        const others = cpuSince(othersBefore, descendantsCpu()).filter((p) => p.cpuMs > 0);
        const measured = {
          ...result,
          hostCpuPercent: ((cpu.user + cpu.system) / 1000 / (performance.now() - wallBefore)) * 100,
          loopP99Ms: loop.percentile(99) / 1e6,
          savedMs: [...savedLog.samples],
        };
        console.error(
          `webhooks bench: offered ${rate ?? 'max'}/s → ${measured.perS.toFixed(0)} 2xx/s, p50 ${measured.p50} ms, p99 ${measured.p99} ms, ${measured.errors} errors${measured.exhausted ? ` (${measured.exhausted} beyond the signed deliveries)` : ''}; ` +
            `received→saved p50 ${percentile(measured.savedMs, 50).toFixed(0)} ms over ${measured.savedMs.length}; host process ${measured.hostCpuPercent.toFixed(0)}% of a core (event-loop p99 ${measured.loopP99Ms.toFixed(0)} ms), generator ${measured.generatorCpuPercent.toFixed(0)}%; ` +
            `CPU µs per accepted delivery: host ${((cpu.user + cpu.system) / Math.max(1, measured.ok)) | 0}, ${others.map((p) => `${p.name} ${((p.cpuMs * 1000) / Math.max(1, measured.ok)) | 0}`).join(', ')}`,
        );
        return measured;
      };

      // For context only: saturation while the host also runs the syncs the deliveries start.
      console.error('webhooks bench: unbounded with queue triggers running (context)');
      await stage();
      await host.triggers.stop();
      const stages: MeasuredStage[] = [];
      for (const rate of RATES) stages.push(await stage(rate));
      stages.push(await profiled(() => stage()));
      const loadAfter = await loadAverage();
      const kept = stages.filter(
        (s) => s.offered !== 'max' && s.perS >= 0.95 * (s.offered as number) && s.errors === 0,
      );
      const moderate = kept.at(-1) ?? stages[0]!;
      const saturated = stages.at(-1)!;

      const ceiling = await bareCeiling(generator, seconds, connections, targets);
      console.error(
        `ceiling: ${ceiling.perS.toFixed(0)}/s, p50 ${ceiling.p50} ms, p99 ${ceiling.p99} ms, generator ${ceiling.generatorCpuPercent.toFixed(0)}% of a core`,
      );
      console.error(
        `stages (offered → 2xx/s, p50/p99 ms, errors): ${stages.map((s) => `${s.offered} → ${s.perS.toFixed(0)}, ${s.p50}/${s.p99}, ${s.errors}`).join('; ')}`,
      );
      console.error(
        `${connections} connections; latency and received→saved at the ${moderate.offered}/s stage (${moderate.savedMs.length} deliveries); accepted/ceiling ${(saturated.perS / ceiling.perS).toFixed(2)}; ` +
          `received→synced (idle, ${syncedMs.length} GitHub deliveries) p50 ${percentile(syncedMs, 50).toFixed(0)} ms, p99 ${percentile(syncedMs, 99).toFixed(0)} ms; load average before ${loadBefore}, after ${loadAfter}`,
      );
      emit(BENCH, 'accepted_per_s', saturated.perS, 'deliveries/s');
      emit(BENCH, 'p50_ms', moderate.p50, 'ms');
      emit(BENCH, 'p99_ms', moderate.p99, 'ms');
      emit(BENCH, 'received_to_saved_p50_ms', percentile(moderate.savedMs, 50), 'ms');
      emit(BENCH, 'received_to_saved_p99_ms', percentile(moderate.savedMs, 99), 'ms');
      emit(BENCH, 'ceiling_per_s', ceiling.perS, 'requests/s');
    } finally {
      await host.cleanup();
    }
  } finally {
    await generator.stop();
    await redis.stop();
    await slackChild.stop();
    await child.stop();
  }
}

/** Observes the intake's commits: received → saved of every committed delivery (no change to what it does). */
function recordSaved(intake: { commit(delivery: AcceptedDelivery): Promise<CommittedDelivery> }): {
  samples: number[];
} {
  const log = { samples: [] as number[] };
  const commit = intake.commit.bind(intake);
  intake.commit = async (delivery) => {
    const committed = await commit(delivery);
    log.samples.push(committed.savedAt - delivery.receivedAt);
    return committed;
  };
  return log;
}

/** One GitHub delivery at a time on an idle host, from the request's start to its targeted run's finishedAt. */
async function receivedToSynced(
  host: Awaited<ReturnType<typeof startBenchHost>>,
  targets: DeliveryTargets,
  samples: number,
): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const delivery = githubDelivery(targets.github.integrationId, targets.github.secret, 1 + (i % SANDBOX_ISSUES));
    const startedAt = Date.now();
    const response = await fetch(`${host.url}${delivery.path}`, {
      method: 'POST',
      headers: delivery.headers,
      body: delivery.body,
    });
    const answer = (await response.json()) as { runIds?: string[] };
    const runId = answer.runIds?.[0];
    if (response.status !== 200 || !runId)
      throw new Error(`delivery answered ${response.status}: ${JSON.stringify(answer)}`);
    for (;;) {
      const run = await host.services.runs.get(BENCH_TENANT, targets.github.integrationId, runId);
      if (run?.status === 'succeeded' || run?.status === 'failed') {
        if (run.status === 'failed') throw new Error(`targeted run failed: ${JSON.stringify(run.lastError)}`);
        if (i === 0 && run.counters.created + run.counters.updated !== 1)
          throw new Error(`targeted run wrote nothing: ${JSON.stringify(run.counters)}`);
        times.push(Date.parse(run.finishedAt!) - startedAt);
        break;
      }
      if (Date.now() - startedAt > RUN_WAIT_MS) throw new Error(`run ${runId} still ${run?.status}`);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }
  return times;
}

/** A bare node:http server that reads the body and answers 202, under the same generator and deliveries. */
async function bareCeiling(
  generator: LoadGenerator,
  seconds: number,
  connections: number,
  targets: DeliveryTargets,
): Promise<StageResult> {
  const server: Server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.statusCode = 202;
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  try {
    return await generator.stage({
      url: `http://127.0.0.1:${port}`,
      seconds,
      unboundedPerS: UNBOUNDED_PER_S,
      connections,
      pipelining: 1,
      targets,
    });
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

/** Runs `work` under the CPU profiler when BENCH_HOST_CPU_PROF names a folder, and writes the profile there. */
async function profiled<T>(work: () => Promise<T>): Promise<T> {
  const dir = process.env.BENCH_HOST_CPU_PROF;
  if (!dir) return work();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  try {
    return await work();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(join(dir, `webhooks-host-${Date.now()}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  }
}
