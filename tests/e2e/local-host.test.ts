/**
 * End to end through the local host's real HTTP routes: health, create an integration, trigger a sync, and
 * watch the run go queue → SyncInboundWorker → run document, readable through the runs endpoint.
 */
import { startLocalHost, type LocalHost } from '../../hosts/local/local-host';
import { testEnv, TEST_ADMIN_KEY } from '../support/test-services';
import { createMemoryLogger } from '../../shared/platform/observability/logger';
import { eventually } from '../support/eventually';

let host: LocalHost;
const { logger, lines } = createMemoryLogger();
beforeAll(async () => {
  host = await startLocalHost({
    env: testEnv({ QUEUE_MAX_DELIVERY_COUNT: '2' }),
    useProcessEnv: false,
    timers: false,
    overrides: { logger },
  });
});
afterAll(async () => host.stop());

/** Test responses are read as loose JSON. */
type JsonResponse = Omit<Response, 'json'> & { json(): Promise<any> };
const api = (path: string, init: RequestInit = {}): Promise<JsonResponse> =>
  fetch(`${host.url}/api/${path}`, {
    ...init,
    headers: {
      'x-api-key': TEST_ADMIN_KEY,
      'content-type': 'application/json',
      ...(init.headers as Record<string, string>),
    },
  });

describe('local host', () => {
  it('serves health', async () => {
    const response: JsonResponse = await fetch(`${host.url}/api/health`);
    expect(response.status).toBe(200);
    expect((await response.json()).status).toBe('ok');
  });

  it('answers 404 JSON for an unknown route', async () => {
    const response: JsonResponse = await fetch(`${host.url}/api/nowhere`);
    expect(response.status).toBe(404);
    expect((await response.json()).error.code).toBe('not_found');
  });

  it('runs a manual sync through the queue and the inbound worker to a run document', async () => {
    const created = await (
      await api('admin/tenants/e2e/integrations', {
        method: 'POST',
        body: JSON.stringify({ provider: 'github', name: 'e2e', providerOptions: { repositories: ['acme/widgets'] } }),
      })
    ).json();
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const sync = await api(`admin/tenants/e2e/integrations/${created.id}/sync`, {
      method: 'POST',
      body: JSON.stringify({ mode: 'incremental' }),
      headers: { traceparent },
    });
    expect(sync.status).toBe(202);
    const { runId } = await sync.json();
    const run = await eventually(
      async () => {
        const { items } = await (await api(`admin/tenants/e2e/integrations/${created.id}/runs`)).json();
        const found = items.find(
          (item: { id: string; status: string }) =>
            item.id === runId && item.status !== 'queued' && item.status !== 'running',
        );
        return found;
      },
      'the run to finish',
      10_000,
    );
    // Not connected (no credential): the run fails and says why, it does not pretend to succeed.
    expect(run).toMatchObject({
      id: runId,
      status: 'failed',
      lastError: { code: 'not_found', target: 'credential' },
    });
    expect(run.traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(
      lines.some((line) => line.includes('0af7651916cd43dd8448eb211c80319c') && line.includes('SyncInboundWorker')),
    ).toBe(true);
    const events = host.services.eventLog!.list('e2e', { integrationId: created.id });
    // Its health turning to failing is announced too, once the run's end is seen (integration-health tests).
    expect(events.every((event) => ['sync.run_failed', 'integration.health_changed'].includes(event.type))).toBe(true);
    expect(events.filter((event) => event.type === 'sync.run_failed')).toEqual([
      expect.objectContaining({
        type: 'sync.run_failed',
        severity: 'error',
        traceId: '0af7651916cd43dd8448eb211c80319c',
        data: expect.objectContaining({ runId, errorCode: 'not_found' }),
      }),
    ]);
  });

  it('runs the scheduler timer: a due integration gets a scheduled run', async () => {
    const created = await (
      await api('admin/tenants/e2e/integrations', {
        method: 'POST',
        body: JSON.stringify({
          provider: 'notion',
          name: 'due now',
          providerOptions: { dataSourceId: '0f3c2f3e-5a1b-4c2d-9e8f-123456789abc' },
        }),
      })
    ).json();
    await host.triggers.fire('SyncScheduler');
    const run = await eventually(
      async () => {
        const { items } = await (await api(`admin/tenants/e2e/integrations/${created.id}/runs`)).json();
        return items.find((item: { trigger: string }) => item.trigger === 'schedule');
      },
      'a scheduled run',
      10_000,
    );
    expect(run).toMatchObject({ mode: 'incremental', trigger: 'schedule' });
  });

  it('lists a dead-lettered page of the integration with its reason, and re-drives it', async () => {
    const created = await (
      await api('admin/tenants/e2e/integrations', {
        method: 'POST',
        body: JSON.stringify({ provider: 'slack', name: 'dlq', providerOptions: { channels: ['C0123456'] } }),
      })
    ).json();
    // A page message that can never be handled: it is delivered twice, then dead-lettered with its reason.
    await host.services.queue.send('sync-inbound', [
      {
        messageId: 'broken-page',
        sessionId: created.id,
        body: { kind: 'sync-page', tenantId: 'e2e', integrationId: created.id },
      },
    ]);
    const letters = await eventually(
      async () => {
        const { items } = await (await api(`admin/tenants/e2e/integrations/${created.id}/dead-letters`)).json();
        return items.length ? items : undefined;
      },
      'the dead letter',
      10_000,
    );
    expect(letters).toEqual([
      expect.objectContaining({ messageId: 'broken-page', reason: 'MaxDeliveryCountExceeded', deliveryCount: 2 }),
    ]);
    expect(letters[0].description).toContain('malformed sync-inbound message');
    expect((await api(`admin/tenants/other/integrations/${created.id}/dead-letters`)).status).toBe(404);
    expect(
      (await api(`admin/tenants/e2e/integrations/${created.id}/dead-letters/nope/redrive`, { method: 'POST' })).status,
    ).toBe(404);
    // Another integration of the tenant cannot re-drive it: the adapter checks the letter before taking it.
    const other = await (
      await api('admin/tenants/e2e/integrations', {
        method: 'POST',
        body: JSON.stringify({ provider: 'slack', name: 'not the owner', providerOptions: { channels: ['C0123456'] } }),
      })
    ).json();
    expect(
      (await api(`admin/tenants/e2e/integrations/${other.id}/dead-letters/broken-page/redrive`, { method: 'POST' }))
        .status,
    ).toBe(404);
    expect(host.services.embeddedQueue!.deadLetters('sync-inbound').map((letter) => letter.messageId)).toContain(
      'broken-page',
    );
    const redrive = await api(`admin/tenants/e2e/integrations/${created.id}/dead-letters/broken-page/redrive`, {
      method: 'POST',
    });
    expect(redrive.status).toBe(202);
    // Re-driven, it is delivered afresh (and, still broken, dead-lettered again after two deliveries).
    await eventually(
      async () =>
        host.services.embeddedQueue!.deadLetters('sync-inbound').some((letter) => letter.messageId === 'broken-page')
          ? true
          : undefined,
      'the dead letter again',
      10_000,
    );
  });
});
