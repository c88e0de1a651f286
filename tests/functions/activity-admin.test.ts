/**
 * The activity log and the per-run log through the real AdminApi handler against the local services
 * (cosmosdb-server, Redis): the audit trail of admin changes (who, which fields, never a value), paging and
 * filters, a 400 naming each bad query parameter, tenant isolation, and a page's provider calls logged with
 * status and duration while the secrets in their URLs never reach the stored documents or the answers.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { adminApi } from '../../functions/AdminApi';
import { createTestServices, TEST_ADMIN_KEY, type TestServices } from '../support/test-services';
import { bodyOf, httpRequest, invocation } from '../support/invoke';
import { emptyCounters, type SyncJobMessage, type SyncRun } from '../../shared/core/sync-run';
import { handleInboundJob } from '../../shared/sync/inbound/job';
import { createProviderHttpClient } from '../../shared/adapters/http';
import { githubProfile } from '../../shared/adapters/github/profile';
import type { ActivityItem, ActivityPage, RunLog } from '../../shared/admin/contracts/activity';

let t: TestServices;
let provider: Server;
let providerUrl: string;
const TENANT = 'act-t';
const OTHER = 'act-other';
const SECRET = 'Sup3rSecretValue-do-not-store';

beforeAll(async () => {
  t = await createTestServices({ ADMIN_TENANT_RATE_PER_S: '1000', REDIS_KEY_PREFIX: `act${Date.now()}:` });
  // A provider that answers the first call 503 and the next ones 200, with a rate-limit header.
  let calls = 0;
  provider = createServer((request, response) => {
    calls++;
    response.writeHead(calls === 1 ? 503 : 200, {
      'content-type': 'application/json',
      'x-ratelimit-remaining': '4999',
      'x-ratelimit-limit': '5000',
      'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
    });
    response.end(JSON.stringify({ ok: true, path: request.url }));
  });
  await new Promise<void>((resolve) => provider.listen(0, '127.0.0.1', resolve));
  providerUrl = `http://127.0.0.1:${(provider.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await t.services.close();
  await new Promise((resolve) => provider.close(resolve));
});

async function admin<T = any>(method: string, path: string, body?: unknown) {
  const [route] = path.split('?');
  const response = await adminApi.handler(
    httpRequest(method, `admin/${path}`, { body, headers: { 'x-api-key': TEST_ADMIN_KEY }, params: { path: route! } }),
    invocation('AdminApi'),
    t.services,
  );
  return { status: response.status ?? 200, body: bodyOf(response) as T };
}

async function createIntegration(tenantId: string, name: string): Promise<string> {
  const created = await admin('POST', `tenants/${tenantId}/integrations`, {
    provider: 'github',
    name,
    providerOptions: { repositories: ['acme/widgets'] },
    baseUrl: providerUrl,
  });
  expect(created.status).toBe(201);
  return created.body.id as string;
}

describe('the audit trail of admin changes', () => {
  let integrationId: string;

  beforeAll(async () => {
    integrationId = await createIntegration(TENANT, 'Widgets');
    expect(
      (
        await admin('PATCH', `tenants/${TENANT}/integrations/${integrationId}`, {
          name: 'Widgets 2',
          schedule: { intervalMinutes: 30 },
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await admin('PUT', `tenants/${TENANT}/integrations/${integrationId}/credentials`, {
          type: 'bearer_token',
          token: SECRET,
        })
      ).status,
    ).toBeLessThan(300);
    // A change that failed is not in the trail.
    expect(
      (await admin('PATCH', `tenants/${TENANT}/integrations/${integrationId}`, { schedule: { intervalMinutes: -1 } }))
        .status,
    ).toBe(400);
    await createIntegration(OTHER, 'Other tenant');
  });

  it('lists each change newest first with its actor and the names of the changed fields, never a value', async () => {
    const page = await admin<ActivityPage>('GET', `tenants/${TENANT}/activity?type=config`);
    expect(page.status).toBe(200);
    const summaries = page.body.items.map((item) => item.summary);
    expect(summaries[0]).toBe('integration updated: name, schedule.intervalMinutes');
    expect(summaries).toContain('integration created: provider, name, providerOptions.repositories, baseUrl');
    for (const item of page.body.items) {
      expect(item).toMatchObject({ type: 'config', status: 'changed', actor: 'api-key', integrationId });
      expect(item.integrationName).toMatch(/^Widgets/);
    }
    const credential = await admin<ActivityPage>('GET', `tenants/${TENANT}/activity?type=credential`);
    expect(credential.body.items).toEqual([
      expect.objectContaining({
        summary: 'credentials set: type, token',
        actor: 'api-key',
        integrationName: 'Widgets 2',
      }),
    ]);
    const everything = JSON.stringify((await admin('GET', `tenants/${TENANT}/activity`)).body);
    expect(everything).not.toContain(SECRET);
    // The refused change (a negative interval) is not in the trail: three changes, three entries.
    expect(JSON.parse(everything).items).toHaveLength(3);
  });

  it("keeps a deleted integration's name, and shows another tenant nothing of this one", async () => {
    const doomed = await createIntegration(TENANT, 'Doomed');
    expect((await admin('DELETE', `tenants/${TENANT}/integrations/${doomed}`)).status).toBe(204);
    const page = await admin<ActivityPage>('GET', `tenants/${TENANT}/activity?integrationId=${doomed}`);
    expect(page.body.items.map((item) => [item.summary, item.integrationName])).toEqual([
      ['integration removed', 'Doomed'],
      ['integration created: provider, name, providerOptions.repositories, baseUrl', 'Doomed'],
    ]);
    const other = await admin<ActivityPage>('GET', `tenants/${OTHER}/activity`);
    expect(other.body.items.map((item) => item.integrationName)).toEqual(['Other tenant']);
    const foreign = await admin<ActivityPage>('GET', `tenants/${OTHER}/activity?integrationId=${doomed}`);
    expect(foreign.body.items).toEqual([]);
  });

  it('pages with a continuation token and filters by status and time', async () => {
    const all: ActivityItem[] = (await admin<ActivityPage>('GET', `tenants/${TENANT}/activity?limit=200`)).body.items;
    expect(all.length).toBeGreaterThanOrEqual(5);
    const seen: ActivityItem[] = [];
    let token: string | undefined;
    do {
      const page = await admin<ActivityPage>(
        'GET',
        `tenants/${TENANT}/activity?limit=2${token ? `&continuationToken=${encodeURIComponent(token)}` : ''}`,
      );
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items);
      token = page.body.continuationToken;
    } while (token);
    expect(seen).toEqual(all);
    expect([...seen].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0)).map((item) => item.at)).toEqual(
      seen.map((item) => item.at),
    );
    const oldest = all[all.length - 1]!.at;
    const upToOldest = await admin<ActivityPage>('GET', `tenants/${TENANT}/activity?to=${encodeURIComponent(oldest)}`);
    expect(upToOldest.body.items.every((item) => item.at <= oldest)).toBe(true);
    const fromFuture = await admin<ActivityPage>('GET', `tenants/${TENANT}/activity?from=2999-01-01`);
    expect(fromFuture.body.items).toEqual([]);
    const failed = await admin<ActivityPage>('GET', `tenants/${TENANT}/activity?status=failed`);
    expect(failed.body.items.every((item) => item.status === 'failed')).toBe(true);
  });

  it.each([
    ['type=nonsense', 'type'],
    ['from=yesterday', 'from'],
    ['to=2026-13-45', 'to'],
    ['from=2026-02-01&to=2026-01-01', 'from'],
    ['continuationToken=not-a-token', 'continuationToken'],
    ['limit=0', 'limit'],
    ['status=Bad%20Status', 'status'],
  ])('answers 400 naming the parameter for %s', async (query, target) => {
    const answer = await admin('GET', `tenants/${TENANT}/activity?${query}`);
    expect(answer.status).toBe(400);
    expect(answer.body.error.target).toBe(target);
  });
});

describe("a run's log", () => {
  it('holds every provider call of a page with status, duration and attempt, the retry, and no secret', async () => {
    const integrationId = await createIntegration(TENANT, 'Logged');
    const integration = (await t.services.integrations.get(TENANT, integrationId))!;
    const run: SyncRun = {
      id: 'run-logged',
      integrationId,
      tenantId: TENANT,
      mode: 'full',
      trigger: 'manual',
      status: 'queued',
      counters: emptyCounters(),
      queuedAt: new Date().toISOString(),
      traceId: 'trace',
    };
    await t.services.runs.createOrGet(run);
    const job: SyncJobMessage = {
      kind: 'sync-page',
      runId: run.id,
      tenantId: TENANT,
      integrationId,
      mode: 'full',
      page: 0,
    };
    // The page's calls go through the shared provider HTTP client, with secrets in the query and the header.
    const pipeline = async (
      _: unknown,
      __: unknown,
      observer?: Parameters<Parameters<typeof handleInboundJob>[3] & object>[2],
    ) => {
      const http = createProviderHttpClient(
        {
          baseUrl: integration.baseUrl!,
          options: {},
          auth: { headers: async () => ({ authorization: `Bearer ${SECRET}` }) },
          requestTimeoutMs: 5000,
          onRequest: (call) => observer?.onRequest(call),
        },
        githubProfile,
      );
      const query = { access_token: SECRET, client_secret: SECRET, sig: SECRET, per_page: 100 };
      await http
        .request({ operation: 'issues.list', path: '/repos/acme/widgets/issues', query })
        .catch(() => undefined);
      await http.request({ operation: 'issues.list', path: '/repos/acme/widgets/issues', query });
      observer?.onWait('issues.list', 120);
      return { runFinished: true, counters: emptyCounters(), recordErrors: [] };
    };
    const delivery = { messageId: 'm-1', deliveryCount: 1, applicationProperties: {} };
    expect(await handleInboundJob({ ...t.services, logger: t.services.logger }, job, delivery, pipeline)).toBe(
      'completed',
    );

    const log = await admin<RunLog>('GET', `tenants/${TENANT}/integrations/${integrationId}/runs/run-logged/log`);
    expect(log.status).toBe(200);
    const requests = log.body.items.filter((item) => item.request).map((item) => item.request!);
    expect(requests).toEqual([
      expect.objectContaining({ method: 'GET', status: 503, attempt: 1 }),
      expect.objectContaining({ method: 'GET', status: 200, attempt: 1, rateLimitRemaining: 4999 }),
    ]);
    for (const request of requests) {
      expect(request.durationMs).toBeGreaterThanOrEqual(0);
      expect(request.url).toBe(
        `${providerUrl}/repos/acme/widgets/issues?access_token=[redacted]&client_secret=[redacted]&sig=[redacted]&per_page=100`,
      );
    }
    expect(log.body.items.map((item) => item.message)).toEqual(
      expect.arrayContaining(['issues.list: waited 120 ms for the rate limiter', 'run finished']),
    );
    expect(log.body.items.every((item) => item.page === 0)).toBe(true);

    // Neither the stored documents nor the answer hold the secret.
    const stored = await t.services.documents.activity.runLog(TENANT, integrationId, 'run-logged');
    expect(stored).toHaveLength(1);
    expect(stored[0]!.ttl).toBe(7 * 86_400);
    expect(JSON.stringify(stored)).not.toContain(SECRET);
    expect(JSON.stringify(log.body)).not.toContain(SECRET);

    // The run ended: the activity log says so and links the run.
    const runs = await admin<ActivityPage>('GET', `tenants/${TENANT}/activity?type=run&integrationId=${integrationId}`);
    expect(runs.body.items).toEqual([
      expect.objectContaining({ status: 'succeeded', runId: 'run-logged', integrationName: 'Logged' }),
    ]);

    // Another tenant cannot read it, and an unknown run is a 404.
    expect((await admin('GET', `tenants/${OTHER}/integrations/${integrationId}/runs/run-logged/log`)).status).toBe(404);
    expect((await admin('GET', `tenants/${TENANT}/integrations/${integrationId}/runs/nope/log`)).status).toBe(404);
  });
});

describe('webhook verdicts', () => {
  it('are counted in memory and written as one summary per integration and verdict, linking the latest delivery', async () => {
    const integrationId = await createIntegration(TENANT, 'Hooks');
    const at = new Date().toISOString();
    for (let i = 0; i < 3; i++)
      t.services.deliveryLog.record({
        id: `r${i}`,
        integrationId,
        tenantId: TENANT,
        provider: 'github',
        deliveryId: `d-${i}`,
        verdict: 'rejected',
        reason: 'bad_signature',
        receivedAt: at.replace(/\d{3}Z$/, `00${i}Z`),
        handlingMs: 1,
      });
    const page = await admin<ActivityPage>(
      'GET',
      `tenants/${TENANT}/activity?type=webhook&integrationId=${integrationId}`,
    );
    expect(page.body.items).toEqual([
      expect.objectContaining({
        status: 'rejected',
        summary: '3 deliveries rejected (bad_signature ×3)',
        deliveryId: 'd-2',
        integrationName: 'Hooks',
      }),
    ]);
  });
});
