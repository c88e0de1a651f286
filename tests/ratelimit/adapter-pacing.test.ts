/**
 * "Every adapter call in the sync engine goes through the limiter", checked against the five provider
 * sandboxes (demo mode): catalog discovery through the admin API, full syncs, a webhook-triggered fetch, the
 * retry after an expired token is refreshed, and an outbound push. For each provider, the number of turns the
 * limiter granted must equal the number of API requests its sandbox answered (token-endpoint requests are not
 * adapter calls and are left out). A call that skips the limiter makes the sandbox count run ahead. The
 * limiter is the real one; the test only counts the permits it hands out.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { startLocalHost, type LocalHost } from '../../hosts/local/local-host';
import { testEnv, TEST_ADMIN_KEY } from '../support/test-services';
import { QUEUES } from '../../shared/stores/queue/queues';
import { SANDBOX_OAUTH_PATHS } from '../../shared/credentials/connect/providers';
import { PROVIDER_IDS, type ProviderId } from '../../shared/core/providers';
import { issueId } from '../../shared/adapters/github/ids';
import { isPullRequestIndex } from '../../dev/sandboxes/github/data';
import type { RunningSandbox } from '../../dev/sandboxes';
import { eventually } from '../support/eventually';

jest.setTimeout(180_000);

const ROOT = join(__dirname, '..', '..');
let host: LocalHost;
const granted: Partial<Record<ProviderId, number>> = {};

beforeAll(async () => {
  host = await startLocalHost({
    env: testEnv({ DEMO_MODE: 'true', DEMO_RECORDS: '6', SYNC_PAGE_SIZE: '25' }),
    useProcessEnv: false,
    timers: false,
  });
  const limiter = host.services.rateLimiter;
  const acquire = limiter.acquire.bind(limiter);
  limiter.acquire = async (target, options) => {
    const permit = await acquire(target, options);
    granted[target.provider] = (granted[target.provider] ?? 0) + 1;
    return permit;
  };
  // Syncs run only when a test asks for them.
  for (const integration of host.demo!.integrations) {
    const stored = (await host.services.integrations.get('demo', integration.id))!;
    await host.services.integrations.replace({ ...stored, nextSyncAt: '2099-01-01T00:00:00.000Z' });
  }
  for (const sandbox of host.demo!.sandboxes) sandbox.control.resetCalls();
});
afterAll(async () => host?.stop());

type JsonResponse = Omit<Response, 'json'> & { json(): Promise<any> };
function api(path: string, init: RequestInit & { headers?: Record<string, string> } = {}): Promise<JsonResponse> {
  return fetch(`${host.url}/api/admin/${path}`, {
    ...init,
    headers: { 'x-api-key': TEST_ADMIN_KEY, 'content-type': 'application/json', ...init.headers },
  });
}

async function sync(integrationId: string, mode: 'full' | 'incremental'): Promise<any> {
  const started = await api(`tenants/demo/integrations/${integrationId}/sync`, {
    method: 'POST',
    body: JSON.stringify({ mode }),
  });
  expect(started.status).toBe(202);
  const { runId } = await started.json();
  return eventually(
    async () => {
      const run = await (await api(`tenants/demo/integrations/${integrationId}/runs/${runId}`)).json();
      return run.status === 'succeeded' || run.status === 'failed' ? run : undefined;
    },
    `run ${runId} of ${integrationId}`,
    60_000,
  );
}

const sandbox = (provider: ProviderId): RunningSandbox =>
  host.demo!.sandboxes.find((candidate) => candidate.provider === provider)!;

/** API requests the sandbox answered: every route but the OAuth authorize and token endpoints. */
function apiCalls(provider: ProviderId): number {
  const oauth = Object.values(SANDBOX_OAUTH_PATHS[provider]);
  const byRoute = sandbox(provider).control.calls().byRoute;
  return Object.entries(byRoute).reduce(
    (sum, [route, count]) => (oauth.some((path) => route.endsWith(` ${path}`)) ? sum : sum + count),
    0,
  );
}

const tally = (): Record<string, { granted: number; apiCalls: number }> =>
  Object.fromEntries(
    PROVIDER_IDS.map((provider) => [provider, { granted: granted[provider] ?? 0, apiCalls: apiCalls(provider) }]),
  );

const queuesIdle = (): boolean =>
  [QUEUES.syncInbound.name, QUEUES.syncOutbound.name].every((queue) => host.services.embeddedQueue!.depth(queue) === 0);

describe('every adapter call goes through the rate limiter', () => {
  it('discovery, inbound syncs, a webhook fetch, a token refresh and a push: one granted turn per provider request', async () => {
    const integrations = await Promise.all(
      host.demo!.integrations.map(
        async (integration) => (await host.services.integrations.get('demo', integration.id))!,
      ),
    );
    for (const integration of integrations) {
      // Storing a conversion schema reads the provider's catalog first (whatever the schema says).
      const entity = integration.entities[0]!;
      const put = await api(`tenants/demo/integrations/${integration.id}/mappings/${entity}`, {
        method: 'PUT',
        body: JSON.stringify({ provider: integration.provider, entity, shardType: 'paced', fields: {} }),
      });
      expect([200, 400]).toContain(put.status);
      expect((await sync(integration.id, 'full')).status).toBe('succeeded');
    }

    // An expired access token: the first request gets 401, the token is refreshed, the request is sent again.
    const github = sandbox('github').control;
    const unauthorizedBefore = github.calls().byStatus['401'] ?? 0;
    github.expireAccessTokens();
    expect((await sync('demo-github', 'incremental')).status).toBe('succeeded');
    expect(github.calls().byStatus['401'] ?? 0).toBeGreaterThan(unauthorizedBefore);

    // A provider-side edit announced by webhook: the engine fetches the record it names.
    const number = Array.from({ length: 6 }, (_, index) => index).find((index) => !isPullRequestIndex(index))! + 1;
    github.records.update('issues', issueId('acme/widgets', number), { title: 'Changed at the provider' });
    await github.flushWebhooks();
    await eventually(
      async () => {
        const runs: any[] = (await (await api('tenants/demo/integrations/demo-github/runs')).json()).items;
        return runs.some((run) => run.trigger === 'webhook' && run.status === 'succeeded') ? true : undefined;
      },
      'the webhook-triggered fetch',
      60_000,
    );

    // A local edit pushed to the provider.
    expect(
      (
        await api('tenants/demo/integrations/demo-github', {
          method: 'PATCH',
          body: JSON.stringify({ direction: 'bidirectional' }),
        })
      ).status,
    ).toBe(200);
    const [state] = (await host.services.syncState.unseenSince('demo-github', 'issues', 'none', 1)).unseen;
    const current = await api(`tenants/demo/shards/${state!.shardId}`);
    const edited = await api(`tenants/demo/shards/${state!.shardId}`, {
      method: 'PATCH',
      headers: { 'if-match': current.headers.get('etag')! },
      body: JSON.stringify({ data: { title: 'Edited on the platform' } }),
    });
    expect(edited.status).toBe(200);
    const patchesBefore = github.calls().byRoute['PATCH /repos/:owner/:repo/issues/:number'] ?? 0;
    await host.triggers.fire('SyncScheduler');
    await eventually(
      () =>
        (github.calls().byRoute['PATCH /repos/:owner/:repo/issues/:number'] ?? 0) > patchesBefore ? true : undefined,
      'the push',
      60_000,
    );
    await github.flushWebhooks();

    // Every sandbox saw requests, and the counts meet once the queues (and the push's webhook echo) are done.
    await eventually(
      () =>
        queuesIdle() && PROVIDER_IDS.every((provider) => apiCalls(provider) === (granted[provider] ?? 0))
          ? true
          : undefined,
      'paced calls to match provider requests',
      30_000,
    ).catch(() => undefined);
    const counts = tally();
    for (const provider of PROVIDER_IDS) expect(counts[provider]!.apiCalls).toBeGreaterThan(0);
    expect(counts).toEqual(
      Object.fromEntries(
        PROVIDER_IDS.map((provider) => [
          provider,
          { granted: counts[provider]!.apiCalls, apiCalls: counts[provider]!.apiCalls },
        ]),
      ),
    );
  });

  it('adapters are created only by shared/sync/adapter-factory.ts, which paces each of them', () => {
    const offenders: string[] = [];
    const visit = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) {
          visit(path);
          continue;
        }
        const file = relative(ROOT, path).split('\\').join('/');
        if (
          !file.endsWith('.ts') ||
          file.endsWith('.test.ts') ||
          file.startsWith('shared/adapters/') ||
          file.startsWith('dev/sandboxes/')
        )
          continue;
        if (file === 'shared/sync/adapter-factory.ts') continue;
        // The registry's create/get or a provider's factory used directly would build an adapter without the hooks.
        if (/\badapters\.(create|get)\(|\b[a-z]+AdapterFactory\b/.test(readFileSync(path, 'utf8')))
          offenders.push(file);
      }
    };
    for (const dir of ['shared', 'functions']) visit(join(ROOT, dir));
    expect(offenders).toEqual([]);
  });
});
