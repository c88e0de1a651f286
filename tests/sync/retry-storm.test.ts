/**
 * A provider storm during a long full sync: the GitHub sandbox answers a random third of the issue list
 * requests with 429 (Retry-After 0) or 5xx, through the real pipeline (local host, embedded queue,
 * SyncInboundWorker, adapter over HTTP, cosmosdb-server). Each page has its own retry budget, so the run
 * ends succeeded with every issue synced exactly once; with one budget for the whole run, the storm's
 * failures add up across pages and the run fails part way.
 */
import { startLocalHost, type LocalHost } from '../../hosts/local/local-host';
import { testEnv, TEST_ADMIN_KEY } from '../support/test-services';
import { createMemoryLogger } from '../../shared/platform/observability/logger';
import { isPullRequestIndex } from '../../dev/sandboxes/github/data';
import { QUEUES } from '../../shared/stores/queue/queues';

jest.setTimeout(120_000);

/** Issues and pull requests of the sandbox repository; the issue list yields the issues only. */
const RECORDS = 480;
const PAGE = 10;
/** Attempts per page (the default): the storm must not exhaust them on any page, only a shared budget. */
const MAX_ATTEMPTS = 10;
const STORM_FAULTS = 100_000;
const SHARD_TYPE = 'github.issues';
let host: LocalHost;

type JsonResponse = Omit<Response, 'json'> & { json(): Promise<any> };
const admin = (path: string, init: RequestInit = {}): Promise<JsonResponse> =>
  fetch(`${host.url}/api/admin/tenants/demo/integrations/demo-github/${path}`, {
    ...init,
    headers: { 'x-api-key': TEST_ADMIN_KEY, 'content-type': 'application/json' },
  });
const sandbox = () => host.demo!.sandboxes.find((running) => running.provider === 'github')!;
const github = () => sandbox().control;
/** Faults the sandbox still holds, as its admin endpoint lists them. */
const pendingFaults = async (): Promise<Array<{ count: number }>> =>
  ((await (await fetch(`${sandbox().url}/__sandbox/faults`)).json()) as { faults: Array<{ count: number }> }).faults;

beforeAll(async () => {
  host = await startLocalHost({
    env: testEnv({
      DEMO_MODE: 'true',
      DEMO_RECORDS: String(RECORDS),
      SYNC_PAGE_SIZE: String(PAGE),
      QUEUE_MAX_DELIVERY_COUNT: String(MAX_ATTEMPTS),
      SYNC_PAGE_RETRY_BASE_MS: '5',
    }),
    useProcessEnv: false,
    timers: false,
    overrides: { logger: createMemoryLogger('error').logger },
  });
  for (const integration of host.demo!.integrations) {
    const stored = (await host.services.integrations.get('demo', integration.id))!;
    await host.services.integrations.replace({
      ...stored,
      nextSyncAt: '2099-01-01T00:00:00.000Z',
      ...(integration.id === 'demo-github' ? { entities: ['issues'] } : {}),
    });
  }
});
afterAll(async () => host?.stop());

describe('a 429 and 5xx storm during a multi-page full sync', () => {
  it('syncs every issue exactly once and the run succeeds', async () => {
    const issues = Array.from({ length: RECORDS }, (_, index) => index).filter(
      (index) => !isPullRequestIndex(index),
    ).length;
    // Only the issue list storms (12% 429, then 25% of the rest 5xx: about 34% of requests fail); the token and
    // the rest of the sandbox answer normally.
    github().injectFault({
      kind: 'rate_limit',
      retryAfterSeconds: 0,
      probability: 0.12,
      count: STORM_FAULTS,
      method: 'GET',
      path: '/repos/acme/widgets/issues',
    });
    github().injectFault({
      kind: 'server_error',
      status: 502,
      probability: 0.25,
      count: STORM_FAULTS,
      method: 'GET',
      path: '/repos/acme/widgets/issues',
    });

    const started = await admin('sync', { method: 'POST', body: JSON.stringify({ mode: 'full' }) });
    expect(started.status).toBe(202);
    const { runId } = await started.json();
    const deadline = Date.now() + 100_000;
    let run;
    do {
      await new Promise((resolve) => setTimeout(resolve, 200));
      run = await (await admin(`runs/${runId}`)).json();
    } while (run.status !== 'succeeded' && run.status !== 'failed' && Date.now() < deadline);
    const faultsServed = (await pendingFaults()).reduce((served, fault) => served - fault.count, 2 * STORM_FAULTS);
    github().clearFaults();

    expect(run).toMatchObject({ status: 'succeeded' });
    // The storm did hit: more failed requests than one budget of attempts holds.
    expect(faultsServed).toBeGreaterThan(MAX_ATTEMPTS);
    expect(host.services.metrics.get('page_retries')).toBeGreaterThanOrEqual(faultsServed);
    expect(run.counters).toMatchObject({ created: issues, updated: 0, deleted: 0, errors: 0 });
    expect(run.counters.pages).toBeGreaterThanOrEqual(Math.ceil(issues / PAGE));

    const shards = await host.services.shards.count('demo', { shardType: SHARD_TYPE });
    expect(shards).toBe(issues);
    const states = await host.services.syncState.unseenSince('demo-github', 'issues', 'none', RECORDS);
    expect(new Set(states.unseen.map((state) => state.externalId)).size).toBe(issues);
    expect(new Set(states.unseen.map((state) => state.shardId)).size).toBe(issues);
    expect(host.services.embeddedQueue!.deadLetters(QUEUES.syncInbound.name)).toHaveLength(0);
  });
});
