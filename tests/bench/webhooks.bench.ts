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
 * - `ceiling_per_s`: a bare node:http server in its own process (support/bare-server-process.ts) that reads the
 *   body and answers 202, under the same generator with the same deliveries, in the same run.
 * - `host_cpu_us_per_accepted`: this process's CPU time (the host runs here) over the deliveries accepted (their
 *   receipts committed) during the unbounded stage; `ceiling_cpu_us_per_request`: the bare server's own process
 *   CPU over its 2xx answers;
 *   `host_to_ceiling_cpu`: their ratio, which holds across machines of different speed.
 * - `lost` / `doubled`: over every stage against the host, deliveries answered 2xx whose receipt the intake never
 *   committed, and deliveries committed more than once (support/delivery-accounting.ts); both must be 0.
 * On stderr, for context: received → synced (the targeted run finished, shard written) one delivery at a
 * time on an idle host, which is what received_to_saved measured before the receipt path was redesigned.
 * cosmosdb-server (keep-alive) and the sandboxes run in a child process; Azurite is the host's own child.
 * - `accepted_per_s_workers_1` / `accepted_per_s_workers_2`, `lost_workers_1` / `lost_workers_2`: the unbounded stage
 *   again against fresh hosts with LOCAL_WORKERS=1 and 2 (support/worker-scaling.ts).
 * BENCH_HOST_CPU_PROF=<dir> writes a CPU profile of this process (the host) over the last unbounded stage.
 * BENCH_MEASURED=<file> writes the per-unit figures of the capacity model there (support/webhook-units.ts): the
 * last unbounded stage metered per accepted delivery, then the targeted syncs of the backlog (BENCH_DRAIN_S, default
 * 20 s) per record id; the Cosmos stand-in then counts what it is asked to do (support/cosmos-tally.ts).
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { channelIds } from '../../dev/sandboxes/slack/workspace';
import { emit, percentile } from './emit';
import { startBareServer } from './support/bare-server';
import { accountDeliveries, observeIntake } from './support/delivery-accounting';
import { BENCH_TENANT, createBenchIntegration, loadAverage, startBenchHost } from './support/bench-host';
import { startServicesChild } from './support/services-child';
import { githubDelivery, type DeliveryTargets } from './support/webhook-deliveries';
import { startLoadGenerator, type LoadGenerator, type StageResult } from './support/webhook-load';
import { cpuSince, descendantsCpu } from './support/process-cpu';
import { measuredFile, provenance, writeMeasuredSection } from './support/measured-file';
import { startUnitMeter, unitCosts } from './support/unit-meter';
import { drainTargetedSyncs } from './support/webhook-units';
import { startRedisServer } from '../support/redis-server';
import { measureWorkerScaling } from './support/worker-scaling';

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
  /** This process's CPU time during the stage (user + system, µs). */
  hostCpuUs: number;
  loopP99Ms: number;
  /** Received → saved (receipt and archive committed) of the deliveries accepted during the stage. */
  savedMs: number[];
}

export default async function webhooksBench(args: string[]): Promise<void> {
  const seconds = Number(args[0] ?? 5);
  const syncedSamples = Number(args[1] ?? 10);
  const connections = Number(args[2] ?? DEFAULT_CONNECTIONS);
  const measured = measuredFile();
  const child = await startServicesChild({
    ...(measured ? { tally: true } : {}),
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
      const intake = observeIntake(host.services.webhookIntake);
      const meter = measured
        ? startUnitMeter(host, { cosmos: child, sandboxes: [child, slackChild], redisUrl: redis.settings.REDIS_URL })
        : undefined;
      const acceptedIds: string[][] = [];
      let misattributed = 0;

      const loadBefore = await loadAverage();
      const stage = async (rate?: number): Promise<MeasuredStage> => {
        intake.savedMs.length = 0;
        // Read before this process's own CPU: reading /proc costs milliseconds, which are not the host's.
        const othersBefore = descendantsCpu();
        const cpuBefore = process.cpuUsage();
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
        acceptedIds.push(result.acceptedIds);
        misattributed += result.misattributed;
        const others = cpuSince(othersBefore, descendantsCpu()).filter((p) => p.cpuMs > 0);
        const measured = {
          ...result,
          hostCpuPercent: ((cpu.user + cpu.system) / 1000 / (performance.now() - wallBefore)) * 100,
          hostCpuUs: cpu.user + cpu.system,
          loopP99Ms: loop.percentile(99) / 1e6,
          savedMs: [...intake.savedMs],
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
      const beforeUnbounded = meter && {
        reading: await meter.read(),
        committed: intake.committed,
        ids: intake.recordIds,
      };
      stages.push(await profiled(() => stage()));
      // Per delivery the intake committed in the stage (a receipt saved): the generator's 2xx count misses answers
      // still on their way when the stage ends.
      const intakeUnits =
        meter && beforeUnbounded
          ? unitCosts(
              beforeUnbounded.reading,
              await meter.read(),
              Math.max(1, intake.committed - beforeUnbounded.committed),
            )
          : undefined;
      const loadAfter = await loadAverage();
      const kept = stages.filter(
        (s) => s.offered !== 'max' && s.perS >= 0.95 * (s.offered as number) && s.errors === 0,
      );
      const moderate = kept.at(-1) ?? stages[0]!;
      const saturated = stages.at(-1)!;

      const ceiling = await bareCeiling(generator, seconds, connections, targets);
      const account = accountDeliveries(acceptedIds.flat(), intake.commits);
      // Over the deliveries committed in the stage: its 2xx count misses answers still on the wire when it ends.
      const hostCpuPerAccepted = saturated.hostCpuUs / Math.max(1, saturated.savedMs.length);
      const ceilingCpuPerRequest = ceiling.cpuUs / Math.max(1, ceiling.ok);
      console.error(
        `ceiling: ${ceiling.perS.toFixed(0)}/s, p50 ${ceiling.p50} ms, p99 ${ceiling.p99} ms, generator ${ceiling.generatorCpuPercent.toFixed(0)}% of a core, ` +
          `server ${ceilingCpuPerRequest.toFixed(1)} µs CPU per request; host ${hostCpuPerAccepted.toFixed(0)} µs per accepted delivery at the unbounded stage`,
      );
      console.error(
        `accepted deliveries (2xx, every stage): ${account.accepted}, lost ${account.lost}, doubled ${account.doubled}${misattributed ? `; ${misattributed} answers named another delivery` : ''}`,
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
      emit(BENCH, 'host_cpu_us_per_accepted', hostCpuPerAccepted, 'µs');
      emit(BENCH, 'ceiling_cpu_us_per_request', ceilingCpuPerRequest, 'µs');
      emit(BENCH, 'host_to_ceiling_cpu', hostCpuPerAccepted / ceilingCpuPerRequest, 'ratio');
      emit(BENCH, 'lost', account.lost, 'deliveries');
      emit(BENCH, 'doubled', account.doubled, 'deliveries');
      if (measured && meter && intakeUnits && beforeUnbounded) {
        const targetedSync = await drainTargetedSyncs(host, meter, {
          maxMs: Number(process.env.BENCH_DRAIN_S ?? 20) * 1000,
        });
        writeMeasuredSection(measured, 'webhooks', {
          ...provenance(BENCH, args, loadBefore),
          acceptedPerS: saturated.perS,
          ceilingCpuUsPerRequest: ceilingCpuPerRequest,
          recordIdsPerDelivery:
            (intake.recordIds - beforeUnbounded.ids) / Math.max(1, intake.committed - beforeUnbounded.committed),
          intake: intakeUnits,
          targetedSync,
        });
      }
    } finally {
      await host.cleanup();
    }
    // LOCAL_WORKERS: the unbounded stage again, against fresh hosts with 1 and 2 HTTP worker processes.
    for (const scaled of await measureWorkerScaling({
      cosmos: child.cosmos,
      redis: redis.settings,
      generator,
      seconds,
      connections,
      unboundedPerS: UNBOUNDED_PER_S,
      sandboxes: { github: child.sandbox!, slack: slackChild.sandbox! },
      slackChannels: channelIds(SLACK_CHANNELS),
      issues: SANDBOX_ISSUES,
    })) {
      emit(BENCH, `accepted_per_s_workers_${scaled.workers}`, scaled.acceptedPerS, 'deliveries/s');
      emit(BENCH, `lost_workers_${scaled.workers}`, scaled.lost, 'deliveries');
    }
  } finally {
    await generator.stop();
    await redis.stop();
    await slackChild.stop();
    await child.stop();
  }
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

/** The bare server in its own process under the same generator and deliveries, with its own CPU time (µs). */
async function bareCeiling(
  generator: LoadGenerator,
  seconds: number,
  connections: number,
  targets: DeliveryTargets,
): Promise<StageResult & { cpuUs: number }> {
  const server = await startBareServer();
  try {
    const cpuBefore = await server.cpuUs();
    const result = await generator.stage({
      url: server.url,
      seconds,
      unboundedPerS: UNBOUNDED_PER_S,
      connections,
      pipelining: 1,
      targets,
    });
    return { ...result, cpuUs: (await server.cpuUs()) - cpuBefore };
  } finally {
    await server.stop();
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
