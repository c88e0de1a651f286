/**
 * What the run-control tests share: the admin API called as the Functions host calls it, the embedded queue's
 * sync pages delivered to SyncInboundWorker's handler with the real page pipeline, and integrations whose API
 * credential is a token the provider sandbox issued.
 */
import { adminApi } from '../../functions/AdminApi';
import type { RunningSandbox } from '../../dev/sandboxes';
import { credentialRef } from '../../shared/app/integration-credentials';
import { newIntegration, type CreateIntegrationBody } from '../../shared/core/integration';
import type { SyncJobMessage } from '../../shared/core/sync-run';
import { QUEUES } from '../../shared/stores/queue/queues';
import { handleInboundJob } from '../../shared/sync/inbound/job';
import { inboundPipeline } from '../../shared/sync/inbound/wiring';
import { bodyOf, httpRequest, invocation } from '../support/invoke';
import { TEST_ADMIN_KEY, type TestServices } from '../support/test-services';

export function adminOf(t: TestServices) {
  return async <T = any>(method: string, path: string, body?: unknown) => {
    const [route] = path.split('?');
    const response = await adminApi.handler(
      httpRequest(method, `admin/${path}`, {
        body,
        headers: { 'x-api-key': TEST_ADMIN_KEY },
        params: { path: route! },
      }),
      invocation('AdminApi'),
      t.services,
    );
    return { status: response.status ?? 200, body: bodyOf(response) as T };
  };
}

/** Takes the waiting sync pages off the embedded queue (nothing else consumes it in these tests). */
export function takeQueued(t: TestServices): SyncJobMessage[] {
  const jobs: SyncJobMessage[] = [];
  const queue = t.services.embeddedQueue!;
  for (let m = queue.receive(QUEUES.syncInbound.name); m; m = queue.receive(QUEUES.syncInbound.name)) {
    jobs.push(m.body as SyncJobMessage);
    queue.complete(QUEUES.syncInbound.name, m.lockToken);
  }
  return jobs;
}

export function deliver(t: TestServices, job: SyncJobMessage) {
  return handleInboundJob(
    t.services,
    job,
    { messageId: `${job.runId}:${job.page}`, deliveryCount: 1, applicationProperties: {} },
    inboundPipeline(t.services),
  );
}

/** Delivers every queued page, and the pages they enqueue, until none is left; answers the pages delivered. */
export async function drain(t: TestServices): Promise<SyncJobMessage[]> {
  const delivered: SyncJobMessage[] = [];
  for (let jobs = takeQueued(t); jobs.length > 0; jobs = takeQueued(t))
    for (const job of jobs) {
      await deliver(t, job);
      delivered.push(job);
    }
  return delivered;
}

/** An integration of `tenantId` pointing at the sandbox; `token` null: no credential. */
export async function sandboxIntegration(
  t: TestServices,
  tenantId: string,
  id: string,
  sandbox: RunningSandbox,
  body: Omit<CreateIntegrationBody, 'name' | 'baseUrl'>,
  token: string | null = sandbox.control.issueToken({ expiresInMs: 3600_000 }).accessToken,
) {
  const created = await t.services.integrations.create({
    ...newIntegration(tenantId, id, { ...body, name: id, baseUrl: sandbox.url }, { intervalMinutes: 60 }, new Date()),
    // Not due: the tests start every run themselves.
    nextSyncAt: '2099-01-01T00:00:00.000Z',
  });
  if (token) await t.services.credentials.service.put(credentialRef(created, 'api'), { type: 'bearer_token', token });
  return created;
}
