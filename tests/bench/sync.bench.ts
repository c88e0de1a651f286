/**
 * `npm run bench -- sync [records] [provider] [mode] [pipeline-repetitions]`: a sync that reads all `records`
 * (default 100,000) Salesforce Accounts (or GitHub issues: `github`) from the sandbox through the whole product path:
 * admin API → embedded queue → SyncInboundWorker → adapter over HTTP → page writer → Cosmos (cosmosdb-server)
 * with SYNC_PAGE_SIZE at the provider's maximum. cosmosdb-server and the sandbox run in a child process (they
 * are remote services in Azure), so this process is the instance: `peak_rss_mb` is its peak RSS during the run,
 * with V8's heap growth set as the product runs it (`npm run bench` passes the same V8 flags as `npm start`;
 * in Azure they are the languageWorkers__node__arguments app setting).
 * `host_cpu_us_per_record`: this process's CPU time (the host) from the sync's start to its end, over the records created.
 * `page_p50_ms` / `page_p99_ms`: per page, from the message of page N being sent to that of page N+1 (the last
 * page: to the run's finishedAt), i.e. queue hop + run bookkeeping + fetch + write.
 * In the same run, `pipeline_records_per_s`: the same records, already in memory (fetched once through the
 * real adapter), through the page pipeline (runInboundPage: fetch from memory → transform → merge → write →
 * checkpoint) over in-memory stores; the median of the repetitions.
 * `mode` (default `incremental`): the first incremental run of a new integration reads every record, like a
 * full run, without the full run's closing delete sweep (one paged query over the entity's record states).
 * `full` adds that sweep. The services child runs the local host's Cosmos stand-in, with two behaviours made to match Azure
 * (dev/cosmos-stand-in/linear-cosmos-queries.ts: its query engine was O(N²) in a container's documents, so the sweep
 * outgrew the client's 60 s timeout past ~20,000 records; minimal-write-responses.ts there: it echoed every
 * written document although the writes ask for minimal answers).
 * BENCH_MEASURED=<file> writes the run's per-record figures for the capacity model there (tools/capacity/measured.ts);
 * the run then also has a redis-server, as in Azure (the rate limiter's decisions), and the Cosmos stand-in counts
 * what it is asked to do. BENCH_TRACE=1 prints per-call storage timings; BENCH_CHILD_CPU_PROF=<dir> profiles the services child; run
 * with `node --expose-gc --import tsx tests/bench/run.ts sync` to see the heap left after the run.
 */
import { randomBytes } from 'node:crypto';
import type { ProviderRecord } from '../../shared/adapters/contract';
import type { ProviderId } from '../../shared/core/providers';
import type { SyncJobMessage } from '../../shared/core/sync-run';
import type { Integration } from '../../shared/core/integration';
import type { Stored } from '../../shared/core/stored';
import { createMemoryDocumentStore } from '../../shared/stores/documents/memory/document-store';
import { createAdapterFor } from '../../shared/sync/adapter-factory';
import { runInboundPage } from '../../shared/sync/inbound/pipeline';
import { QUEUES } from '../../shared/stores/queue/queues';
import { emit, percentile } from './emit';
import {
  BENCH_ADMIN_KEY,
  BENCH_TENANT,
  createBenchIntegration,
  loadAverage,
  rssSampler,
  startBenchHost,
} from './support/bench-host';
import { memoryAdapter } from './support/memory-adapter';
import { MemoryQueue } from './support/memory-stores';
import { startServicesChild } from './support/services-child';
import { measuredFile, provenance, writeMeasuredSection } from './support/measured-file';
import { startUnitMeter, unitCosts } from './support/unit-meter';
import { startRedisServer } from '../support/redis-server';

const BENCH = 'sync';
const PROVIDERS: Partial<Record<ProviderId, { entity: string; pageSize: number; options: Record<string, unknown> }>> = {
  salesforce: { entity: 'Account', pageSize: 2000, options: {} },
  github: { entity: 'issues', pageSize: 100, options: { repositories: ['acme/widgets'] } },
};
const RUN_TIMEOUT_MS = 150_000;
const PIPELINE_TIMEOUT_MS = 60_000;

export default async function syncBench(args: string[]): Promise<void> {
  const records = Number(args[0] ?? 100_000);
  const provider = (args[1] ?? 'salesforce') as ProviderId;
  const mode = (args[2] ?? 'incremental') as 'incremental' | 'full';
  const repetitions = Number(args[3] ?? 3);
  if (mode !== 'incremental' && mode !== 'full') throw new Error('mode is incremental or full');
  const facts = PROVIDERS[provider];
  if (!facts) throw new Error(`sync bench supports ${Object.keys(PROVIDERS).join(', ')}`);

  const measured = measuredFile();
  const redis = measured ? await startRedisServer() : undefined;
  const child = await startServicesChild({
    ...(measured ? { tally: true } : {}),
    sandbox: {
      provider,
      records,
      seed: 1,
      extra: provider === 'github' ? { comments: 0, rateLimitPerHour: 1_000_000 } : {},
    },
  });
  let pages: ProviderRecord[][] = [];
  let integration: Stored<Integration> | undefined;
  try {
    const host = await startBenchHost(child.cosmos, {
      ...redis?.settings,
      SYNC_PAGE_SIZE: String(facts.pageSize),
      QUEUE_MAX_DELIVERY_COUNT: '3',
    });
    try {
      await createBenchIntegration(host, {
        provider,
        id: `bench-${provider}`,
        sandboxUrl: child.sandbox!.url,
        tokens: child.sandbox!.tokens,
        webhookSecret: randomBytes(16).toString('hex'),
        entities: [facts.entity],
        providerOptions: facts.options,
      });
      integration = (await host.services.integrations.get(BENCH_TENANT, `bench-${provider}`))!;

      // Page timing: when each page's message is sent (the next page is sent as the page before ends).
      const sentAt: number[] = [];
      const queue = host.services.queue;
      const send = queue.send.bind(queue);
      queue.send = async (name, messages, options) => {
        if (name === QUEUES.syncInbound.name)
          for (const message of messages) sentAt[(message.body as SyncJobMessage).page] = Date.now();
        return send(name, messages, options);
      };

      const timings: Record<string, number[]> = {};
      if (process.env.BENCH_TRACE) {
        const wrap = (target: any, name: string, label: string) => {
          const original = target[name].bind(target);
          target[name] = async (...a: unknown[]) => {
            const t0 = performance.now();
            try {
              return await original(...a);
            } finally {
              (timings[label] ??= []).push(performance.now() - t0);
            }
          };
        };
        wrap(host.services.shards, 'getMany', 'shards.getMany');
        wrap(host.services.shards, 'upsertMany', 'shards.upsertMany');
        wrap(host.services.syncState, 'records', 'state.records');
        wrap(host.services.syncState, 'saveRecords', 'state.saveRecords');
        wrap(host.services.syncState, 'unseenSince', 'state.unseenSince');
        wrap(host.services.runs, 'update', 'runs.update');
        wrap(host.services.integrations, 'get', 'integrations.get');
      }
      const meter = measured
        ? startUnitMeter(host, { cosmos: child, sandboxes: [child], redisUrl: redis?.settings.REDIS_URL })
        : undefined;
      const meterBefore = await meter?.read();
      global.gc?.();
      const baselineRssMb = process.memoryUsage().rss / 2 ** 20;
      const childBefore = await child.stats();
      const cpuBefore = process.cpuUsage();
      const rss = rssSampler();
      const load = await loadAverage();
      const startedAt = Date.now();
      const response = await fetch(
        `${host.url}/api/admin/tenants/${BENCH_TENANT}/integrations/${integration.id}/sync`,
        {
          method: 'POST',
          headers: { 'x-api-key': BENCH_ADMIN_KEY, 'content-type': 'application/json' },
          body: JSON.stringify({ mode }),
        },
      );
      if (response.status !== 202) throw new Error(`sync start answered ${response.status}: ${await response.text()}`);
      const { runId } = (await response.json()) as { runId: string };
      let run = await host.services.runs.get(BENCH_TENANT, integration.id, runId);
      while (run?.status !== 'succeeded' && run?.status !== 'failed') {
        if (Date.now() - startedAt > RUN_TIMEOUT_MS)
          throw new Error(`run still ${run?.status} after ${RUN_TIMEOUT_MS} ms (${run?.counters.created} created)`);
        await new Promise((resolve) => setTimeout(resolve, 200));
        run = await host.services.runs.get(BENCH_TENANT, integration.id, runId);
      }
      rss.stop();
      if (global.gc) {
        // Run with node --expose-gc: what the run left behind, as opposed to garbage not yet collected at the peak.
        global.gc();
        console.error(
          `V8 heap after the run and a full GC: ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MB used`,
        );
      }
      if (run.status !== 'succeeded') throw new Error(`run failed: ${JSON.stringify(run.lastError)}`);
      const finishedAt = Date.parse(run.finishedAt!);
      const elapsedMs = finishedAt - startedAt;
      const pageMs = sentAt.map((at, i) => (sentAt[i + 1] ?? finishedAt) - at);
      const cpu = process.cpuUsage(cpuBefore);
      const perRecord =
        meter && meterBefore ? unitCosts(meterBefore, await meter.read(), run.counters.created) : undefined;
      const childStats = await child.stats();
      console.error(
        `${provider} ${facts.entity}, ${mode}: ${run.counters.created} created in ${run.counters.pages} pages of ${facts.pageSize}, ${elapsedMs} ms; load average at start ${load}, at end ${await loadAverage()}; ` +
          `host RSS before the run ${baselineRssMb.toFixed(0)} MB; CPU: host ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms, services child (cosmosdb-server + sandbox) ${(childStats.cpuMs - childBefore.cpuMs).toFixed(0)} ms; ` +
          `child RSS ${childStats.rssMb.toFixed(0)} MB, sandbox calls ${childStats.calls}; at peak RSS (MB): ${rss.atPeak()}`,
      );
      if (process.env.BENCH_TRACE)
        for (const [label, list] of Object.entries(timings))
          console.error(label, list.map((v) => v.toFixed(0)).join(' '));
      emit(BENCH, 'records_per_s', run.counters.created / (elapsedMs / 1000), 'records/s');
      emit(BENCH, 'page_p50_ms', percentile(pageMs, 50), 'ms');
      emit(BENCH, 'page_p99_ms', percentile(pageMs, 99), 'ms');
      emit(BENCH, 'peak_rss_mb', rss.peakMb(), 'MB');
      // End to end, this process only (the host): queue hops, adapter, page writes, run bookkeeping.
      emit(BENCH, 'host_cpu_us_per_record', (cpu.user + cpu.system) / Math.max(1, run.counters.created), 'µs');
      if (measured && perRecord)
        writeMeasuredSection(measured, 'sync', {
          ...provenance(BENCH, args, load),
          recordsPerS: run.counters.created / (elapsedMs / 1000),
          pageSize: facts.pageSize,
          pageMsP50: percentile(pageMs, 50),
          perRecord,
        });

      // The same records into memory through the real adapter (not measured).
      const adapter = createAdapterFor(host.services)(integration);
      let cursor: string | undefined;
      for (let i = 0; i < records / facts.pageSize + 10; i++) {
        const page = await adapter.fetchChanges({ entity: facts.entity, cursor, pageSize: facts.pageSize });
        pages.push(page.records);
        cursor = page.nextCursor;
        if (page.done) break;
      }
    } finally {
      await host.cleanup();
    }
  } finally {
    await child.stop();
    await redis?.stop();
  }

  const rates: number[] = [];
  for (let rep = 0; rep < repetitions; rep++) rates.push(await pipelineOnce(integration!, pages, facts.pageSize, mode));
  console.error(
    `pipeline alone over in-memory stores: ${rates.map((r) => r.toFixed(0)).join(', ')} records/s; load average ${await loadAverage()}`,
  );
  emit(BENCH, 'pipeline_records_per_s', percentile(rates, 50), 'records/s');
  pages = [];
}

/** One full run through runInboundPage over in-memory stores; records per second. */
async function pipelineOnce(
  integration: Stored<Integration>,
  pages: ProviderRecord[][],
  pageSize: number,
  mode: 'incremental' | 'full',
): Promise<number> {
  const queue = new MemoryQueue();
  const adapter = memoryAdapter(integration.provider, pages);
  const { shards, syncState, conflicts } = createMemoryDocumentStore();
  const deps = {
    queue,
    shards,
    syncState,
    conflicts,
    now: () => new Date(),
    limits: { pageSize, maxDeleteShare: 0.5 },
  };
  const scope = { adapterFor: () => adapter };
  let job: SyncJobMessage = {
    kind: 'sync-page',
    runId: `bench-${randomBytes(4).toString('hex')}`,
    tenantId: integration.tenantId,
    integrationId: integration.id,
    mode,
    page: 0,
  };
  const startedAt = performance.now();
  let created = 0;
  for (let i = 0; i <= pages.length + 1; i++) {
    if (performance.now() - startedAt > PIPELINE_TIMEOUT_MS) throw new Error('pipeline run took too long');
    const outcome = await runInboundPage(deps, integration, job, scope);
    created += outcome.counters.created;
    if (outcome.runFinished) break;
    job = queue.sent.at(-1)!.message.body as SyncJobMessage;
  }
  const elapsedMs = performance.now() - startedAt;
  const total = pages.reduce((sum, page) => sum + page.length, 0);
  if (created !== total) throw new Error(`pipeline created ${created} of ${total}`);
  return created / (elapsedMs / 1000);
}
