/**
 * `npm start` keeps what was created across a restart (LOCAL_DATA_DIR/data) and `--fresh` starts empty: the host
 * runs as a child process exactly as `npm start` runs it (through tsx), with demo mode on. What is checked after a
 * restart goes through the admin API only: the integration, its run with its counters, a shard, a webhook
 * delivery whose archived payload (a blob in Azurite) replays, and a message left in the queue.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHmac } from 'node:crypto';
import { freePort } from '../../hosts/local/free-port';

jest.setTimeout(240_000);

const ROOT = join(__dirname, '../..');

interface Running {
  child: ChildProcess;
  base: string;
  output: () => string;
}

async function start(dataDir: string, port: number, args: string[] = []): Promise<Running> {
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, PORT: String(port), LOCAL_DATA_DIR: dataDir };
  // One process (tsx as a loader, not its CLI, which would run the host in a child): kill -9 must hit the host.
  const child = spawn(process.execPath, ['--import', 'tsx', 'hosts/local/main.ts', ...args], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const started = Date.now();
  while (!output.includes('local host ready') && !output.includes('demo mode: tenant')) {
    if (child.exitCode !== null) throw new Error(`host exited: ${output}`);
    if (Date.now() - started > 90_000) throw new Error(`host did not start: ${output}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { child, base: `http://127.0.0.1:${port}/api`, output: () => output };
}

async function stop(running: Running, signal: NodeJS.Signals): Promise<number | null> {
  if (running.child.exitCode !== null) return running.child.exitCode;
  const exited = new Promise<number | null>((resolve) => running.child.once('exit', (code) => resolve(code)));
  running.child.kill(signal);
  return exited;
}

describe('local data across restarts', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ise-restart-'));
  let port: number;
  let running: Running | undefined;
  const key = () => readFileSync(join(dataDir, 'admin-api-key'), 'utf8').trim();
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${running!.base}/admin/tenants/acme${path}`, {
      ...init,
      headers: { 'x-api-key': key(), 'content-type': 'application/json', ...init.headers },
    });
  const demoApi = (path: string, init: RequestInit = {}) =>
    fetch(`${running!.base}/admin/tenants/demo${path}`, {
      ...init,
      headers: { 'x-api-key': key(), 'content-type': 'application/json', ...init.headers },
    });

  beforeAll(async () => {
    port = await freePort();
  });
  afterAll(async () => {
    if (running) await stop(running, 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  let integrationId: string;
  let shardId: string;
  let deliveryId: string;
  let runId: string;
  const SECRET = 'restart-test-webhook-secret';

  it('keeps integrations, runs, shards and archived webhooks across a clean stop (SIGTERM)', async () => {
    running = await start(dataDir, port);
    const created = await api('/integrations', {
      method: 'POST',
      body: JSON.stringify({
        provider: 'github',
        name: 'Kept across restarts',
        providerOptions: { repositories: ['acme/widgets'] },
        // Not due for a day: the scheduler leaves it alone, so its queue message below stays put.
        schedule: { intervalMinutes: 1440 },
      }),
    });
    expect(created.status).toBe(201);
    integrationId = ((await created.json()) as { id: string }).id;
    expect(
      (
        await api(`/integrations/${integrationId}/webhook-secret`, {
          method: 'PUT',
          body: JSON.stringify({ secret: SECRET }),
        })
      ).status,
    ).toBe(200);

    // A demo sync to its end.
    const sync = await demoApi('/integrations/demo-github/sync', {
      method: 'POST',
      body: JSON.stringify({ mode: 'full' }),
    });
    expect(sync.status).toBe(202);
    runId = ((await sync.json()) as { runId: string }).runId;
    let run: { status: string; counters?: Record<string, number> } = { status: 'queued' };
    const until = Date.now() + 60_000;
    while (!['succeeded', 'failed', 'partial'].includes(run.status) && Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      run = (await (await demoApi(`/integrations/demo-github/runs/${runId}`)).json()) as typeof run;
    }
    expect(run.status).toBe('succeeded');

    const shard = await api('/shards', {
      method: 'POST',
      body: JSON.stringify({ integrationId, shardType: 'github.issues', data: { title: 'kept' } }),
    });
    expect(shard.status).toBe(201);
    shardId = ((await shard.json()) as { id: string }).id;

    // A signed webhook: its payload is archived in Azurite, its receipt in Cosmos, its sync page queued.
    const body = JSON.stringify({
      action: 'edited',
      issue: { id: 4242, number: 42 },
      repository: { full_name: 'acme/widgets' },
    });
    const delivered = await fetch(`${running.base}/webhooks/github/${integrationId}`, {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/json',
        'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`,
        'x-github-delivery': 'restart-delivery-1',
        'x-github-event': 'issues',
      },
    });
    expect(delivered.status).toBeLessThan(300);
    const deliveries = (await (await api(`/integrations/${integrationId}/webhooks/deliveries`)).json()) as {
      items: { deliveryId: string; verdict: string }[];
    };
    deliveryId = deliveries.items[0]!.deliveryId;

    expect(await stop(running, 'SIGTERM')).toBe(0);
    running = await start(dataDir, port);

    const integration = await api(`/integrations/${integrationId}`);
    expect(integration.status).toBe(200);
    expect(((await integration.json()) as { name: string }).name).toBe('Kept across restarts');
    const keptRun = (await (await demoApi(`/integrations/demo-github/runs/${runId}`)).json()) as {
      status: string;
      counters: { created: number };
    };
    expect(keptRun.status).toBe('succeeded');
    expect(keptRun.counters.created).toBeGreaterThan(0);
    const keptShard = await api(`/shards/${shardId}`);
    expect(keptShard.status).toBe(200);
    expect(((await keptShard.json()) as { data: { title: string } }).data.title).toBe('kept');
    const kept = (await (await api(`/integrations/${integrationId}/webhooks/deliveries`)).json()) as {
      items: { deliveryId: string }[];
    };
    expect(kept.items.map((item) => item.deliveryId)).toContain(deliveryId);
    // Replay reads the archived payload from Azurite: a 202 means the blob survived.
    const replay = await api(`/integrations/${integrationId}/webhooks/${deliveryId}/replay`, { method: 'POST' });
    expect(replay.status).toBe(202);
  });

  it('keeps an integration created just before a kill -9', async () => {
    const created = await api('/integrations', {
      method: 'POST',
      body: JSON.stringify({
        provider: 'github',
        name: 'Created before the crash',
        providerOptions: { repositories: ['acme/widgets'] },
      }),
    });
    expect(created.status).toBe(201);
    const id = ((await created.json()) as { id: string }).id;
    await stop(running!, 'SIGKILL');
    running = await start(dataDir, port);
    const kept = await api(`/integrations/${id}`);
    expect(kept.status).toBe(200);
    expect((await api(`/integrations/${integrationId}`)).status).toBe(200);
  });

  it('starts empty with --fresh', async () => {
    expect(await stop(running!, 'SIGTERM')).toBe(0);
    running = await start(dataDir, port, ['--fresh']);
    expect(running.output()).toContain('started empty');
    expect((await api(`/integrations/${integrationId}`)).status).toBe(404);
    expect((await api(`/shards/${shardId}`)).status).toBe(404);
    const list = (await (await api('/integrations')).json()) as { items: unknown[] };
    expect(list.items).toHaveLength(0);
    // Demo mode seeds its integrations again, without their old runs.
    expect((await demoApi(`/integrations/demo-github/runs/${runId}`)).status).toBe(404);
    expect(await stop(running, 'SIGTERM')).toBe(0);
    running = undefined;
  });
});
