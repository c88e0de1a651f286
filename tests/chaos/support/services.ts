/**
 * The chaos environment: Cosmos stand-in, redis-server, Azurite, the GitHub sandbox and the local host, each a
 * separate process owned by the runner on a fixed loopback port, so any one can be killed and started again at
 * the same address while the others (and their data) live on. The host is the real `npm start` entry
 * (hosts/local/main.ts under tsx) pointed at the others through its settings.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitForPort } from '../../../hosts/local/free-port';
import { sleep, spawnOwned, until, type Owned } from './processes';

const ROOT = join(__dirname, '../../..');
const TSX = ['--require', 'tsx/cjs'];
/** The well-known Azurite development account (public, documented, local only). */
const AZURITE_ACCOUNT = 'devstoreaccount1';
const AZURITE_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
const START_TIMEOUT_MS = 60_000;

export interface ChaosEnv {
  ports: { host: number; cosmos: number; redis: number; blob: number; queue: number; table: number; sandbox: number };
  adminKey: string;
  hostUrl: string;
  sandboxUrl: string;
  cosmos: { endpoint: string; key: string; database: string };
  /** Settings the host is started with (the scenario may add some). */
  hostSettings: Record<string, string>;
  processes: { cosmos?: Owned; redis?: Owned; azurite?: Owned; sandbox?: Owned; host?: Owned };
  dataDir: string;
}

export async function newEnv(extraHostSettings: Record<string, string> = {}): Promise<ChaosEnv> {
  const ports = {
    host: await freePort(),
    cosmos: await freePort(),
    redis: await freePort(),
    blob: await freePort(),
    queue: await freePort(),
    table: await freePort(),
    sandbox: await freePort(),
  };
  const adminKey = `chaos-${randomBytes(16).toString('hex')}`;
  const cosmos = {
    endpoint: `https://127.0.0.1:${ports.cosmos}`,
    key: Buffer.from('local-cosmosdb-server').toString('base64'),
    database: `chaos${randomBytes(4).toString('hex')}`,
  };
  const dataDir = mkdtempSync(join(tmpdir(), 'ise-chaos-'));
  const blob = `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};BlobEndpoint=http://127.0.0.1:${ports.blob}/${AZURITE_ACCOUNT};QueueEndpoint=http://127.0.0.1:${ports.queue}/${AZURITE_ACCOUNT};TableEndpoint=http://127.0.0.1:${ports.table}/${AZURITE_ACCOUNT};`;
  const hostSettings: Record<string, string> = {
    PORT: String(ports.host),
    LOCAL_DATA_DIR: dataDir,
    ADMIN_API_KEY: adminKey,
    DEMO_MODE: 'false',
    COSMOS_ENDPOINT: cosmos.endpoint,
    COSMOS_KEY: cosmos.key,
    COSMOS_DATABASE: cosmos.database,
    COSMOS_ALLOW_SELF_SIGNED_LOCAL: 'true',
    REDIS_URL: `redis://127.0.0.1:${ports.redis}`,
    BLOB_CONNECTION_STRING: blob,
    OUTBOUND_ALLOW_LOOPBACK: 'true',
    LOG_LEVEL: 'warn',
    LOG_FORMAT: 'json',
    // The scheduler (and the stale-run sweeper it runs) ticks every 5 s instead of every minute.
    SYNC_SCHEDULE: '*/5 * * * * *',
    SYNC_STALE_RUN_MINUTES: '1',
    ...extraHostSettings,
  };
  return {
    ports,
    adminKey,
    hostUrl: `http://127.0.0.1:${ports.host}`,
    sandboxUrl: `http://127.0.0.1:${ports.sandbox}`,
    cosmos,
    hostSettings,
    processes: {},
    dataDir,
  };
}

export async function startCosmos(env: ChaosEnv): Promise<void> {
  const child = spawnOwned(
    'cosmos',
    process.execPath,
    [...TSX, join(__dirname, 'cosmos-process.ts'), String(env.ports.cosmos)],
    { cwd: ROOT, ipc: true },
  );
  env.processes.cosmos = child;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`cosmos stand-in did not start: ${child.tail()}`)),
      START_TIMEOUT_MS,
    );
    child.child.once('exit', () => reject(new Error(`cosmos stand-in exited: ${child.tail()}`)));
    child.child.on(
      'message',
      (message: { type: string }) => message.type === 'ready' && (clearTimeout(timer), resolve()),
    );
  });
}

/** Cuts the Cosmos endpoint (connections and listener) or brings it back, data kept. */
export async function cosmosEndpoint(env: ChaosEnv, state: 'pause' | 'resume'): Promise<void> {
  const child = env.processes.cosmos!.child;
  const answer = state === 'pause' ? 'paused' : 'resumed';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`cosmos stand-in did not ${state}`)), 10_000);
    const onMessage = (message: { type: string }) => {
      if (message.type !== answer) return;
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve();
    };
    child.on('message', onMessage);
    child.send({ type: state });
  });
}

export async function startRedis(env: ChaosEnv): Promise<void> {
  env.processes.redis = spawnOwned(
    'redis',
    'redis-server',
    ['--port', String(env.ports.redis), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { cwd: env.dataDir },
  );
  await waitForPort(env.ports.redis, 10_000);
}

export async function startAzurite(env: ChaosEnv): Promise<void> {
  const workDir = mkdtempSync(join(env.dataDir, 'azurite-'));
  const { ports } = env;
  env.processes.azurite = spawnOwned(
    'azurite',
    process.execPath,
    [
      require.resolve('azurite/dist/src/azurite.js'),
      '--inMemoryPersistence',
      '--silent',
      '--skipApiVersionCheck',
      '--disableTelemetry',
      '--loose',
      '--blobHost',
      '127.0.0.1',
      '--blobPort',
      String(ports.blob),
      '--queueHost',
      '127.0.0.1',
      '--queuePort',
      String(ports.queue),
      '--tableHost',
      '127.0.0.1',
      '--tablePort',
      String(ports.table),
    ],
    { cwd: workDir },
  );
  await waitForPort(ports.blob, 20_000);
}

export async function startSandbox(env: ChaosEnv, records: number): Promise<void> {
  const options = { port: env.ports.sandbox, records, seed: 7, extra: { comments: 0, rateLimitPerHour: 1_000_000 } };
  env.processes.sandbox = spawnOwned(
    'sandbox',
    process.execPath,
    [...TSX, join(__dirname, 'sandbox-process.ts'), JSON.stringify(options)],
    { cwd: ROOT },
  );
  const ready = await until(
    async () => (env.processes.sandbox!.tail().includes('"ready"') ? true : undefined),
    START_TIMEOUT_MS,
    200,
  );
  if (!ready) throw new Error(`sandbox did not start: ${env.processes.sandbox.tail()}`);
}

/** Starts the host (again) with the env's settings and waits until its HTTP side answers (any status: health is 503 while a dependency is down). */
export async function startHost(env: ChaosEnv): Promise<void> {
  const settings = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env.hostSettings };
  const host = spawnOwned(
    'host',
    process.execPath,
    ['--heap-growing-percent=50', '--max-old-space-size=1024', ...TSX, 'hosts/local/main.ts'],
    { cwd: ROOT, env: settings },
  );
  env.processes.host = host;
  const ready = await until(
    async () => {
      if (host.exited()) throw new Error('exited');
      const status = await fetch(`${env.hostUrl}/api/health`, { signal: AbortSignal.timeout(2000) }).then(
        (response) => response.status,
        () => 0,
      );
      return status > 0 ? true : undefined;
    },
    START_TIMEOUT_MS,
    200,
  );
  if (!ready) throw new Error(`host did not start: ${host.tail()}`);
}

/** Everything a scenario needs, started in order (the host last). */
export async function startAll(env: ChaosEnv, records: number): Promise<void> {
  await Promise.all([startCosmos(env), startRedis(env), startAzurite(env), startSandbox(env, records)]);
  await startHost(env);
}

export async function stopEnv(env: ChaosEnv): Promise<void> {
  const order = ['host', 'sandbox', 'azurite', 'redis', 'cosmos'] as const;
  for (const name of order) await env.processes[name]?.kill('SIGTERM', 5000).catch(() => undefined);
  await sleep(100);
  rmSync(env.dataDir, { recursive: true, force: true });
}
