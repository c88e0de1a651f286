/**
 * The charts' time series and the webhook delivery viewer through the real AdminApi handler against the local
 * services (Cosmos stand-in, Azurite, Redis): exact bucketed figures for seeded data, tenant isolation, a 400
 * naming each bad parameter, and a delivery whose signature, authorization and token headers (and the secret
 * itself) never appear in the viewer's answer. GitHub deliveries are signed with @octokit/webhooks-methods, the
 * official client, not our own signing helper (it is ESM-only, so it signs in a child Node process).
 */
import { execFileSync } from 'node:child_process';
import { adminApi } from '../../functions/AdminApi';
import { webhookReceiver } from '../../functions/WebhookReceiver';
import { createTestServices, TEST_ADMIN_KEY, type TestServices } from '../support/test-services';
import { bodyOf, httpRequest, invocation } from '../support/invoke';
import { newIntegration } from '../../shared/core/integration';
import { emptyCounters, type SyncRun } from '../../shared/core/sync-run';
import type { DeliveryReceipt } from '../../shared/webhooks/intake/receipt-types';
import type { WebhookSecretSource } from '../../shared/webhooks/intake/secrets';
import type {
  DeliveryDetailResponse,
  RateLimitMetricsResponse,
  RunMetricsResponse,
  WebhookMetricsResponse,
} from '../../shared/admin/contracts/charts';

const TENANT = 'charts-t';
const OTHER = 'charts-other';
const SECRET = 'whsec-charts-0123456789';
const secrets: WebhookSecretSource = { secretsFor: async () => [SECRET], storePendingToken: async () => undefined };

let t: TestServices;

/** The official GitHub webhook signature of `payload` (sha256=…), from @octokit/webhooks-methods. */
function sign(secret: string, payload: string): string {
  return execFileSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      "import { sign } from '@octokit/webhooks-methods'; process.stdout.write(await sign(process.env.SIGN_SECRET, process.env.SIGN_PAYLOAD));",
    ],
    { env: { ...process.env, SIGN_SECRET: secret, SIGN_PAYLOAD: payload }, encoding: 'utf8' },
  );
}

beforeAll(async () => {
  t = await createTestServices(
    { ADMIN_TENANT_RATE_PER_S: '1000', REDIS_KEY_PREFIX: `charts${Date.now()}:` },
    { webhookSecrets: secrets },
  );
  const at = new Date();
  await t.services.integrations.create(
    newIntegration(TENANT, 'ch-gh', { provider: 'github', name: 'Acme issues' }, { intervalMinutes: 60 }, at),
  );
  await t.services.integrations.create(
    newIntegration(TENANT, 'ch-sl', { provider: 'slack', name: 'Acme chat' }, { intervalMinutes: 60 }, at),
  );
  await t.services.integrations.create(
    newIntegration(OTHER, 'ch-x', { provider: 'github', name: 'Secret other' }, { intervalMinutes: 60 }, at),
  );
});
afterAll(async () => t.services.close());

async function admin<T = any>(path: string) {
  const [route] = path.split('?');
  const response = await adminApi.handler(
    httpRequest('GET', `admin/${path}`, { headers: { 'x-api-key': TEST_ADMIN_KEY }, params: { path: route! } }),
    invocation('AdminApi'),
    t.services,
  );
  return { status: response.status ?? 200, body: bodyOf(response) as T };
}

function run(overrides: Partial<SyncRun> & Pick<SyncRun, 'id' | 'queuedAt'>): SyncRun {
  return {
    integrationId: 'ch-gh',
    tenantId: TENANT,
    mode: 'full',
    trigger: 'manual',
    status: 'succeeded',
    counters: emptyCounters(),
    traceId: 'trace',
    ...overrides,
  };
}

const counters = (created: number, updated: number, deleted = 0) => ({ ...emptyCounters(), created, updated, deleted });
const RANGE = 'from=2026-04-01T10:00:00Z&to=2026-04-01T13:00:00Z&bucket=1h';

describe('GET tenants/{t}/metrics/runs', () => {
  beforeAll(async () => {
    await t.services.runs.createMany([
      run({
        id: 'r1',
        queuedAt: '2026-04-01T10:05:00.000Z',
        startedAt: '2026-04-01T10:05:10.000Z',
        finishedAt: '2026-04-01T10:05:40.000Z',
        counters: counters(3, 2),
      }),
      run({
        id: 'r2',
        status: 'failed',
        queuedAt: '2026-04-01T10:30:00.000Z',
        startedAt: '2026-04-01T10:30:00.000Z',
        finishedAt: '2026-04-01T10:32:00.000Z',
        counters: counters(1, 0, 1),
      }),
      run({
        id: 'r3',
        integrationId: 'ch-sl',
        queuedAt: '2026-04-01T12:59:59.000Z',
        startedAt: '2026-04-01T13:00:00.000Z',
        finishedAt: '2026-04-01T13:00:05.000Z',
        counters: counters(7, 0),
      }),
      // Still running: counted as a run, not in the durations.
      run({ id: 'r4', integrationId: 'ch-sl', status: 'running', queuedAt: '2026-04-01T12:10:00.000Z' }),
      // Outside the range.
      run({ id: 'r5', queuedAt: '2026-04-01T13:00:00.000Z', counters: counters(50, 0) }),
      run({
        id: 'rx',
        tenantId: OTHER,
        integrationId: 'ch-x',
        status: 'failed',
        queuedAt: '2026-04-01T10:10:00.000Z',
        finishedAt: '2026-04-01T10:11:00.000Z',
        counters: counters(100, 100),
      }),
    ]);
  });

  it('answers records synced, failed runs and runs per integration and bucket, and run durations', async () => {
    const answer = await admin<RunMetricsResponse>(`tenants/${TENANT}/metrics/runs?${RANGE}`);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      from: '2026-04-01T10:00:00.000Z',
      to: '2026-04-01T13:00:00.000Z',
      bucketMs: 3600_000,
      starts: ['2026-04-01T10:00:00.000Z', '2026-04-01T11:00:00.000Z', '2026-04-01T12:00:00.000Z'],
      truncated: false,
    });
    expect(answer.body.integrations).toEqual([
      { integrationId: 'ch-sl', name: 'Acme chat', synced: [0, 0, 7], failedRuns: [0, 0, 0], runs: [0, 0, 2] },
      { integrationId: 'ch-gh', name: 'Acme issues', synced: [5 + 2, 0, 0], failedRuns: [1, 0, 0], runs: [2, 0, 0] },
    ]);
    expect(answer.body.duration).toEqual({
      finished: [2, 0, 1],
      p50Ms: [30_000, null, 5000],
      p99Ms: [120_000, null, 5000],
      maxMs: [120_000, null, 5000],
    });
  });

  it('narrows to one integration, and never counts or names another tenant’s', async () => {
    const one = await admin<RunMetricsResponse>(`tenants/${TENANT}/metrics/runs?${RANGE}&integrationId=ch-gh`);
    expect(one.body.integrations.map((series) => series.integrationId)).toEqual(['ch-gh']);
    const other = await admin<RunMetricsResponse>(`tenants/${TENANT}/metrics/runs?${RANGE}&integrationId=ch-x`);
    expect(other.body.integrations).toEqual([]);
    expect(JSON.stringify(other.body)).not.toContain('Secret other');
  });

  it('names the bad parameter', async () => {
    const base = `tenants/${TENANT}/metrics/runs`;
    for (const [query, target] of [
      ['bucket=5s', 'bucket'],
      ['from=yesterday', 'from'],
      ['to=soon', 'to'],
      ['from=2026-04-02T00:00:00Z&to=2026-04-01T00:00:00Z', 'from'],
      ['from=2025-01-01T00:00:00Z&to=2026-04-01T00:00:00Z', 'from'],
      ['from=2026-03-01T00:00:00Z&to=2026-04-01T00:00:00Z&bucket=1m', 'bucket'],
      ['integrationId=bad%20id', 'integrationId'],
    ] as const)
      expect(await admin(`${base}?${query}`)).toMatchObject({ status: 400, body: { error: { target } } });
  });
});

describe('GET tenants/{t}/metrics/webhooks', () => {
  const receipt = (
    id: string,
    receivedAt: string,
    verdict: DeliveryReceipt['verdict'],
    handlingMs: number,
    extra: Partial<DeliveryReceipt> = {},
  ): DeliveryReceipt => ({
    id,
    integrationId: 'ch-gh',
    tenantId: TENANT,
    provider: 'github',
    deliveryId: `d-${id}`,
    verdict,
    receivedAt,
    handlingMs,
    ...extra,
  });

  beforeAll(async () => {
    await t.services.deliveryLog.upsertMany([
      receipt('w1', '2026-04-01T10:01:00.000Z', 'accepted', 4, { duplicates: 2 }),
      receipt('w2', '2026-04-01T10:02:00.000Z', 'accepted', 10),
      receipt('w3', '2026-04-01T10:03:00.000Z', 'rejected', 1, { reason: 'bad_signature' }),
      receipt('w4', '2026-04-01T12:00:00.000Z', 'rejected', 2, { reason: 'stale_timestamp' }),
      receipt('w5', '2026-04-01T12:30:00.000Z', 'rejected', 3, { reason: 'bad_signature' }),
      receipt('w6', '2026-04-01T12:40:00.000Z', 'handshake', 6, { integrationId: 'ch-sl', provider: 'slack' }),
      receipt('w7', '2026-04-01T13:00:00.000Z', 'accepted', 1),
      receipt('wx', '2026-04-01T10:05:00.000Z', 'accepted', 99, { tenantId: OTHER, integrationId: 'ch-x' }),
    ]);
  });

  it('answers volume, verdicts, rejections by reason and handling percentiles per bucket', async () => {
    const answer = await admin<WebhookMetricsResponse>(`tenants/${TENANT}/metrics/webhooks?${RANGE}`);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      received: [3 + 2, 0, 3],
      accepted: [2, 0, 0],
      duplicates: [2, 0, 0],
      rejected: [1, 0, 2],
      other: [0, 0, 1],
      rejectedByReason: { bad_signature: [1, 0, 1], stale_timestamp: [0, 0, 1] },
      handlingP50Ms: [4, null, 3],
      handlingP99Ms: [10, null, 6],
      truncated: false,
    });
  });

  it('narrows to one integration and counts no other tenant’s receipts', async () => {
    const one = await admin<WebhookMetricsResponse>(`tenants/${TENANT}/metrics/webhooks?${RANGE}&integrationId=ch-sl`);
    expect(one.body).toMatchObject({ received: [0, 0, 1], other: [0, 0, 1], accepted: [0, 0, 0] });
    const other = await admin<WebhookMetricsResponse>(`tenants/${TENANT}/metrics/webhooks?${RANGE}&integrationId=ch-x`);
    expect(other.body.received).toEqual([0, 0, 0]);
    expect(await admin(`tenants/${TENANT}/metrics/webhooks?bucket=0h`)).toMatchObject({
      status: 400,
      body: { error: { target: 'bucket' } },
    });
  });
});

describe('GET tenants/{t}/metrics/rate-limits', () => {
  it('sums 429 answers and throttle waits per provider and bucket, for this tenant only', async () => {
    const history = t.services.rateLimiter.throttleHistory;
    const at = (iso: string) => Date.parse(iso);
    history.record({ tenantId: TENANT, provider: 'github', at: at('2026-04-01T10:00:30Z'), kind: '429' });
    history.record({ tenantId: TENANT, provider: 'github', at: at('2026-04-01T10:59:59Z'), kind: '429' });
    history.record({
      tenantId: TENANT,
      provider: 'github',
      at: at('2026-04-01T12:15:00Z'),
      kind: 'wait',
      waitMs: 1500,
    });
    history.record({ tenantId: TENANT, provider: 'github', at: at('2026-04-01T12:16:00Z'), kind: 'wait', waitMs: 500 });
    history.record({
      tenantId: TENANT,
      provider: 'slack',
      at: at('2026-04-01T11:20:00Z'),
      kind: 'wait',
      waitMs: 30_000,
    });
    history.record({ tenantId: TENANT, provider: 'slack', at: at('2026-04-01T13:00:00Z'), kind: '429' });
    history.record({ tenantId: OTHER, provider: 'github', at: at('2026-04-01T10:10:00Z'), kind: '429' });

    const answer = await admin<RateLimitMetricsResponse>(`tenants/${TENANT}/metrics/rate-limits?${RANGE}`);
    expect(answer.status).toBe(200);
    expect(answer.body.providers).toEqual([
      { provider: 'github', responses429: [2, 0, 0], throttleWaits: [0, 0, 2], throttleWaitMs: [0, 0, 2000] },
      { provider: 'slack', responses429: [0, 0, 0], throttleWaits: [0, 1, 0], throttleWaitMs: [0, 30_000, 0] },
    ]);
    const other = await admin<RateLimitMetricsResponse>(`tenants/${OTHER}/metrics/rate-limits?${RANGE}`);
    expect(other.body.providers).toEqual([
      { provider: 'github', responses429: [1, 0, 0], throttleWaits: [0, 0, 0], throttleWaitMs: [0, 0, 0] },
    ]);
    const notion = await admin<RateLimitMetricsResponse>(
      `tenants/${TENANT}/metrics/rate-limits?${RANGE}&provider=notion`,
    );
    expect(notion.body.providers).toEqual([
      { provider: 'notion', responses429: [0, 0, 0], throttleWaits: [0, 0, 0], throttleWaitMs: [0, 0, 0] },
    ]);
    expect(await admin(`tenants/${TENANT}/metrics/rate-limits?provider=myspace`)).toMatchObject({
      status: 400,
      body: { error: { target: 'provider' } },
    });
  });

  it('counts what the limiter sees: a provider’s 429 and a call that had to wait', async () => {
    const limiter = t.services.rateLimiter;
    const target = { tenantId: 'charts-live', integrationId: 'live-1', provider: 'github' as const };
    await limiter.reportSignal(target, { provider: 'github', status: 429, retryAfterMs: 1000, observedAt: Date.now() });
    // The 429 blocked the integration's level for about a second: the next call waits (or is told to come back).
    await limiter.acquire({ ...target, operation: 'issues.list' }, { maxWaitMs: 5000 }).catch(() => undefined);
    const from = new Date(Date.now() - 120_000).toISOString();
    const to = new Date(Date.now() + 60_000).toISOString();
    const answer = await admin<RateLimitMetricsResponse>(
      `tenants/charts-live/metrics/rate-limits?from=${from}&to=${to}&bucket=1d`,
    );
    const github = answer.body.providers.find((series) => series.provider === 'github')!;
    expect(github.responses429.reduce((a, b) => a + b, 0)).toBe(1);
    expect(github.throttleWaits.reduce((a, b) => a + b, 0)).toBe(1);
    expect(github.throttleWaitMs.reduce((a, b) => a + b, 0)).toBeGreaterThan(100);
  });
});

describe('the delivery viewer', () => {
  const body = JSON.stringify({
    action: 'opened',
    issue: { id: 77, number: 77, title: 'Printer on fire' },
    comment: { id: 501, body: 'me too' },
    repository: { full_name: 'acme/app' },
    // A credential field in a payload is never shown either.
    token: 'payload-token-value-123',
  });

  async function deliver(id: string, event: string, signature?: string) {
    const headers = {
      'x-hub-signature-256': signature ?? sign(SECRET, body),
      'x-github-delivery': id,
      'x-github-event': event,
      authorization: 'Bearer gho_live_token_abcdef123456',
      'x-relay-token': 'relay-token-value-987',
      'x-echo-value': SECRET,
      'content-type': 'application/json',
    };
    const response = await webhookReceiver.handler(
      httpRequest('POST', 'webhooks/github/ch-gh', {
        rawBody: body,
        headers,
        params: { provider: 'github', integrationId: 'ch-gh' },
      }),
      invocation('WebhookReceiver'),
      t.services,
    );
    return response.status ?? 200;
  }

  beforeAll(async () => {
    expect(await deliver('view-1', 'issues')).toBe(200);
    expect(await deliver('view-2', 'issue_comment')).toBe(200);
    expect(await deliver('view-3', 'issues', `sha256=${'0'.repeat(64)}`)).toBe(401);
  });

  it('shows the event type, redacted headers, the payload and the run it started, and never a secret', async () => {
    const detail = await admin<DeliveryDetailResponse>(
      `tenants/${TENANT}/integrations/ch-gh/webhooks/deliveries/view-1`,
    );
    expect(detail.status).toBe(200);
    expect(detail.body.eventType).toBe('issues');
    expect(detail.body.receipt).toMatchObject({ deliveryId: 'view-1', verdict: 'accepted', eventType: 'issues' });
    expect(detail.body.headers).toMatchObject({
      'x-github-event': 'issues',
      'x-github-delivery': 'view-1',
      'x-hub-signature-256': '[redacted]',
      authorization: '[redacted]',
      'x-relay-token': '[redacted]',
      'x-echo-value': '[redacted]',
    });
    const payload = JSON.parse(detail.body.payload!.text!);
    expect(payload).toMatchObject({ action: 'opened', issue: { title: 'Printer on fire' }, token: '[redacted]' });
    expect(detail.body.payload).toMatchObject({ bytes: Buffer.byteLength(body), contentType: 'application/json' });
    expect(detail.body.runs).toEqual([{ runId: detail.body.receipt.runIds![0], status: 'queued' }]);
    const text = JSON.stringify(detail.body);
    for (const secret of [SECRET, 'gho_live_token_abcdef123456', 'relay-token-value-987', 'payload-token-value-123'])
      expect(text).not.toContain(secret);
    expect(text).not.toContain(sign(SECRET, body));
  });

  it('filters the list by verdict and event type, newest first', async () => {
    const list = async (query: string) =>
      (await admin<{ items: DeliveryReceipt[] }>(`tenants/${TENANT}/integrations/ch-gh/webhooks/deliveries?${query}`))
        .body.items;
    const live = 'from=2026-06-01T00:00:00Z';
    expect((await list(`${live}&verdict=accepted&order=newest`)).map((item) => item.deliveryId)).toEqual([
      'view-2',
      'view-1',
    ]);
    expect((await list(`${live}&eventType=issue_comment`)).map((item) => item.deliveryId)).toEqual(['view-2']);
    const rejected = await list(`${live}&verdict=rejected`);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatchObject({ reason: 'bad_signature' });
    expect(await list(`${live}&verdict=accepted&limit=1`)).toHaveLength(1);

    const detail = await admin<DeliveryDetailResponse>(
      `tenants/${TENANT}/integrations/ch-gh/webhooks/deliveries/${rejected[0]!.deliveryId}`,
    );
    expect(detail.body).toMatchObject({ payloadUnavailable: 'a rejected delivery is not archived', runs: [] });
    expect(detail.body.headers).toBeUndefined();
  });

  it('names a bad filter, and answers 404 for another tenant’s integration or an unknown delivery', async () => {
    const base = `tenants/${TENANT}/integrations/ch-gh/webhooks/deliveries`;
    for (const [query, target] of [
      ['verdict=maybe', 'verdict'],
      ['order=sideways', 'order'],
      ['limit=0', 'limit'],
      [`eventType=${'x'.repeat(101)}`, 'eventType'],
    ] as const)
      expect(await admin(`${base}?${query}`)).toMatchObject({ status: 400, body: { error: { target } } });
    expect((await admin(`tenants/${OTHER}/integrations/ch-gh/webhooks/deliveries/view-1`)).status).toBe(404);
    expect((await admin(`tenants/${TENANT}/integrations/ch-x/webhooks/deliveries/view-1`)).status).toBe(404);
    expect((await admin(`${base}/no-such-delivery`)).status).toBe(404);
  });
});
