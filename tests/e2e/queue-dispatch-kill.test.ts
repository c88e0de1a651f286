/**
 * At-least-once through real worker processes (LOCAL_WORKERS=2, demo mode): the worker running a sync page is
 * killed with SIGKILL while the page waits on a slow provider answer. The host process sees the worker exit,
 * abandons the page's message at once (not when its 60 s lock expires), another worker runs the page again,
 * and the run ends with every record, none lost or doubled; the killed worker is replaced.
 */
import type { LocalHost } from '../../hosts/local/local-host';
import { TEST_ADMIN_KEY } from '../support/test-services';
import { eventually } from '../support/eventually';
import { startDemoHost } from './demo-sync.suite';
import { seededPullRequestCount } from '../../dev/sandboxes/github/data';

jest.setTimeout(180_000);

let host: LocalHost;
beforeAll(async () => {
  // Lock duration 60 s (the default): a redelivery within the test's bound comes from the worker's exit, not expiry.
  host = await startDemoHost(2);
});
afterAll(async () => host?.stop());

const api = (path: string, init: RequestInit = {}) =>
  fetch(`${host.url}/api/admin/${path}`, {
    ...init,
    headers: { 'x-api-key': TEST_ADMIN_KEY, 'content-type': 'application/json' },
  });

it('runs a page again in another worker when the worker running it is killed, and loses nothing', async () => {
  const github = host.demo!.sandboxes.find((sandbox) => sandbox.provider === 'github')!;
  const issues =
    github.control.records.count('issues') - seededPullRequestCount(github.control.records.count('issues'));
  const comments = github.control.records.count('issue_comments');
  // The first issues page is answered after 20 s: long enough to find its worker and kill it mid-message.
  github.control.injectFault({ kind: 'slow', delayMs: 20_000, method: 'GET', path: '/issues', count: 1 });
  const callsBefore = github.control.calls().total;

  const started = Date.now();
  const response = await api('tenants/demo/integrations/demo-github/sync', {
    method: 'POST',
    body: JSON.stringify({ mode: 'full' }),
  });
  expect(response.status).toBe(202);
  const { runId } = (await response.json()) as { runId: string };

  await eventually(() => (github.control.calls().total > callsBefore ? true : undefined), 'the slow page', 30_000, 20);
  const busy = await eventually(
    () => host.workers!.running().find((worker) => worker.inFlight > 0),
    'the worker running the page',
    10_000,
    20,
  );
  process.kill(busy.pid, 'SIGKILL');

  // Read from the store: a kept-alive connection to the killed worker would only answer ECONNRESET.
  const run = await eventually(
    async () => {
      const current = await host.services.runs.get('demo', 'demo-github', runId);
      return current?.status === 'succeeded' || current?.status === 'failed' ? current : undefined;
    },
    'the run to finish',
    60_000,
    100,
  );
  // Redelivered at once: well before the slow answer (20 s) or the message's lock (60 s) would have freed it.
  expect(Date.now() - started).toBeLessThan(20_000);
  expect(run.status).toBe('succeeded');
  expect(run.counters.created).toBe(issues + comments);
  expect(run.counters.errors).toBe(0);
  expect(await host.services.shards.count('demo', { shardType: 'github.issues' })).toBe(issues);
  expect(await host.services.shards.count('demo', { shardType: 'github.issue_comments' })).toBe(comments);

  const metrics = host.services.metrics;
  expect(metrics.get('queue_invocations', { function: 'SyncInboundWorker', ranIn: busy.name, outcome: 'failed' })).toBe(
    1,
  );
  expect(host.services.embeddedQueue!.deadLetters('sync-inbound')).toEqual([]);
  // The killed worker is replaced by a new process under the same name.
  const replaced = await eventually(
    () => host.workers!.running().find((worker) => worker.name === busy.name && worker.pid !== busy.pid),
    'the replacement worker',
    30_000,
    50,
  );
  expect(host.workers!.pids()).not.toContain(busy.pid);
  expect(replaced.pid).toBeGreaterThan(0);
});
