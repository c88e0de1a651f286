/**
 * The admin API routes behind the operations pages of the admin UI, through the real AdminApi handler against
 * the local services: run retry, bulk conflict resolution, the webhook endpoint view, rate-limit usage and
 * the sync metrics. Each checks the answer's shape, a 400 that names the bad field, and that another tenant's
 * ids answer 404 (or are not counted).
 */
import { adminApi } from '../../functions/AdminApi';
import { createTestServices, TEST_ADMIN_KEY, type TestServices } from '../support/test-services';
import { bodyOf, httpRequest, invocation } from '../support/invoke';
import { newIntegration } from '../../shared/core/integration';
import { emptyCounters, type SyncJobMessage, type SyncRun } from '../../shared/core/sync-run';
import { buildConflictDocument } from '../../shared/conflicts';
import { QUEUES } from '../../shared/stores/queue/queues';
import { credentialRef } from '../../shared/app/integration-credentials';
import type {
  BulkResolveResponse,
  RateLimitUsageResponse,
  RetryRunResponse,
  SyncMetricsResponse,
  WebhookEndpointView,
} from '../../shared/admin/contracts/operations';

let t: TestServices;
const TENANT = 'ops-t';

beforeAll(async () => {
  t = await createTestServices({
    ADMIN_TENANT_RATE_PER_S: '1000',
    REDIS_KEY_PREFIX: `ops${Date.now()}:`,
    PUBLIC_BASE_URL: 'https://sync.example.com/',
  });
  await t.services.integrations.create(
    newIntegration(TENANT, 'gh-1', { provider: 'github', name: 'gh' }, { intervalMinutes: 60 }, new Date()),
  );
  await t.services.integrations.create(
    newIntegration('other-t', 'gh-9', { provider: 'github', name: 'other' }, { intervalMinutes: 60 }, new Date()),
  );
});
afterAll(async () => t.services.close());

async function admin<T = any>(method: string, path: string, body?: unknown) {
  const [route] = path.split('?');
  const response = await adminApi.handler(
    httpRequest(method, `admin/${path}`, { body, headers: { 'x-api-key': TEST_ADMIN_KEY }, params: { path: route! } }),
    invocation('AdminApi'),
    t.services,
  );
  return { status: response.status ?? 200, body: bodyOf(response) as T };
}

function run(overrides: Partial<SyncRun> & Pick<SyncRun, 'id'>): SyncRun {
  return {
    integrationId: 'gh-1',
    tenantId: TENANT,
    mode: 'full',
    trigger: 'manual',
    status: 'failed',
    counters: emptyCounters(),
    queuedAt: new Date().toISOString(),
    traceId: 'trace',
    ...overrides,
  };
}

/** Takes every waiting sync page off the embedded queue (nothing consumes it in these tests). */
function takeQueuedJobs(): SyncJobMessage[] {
  const jobs: SyncJobMessage[] = [];
  for (
    let message = t.services.embeddedQueue!.receive(QUEUES.syncInbound.name);
    message;
    message = t.services.embeddedQueue!.receive(QUEUES.syncInbound.name)
  )
    jobs.push(message.body as SyncJobMessage);
  return jobs;
}

describe('POST …/runs/{runId}/retry', () => {
  it('starts one new run with the same mode, entity and ids, linked both ways, and answers a repeat with it', async () => {
    await t.services.runs.createOrGet(
      run({
        id: 'failed-targeted',
        mode: 'targeted',
        entity: 'issues',
        ids: ['11', '12'],
        lastError: { code: 'dependency_unavailable', message: 'down' },
      }),
    );
    const first = await admin<RetryRunResponse>(
      'POST',
      `tenants/${TENANT}/integrations/gh-1/runs/failed-targeted/retry`,
    );
    expect(first.status).toBe(202);
    expect(first.body).toEqual({
      runId: expect.stringMatching(/^retry-/),
      retryOf: 'failed-targeted',
      status: 'queued',
    });
    const retry = await t.services.runs.get(TENANT, 'gh-1', first.body.runId);
    expect(retry).toMatchObject({
      mode: 'targeted',
      entity: 'issues',
      ids: ['11', '12'],
      retryOf: 'failed-targeted',
      status: 'queued',
    });
    expect((await t.services.runs.get(TENANT, 'gh-1', 'failed-targeted'))?.retriedBy).toBe(first.body.runId);
    expect(takeQueuedJobs().filter((job) => job.runId === first.body.runId)).toEqual([
      expect.objectContaining({ mode: 'targeted', entity: 'issues', ids: ['11', '12'], page: 0 }),
    ]);

    const again = await admin<RetryRunResponse>(
      'POST',
      `tenants/${TENANT}/integrations/gh-1/runs/failed-targeted/retry`,
    );
    expect(again).toMatchObject({ status: 202, body: { runId: first.body.runId } });
    expect(takeQueuedJobs()).toEqual([]);
  });

  it('refuses runs that did not fail, names a bad run id, and hides other tenants’ runs', async () => {
    await t.services.runs.createOrGet(run({ id: 'ok-run', status: 'succeeded' }));
    expect(await admin('POST', `tenants/${TENANT}/integrations/gh-1/runs/ok-run/retry`)).toMatchObject({
      status: 409,
      body: { error: { code: 'conflict', target: 'status' } },
    });
    expect(await admin('POST', `tenants/${TENANT}/integrations/gh-1/runs/no-such-run/retry`)).toMatchObject({
      status: 404,
    });
    expect(
      await admin('POST', `tenants/${TENANT}/integrations/gh-1/runs/${encodeURIComponent('bad id!')}/retry`),
    ).toMatchObject({ status: 400, body: { error: { target: 'runId' } } });
    await t.services.runs.createOrGet(run({ id: 'foreign-failed', tenantId: 'other-t', integrationId: 'gh-9' }));
    expect((await admin('POST', `tenants/${TENANT}/integrations/gh-9/runs/foreign-failed/retry`)).status).toBe(404);
    expect((await admin('POST', `tenants/${TENANT}/integrations/gh-1/runs/foreign-failed/retry`)).status).toBe(404);
  });
});

describe('POST tenants/{t}/conflicts/resolve (bulk)', () => {
  async function seedConflict(tenantId: string, externalId: string): Promise<string> {
    const shardId = `sh-${tenantId}-${externalId}`;
    await t.services.shards.upsertMany([
      {
        id: shardId,
        tenantId,
        shardType: 'github.issues',
        data: { title: 'mine', state: 'open' },
        externalRefs: [],
        links: [],
        lastWrittenBy: 'local',
        deleted: false,
        updatedAt: new Date().toISOString(),
      },
    ]);
    const doc = buildConflictDocument(
      { tenantId, integrationId: tenantId === TENANT ? 'gh-1' : 'gh-9', shardId, entity: 'issues', externalId },
      [{ field: 'title', base: 'old', local: 'mine', remote: 'theirs' }],
      new Date(),
    )!;
    await t.services.conflicts.saveMany([doc]);
    return doc.id;
  }

  it('resolves every listed conflict to one side, reports the ones it could not, and never touches another tenant', async () => {
    const a = await seedConflict(TENANT, '101');
    const b = await seedConflict(TENANT, '102');
    const foreign = await seedConflict('other-t', '103');
    const answer = await admin<BulkResolveResponse>('POST', `tenants/${TENANT}/conflicts/resolve`, {
      ids: [a, b, foreign, 'cf-missing'],
      take: 'remote',
    });
    expect(answer.status).toBe(200);
    const nothingToPush = {
      pushPending: false,
      pushed: false,
      reason: "the chosen values are the provider's: nothing to push",
    };
    expect(answer.body.resolved).toEqual([
      { id: a, ...nothingToPush },
      { id: b, ...nothingToPush },
    ]);
    expect(answer.body.failed).toEqual([
      { id: foreign, error: expect.objectContaining({ code: 'not_found' }) },
      { id: 'cf-missing', error: expect.objectContaining({ code: 'not_found' }) },
    ]);
    expect((await t.services.shards.get(TENANT, `sh-${TENANT}-101`))?.data.title).toBe('theirs');
    expect((await t.services.conflicts.get('other-t', foreign))?.status).toBe('open');
    // A second pass finds them resolved already.
    const repeat = await admin<BulkResolveResponse>('POST', `tenants/${TENANT}/conflicts/resolve`, {
      ids: [a],
      take: 'local',
    });
    expect(repeat.body).toEqual({
      resolved: [],
      failed: [{ id: a, error: expect.objectContaining({ code: 'conflict' }) }],
    });
  });

  it('names the bad field of a bad body', async () => {
    expect(await admin('POST', `tenants/${TENANT}/conflicts/resolve`, { ids: [], take: 'remote' })).toMatchObject({
      status: 400,
      body: { error: { target: 'ids' } },
    });
    expect(await admin('POST', `tenants/${TENANT}/conflicts/resolve`, { ids: ['x'], take: 'both' })).toMatchObject({
      status: 400,
      body: { error: { target: 'take' } },
    });
  });
});

describe('GET …/webhooks/endpoint and the secret overlap', () => {
  it('gives the public URL for the provider and shows how long the replaced secret keeps verifying', async () => {
    const before = await admin<WebhookEndpointView>('GET', `tenants/${TENANT}/integrations/gh-1/webhooks/endpoint`);
    expect(before).toEqual({
      status: 200,
      body: {
        provider: 'github',
        url: 'https://sync.example.com/api/webhooks/github/gh-1',
        secret: null,
        pendingVerificationToken: false,
      },
    });

    expect(
      (await admin('PUT', `tenants/${TENANT}/integrations/gh-1/webhook-secret`, { secret: 'first-secret-0123456789' }))
        .status,
    ).toBe(200);
    const rotated = await admin('PUT', `tenants/${TENANT}/integrations/gh-1/webhook-secret`, {
      secret: 'second-secret-0123456789',
      overlapMinutes: 60,
    });
    expect(rotated.status).toBe(200);
    const until = Date.parse(rotated.body.previousValidUntil);
    expect(until - Date.now()).toBeGreaterThan(59 * 60_000);
    expect(until - Date.now()).toBeLessThanOrEqual(60 * 60_000);
    expect(JSON.stringify(rotated.body)).not.toContain('secret-0123456789');

    await t.services.credentials.service.put(credentialRef({ tenantId: TENANT, id: 'gh-1' }, 'webhook-pending'), {
      type: 'webhook_secret',
      secret: 'pending-token-0123456789',
    });
    const after = await admin<WebhookEndpointView>('GET', `tenants/${TENANT}/integrations/gh-1/webhooks/endpoint`);
    expect(after.body).toMatchObject({
      pendingVerificationToken: true,
      secret: { status: 'active', previousValidUntil: rotated.body.previousValidUntil },
    });
    expect(JSON.stringify(after.body)).not.toContain('0123456789');

    expect((await admin('GET', `tenants/${TENANT}/integrations/gh-9/webhooks/endpoint`)).status).toBe(404);
  });

  it('names the field of a too-short secret', async () => {
    expect(await admin('PUT', `tenants/${TENANT}/integrations/gh-1/webhook-secret`, { secret: 'short' })).toMatchObject(
      { status: 400, body: { error: { target: 'secret' } } },
    );
  });
});

describe('GET …/rate-limits/usage', () => {
  const path = `tenants/${TENANT}/integrations/gh-1/rate-limits/usage`;

  it('shows each level with what the limiter has spent, including an operation asked for', async () => {
    const idle = await admin<RateLimitUsageResponse>('GET', `${path}?operation=issues.create`);
    expect(idle.status).toBe(200);
    expect(idle.body).toMatchObject({ tenantId: TENANT, integrationId: 'gh-1', provider: 'github', backend: 'redis' });
    expect(idle.body.levels.map((level) => [level.level, level.operation])).toEqual([
      ['tenant', undefined],
      ['integration', undefined],
      ['app', undefined],
      ['operation', 'issues.create'],
    ]);
    const integrationBefore = idle.body.levels.find((level) => level.level === 'integration')!;
    expect(integrationBefore).toMatchObject({ kind: 'rate', capacity: 100, available: 100, reserved: 0, waitMs: 0 });
    expect(JSON.stringify(idle.body)).not.toContain('rl:');

    for (let i = 0; i < 7; i++)
      await t.services.rateLimiter.acquire({
        tenantId: TENANT,
        integrationId: 'gh-1',
        provider: 'github',
        operation: 'issues.create',
      });
    const busy = await admin<RateLimitUsageResponse>('GET', `${path}?operation=issues.create`);
    const integration = busy.body.levels.find((level) => level.level === 'integration')!;
    const mutations = busy.body.levels.find((level) => level.level === 'operation')!;
    // 5,000/h: one emission is 720 ms, so the seven calls are still almost all reserved a moment later.
    expect(integration).toMatchObject({ kind: 'rate', capacity: 100 });
    if (integration.kind !== 'rate' || mutations.kind !== 'rate') throw new Error('rate levels expected');
    expect(integration.reserved).toBeGreaterThan(6);
    expect(integration.reserved).toBeLessThanOrEqual(7);
    expect(integration.available).toBe(93);
    // The mutations group (80/min, burst 10): 7 of 10 spent.
    expect(mutations).toMatchObject({ capacity: 10, available: 3 });
  });

  it('names a bad operation and hides other tenants’ integrations', async () => {
    expect(await admin('GET', `${path}?operation=${encodeURIComponent('bad op!')}`)).toMatchObject({
      status: 400,
      body: { error: { target: 'operation' } },
    });
    expect((await admin('GET', `tenants/${TENANT}/integrations/gh-9/rate-limits/usage`)).status).toBe(404);
  });
});

describe('GET tenants/{t}/metrics/sync', () => {
  it('sums the tenant’s runs per time bucket and counts no other tenant', async () => {
    const counters = (created: number, errors: number) => ({
      ...emptyCounters(),
      fetched: created + 1,
      created,
      updated: 1,
      errors,
    });
    await t.services.runs.createOrGet(
      run({ id: 'm1', status: 'succeeded', queuedAt: '2026-03-01T10:05:00.000Z', counters: counters(3, 0) }),
    );
    await t.services.runs.createOrGet(
      run({ id: 'm2', status: 'failed', queuedAt: '2026-03-01T10:50:00.000Z', counters: counters(2, 4) }),
    );
    await t.services.runs.createOrGet(
      run({ id: 'm3', status: 'succeeded', queuedAt: '2026-03-01T12:00:00.000Z', counters: counters(5, 1) }),
    );
    await t.services.runs.createOrGet(
      run({
        id: 'm4',
        tenantId: 'other-t',
        integrationId: 'gh-9',
        status: 'succeeded',
        queuedAt: '2026-03-01T10:10:00.000Z',
        counters: counters(100, 100),
      }),
    );
    const answer = await admin<SyncMetricsResponse>(
      'GET',
      `tenants/${TENANT}/metrics/sync?from=2026-03-01T10:00:00Z&to=2026-03-01T13:00:00Z&bucket=1h`,
    );
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      from: '2026-03-01T10:00:00.000Z',
      to: '2026-03-01T13:00:00.000Z',
      bucketMs: 3600_000,
      truncated: false,
    });
    expect(
      answer.body.buckets.map((bucket) => [bucket.start, bucket.runs, bucket.failedRuns, bucket.synced, bucket.errors]),
    ).toEqual([
      ['2026-03-01T10:00:00.000Z', 2, 1, 3 + 1 + 2 + 1, 4],
      ['2026-03-01T11:00:00.000Z', 0, 0, 0, 0],
      ['2026-03-01T12:00:00.000Z', 1, 0, 5 + 1, 1],
    ]);
    expect(answer.body.totals).toMatchObject({ runs: 3, failedRuns: 1, created: 10, errors: 5, fetched: 13 });
  });

  it('names the bad parameter', async () => {
    const base = `tenants/${TENANT}/metrics/sync`;
    expect(await admin('GET', `${base}?bucket=7x`)).toMatchObject({
      status: 400,
      body: { error: { target: 'bucket' } },
    });
    expect(await admin('GET', `${base}?from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z`)).toMatchObject({
      status: 400,
      body: { error: { target: 'from' } },
    });
    expect(await admin('GET', `${base}?from=yesterday`)).toMatchObject({
      status: 400,
      body: { error: { target: 'from' } },
    });
    expect(await admin('GET', `${base}?from=2026-01-01T00:00:00Z&to=2026-03-01T00:00:00Z&bucket=1m`)).toMatchObject({
      status: 400,
      body: { error: { target: 'bucket' } },
    });
  });
});
