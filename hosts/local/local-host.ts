/**
 * The local host (`npm start`): the same function definitions as in Azure, bound to an HTTP server on PORT,
 * NCRONTAB timers and the embedded queue. Starts the embedded services it needs (cosmosdb-server, Azurite)
 * unless real endpoints are configured. Tests and benchmarks start it the same way.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Server } from 'node:http';
import { FUNCTIONS } from '../../functions/manifest';
import type { HttpFunction, QueueFunction, TimerFunction } from '../../functions/definition';
import { loadSettings, parseSettings, type Settings } from '../../shared/config/settings';
import { createServices, type AppServices, type ServiceOverrides } from '../../shared/app/services';
import { startEmbeddedAzurite, startEmbeddedCosmos, type RunningService } from './embedded-services';
import { closeServer, createHttpHost } from './http-host';
import { redisServerAvailable, startEmbeddedRedis } from './embedded-redis';
import { startHttpWorkers, type HttpWorkers } from './workers/http-workers';
import { AppError } from '../../shared/core/app-error';
import { startTriggerHost, type TriggerHost } from './trigger-host';
import { startDemo, type DemoEnvironment } from './demo';
import { clearLocalData, localDataLayout, openQueueJournal } from './local-data';

export interface LocalHost {
  url: string;
  settings: Settings;
  services: AppServices;
  triggers: TriggerHost;
  /** Demo mode: the running sandboxes and the demo tenant's integrations. */
  demo?: DemoEnvironment;
  /** LOCAL_WORKERS > 1: the worker processes (HTTP functions and queue-triggered invocations). */
  workers?: HttpWorkers;
  /** Set when the admin key was generated locally: where to read it. */
  adminKeyFile?: string;
  /** Drain in-flight work, close everything, stop embedded services. */
  stop(): Promise<void>;
}

export interface LocalHostOptions {
  /** Settings on top of the environment (tests pass everything here). */
  env?: Record<string, string | undefined>;
  /** Read the process environment too (npm start); tests pass false. */
  useProcessEnv?: boolean;
  overrides?: ServiceOverrides;
  /** Start timers on their schedules (default true); tests fire them by hand instead. */
  timers?: boolean;
  /**
   * Keep what is created (documents, blobs, queue) under LOCAL_DATA_DIR/data across restarts (npm start); tests
   * leave it off and get memory-only services. `fresh` deletes what a previous run kept first.
   */
  persist?: { fresh?: boolean };
}

/** Local runs without ADMIN_API_KEY get one generated once into LOCAL_DATA_DIR (0600), never printed. */
function localAdminKey(dataDir: string): string {
  const file = join(dataDir, 'admin-api-key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(24).toString('base64url');
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return key;
}

export async function startLocalHost(options: LocalHostOptions = {}): Promise<LocalHost> {
  const read = (env: Record<string, string | undefined>) =>
    options.useProcessEnv === false ? parseSettings(env) : loadSettings(env);
  const env = { ...options.env };
  // Validate what was given before starting anything, so a bad setting fails fast with its name.
  let settings = read(env);
  if (settings.queue.kind !== 'embedded')
    throw new Error(
      'the local host runs queue triggers on the embedded queue; unset ServiceBusConnection settings to use it',
    );
  const embedded: RunningService[] = [];
  if (options.persist?.fresh) clearLocalData(settings.localDataDir);
  const layout = options.persist ? localDataLayout(settings.localDataDir) : undefined;
  try {
    if (!settings.cosmos.endpoint) embedded.push(await startEmbeddedCosmos({ dataDir: layout?.cosmos }));
    if (!settings.blob.connectionString && !settings.blob.accountUrl)
      embedded.push(await startEmbeddedAzurite({ dataDir: layout?.azurite }));
    if (settings.localWorkers > 1 && !settings.redis.url) embedded.push(await redisForWorkers(settings.localWorkers));
    for (const service of embedded) Object.assign(env, service.settings);
    let adminKeyFile: string | undefined;
    if (settings.adminAuth.mode === 'api_key' && !settings.adminAuth.apiKey) {
      env.ADMIN_API_KEY = localAdminKey(settings.localDataDir);
      adminKeyFile = join(settings.localDataDir, 'admin-api-key');
    }
    settings = read(env);

    const services = await createServices(settings, {
      ...options.overrides,
      ...(layout ? { queueJournal: openQueueJournal(layout) } : {}),
    });
    // One worker: HTTP and queue invocations in this process. More: worker processes on one shared port, which
    // also run the queue invocations this process dispatches to them (workers/http-workers.ts).
    const workers =
      settings.localWorkers > 1
        ? await startHttpWorkers({
            count: settings.localWorkers,
            env,
            useProcessEnv: options.useProcessEnv !== false,
            port: settings.port,
            services,
          })
        : undefined;
    const http = workers ? undefined : await listen(services, settings.port);
    const port = workers?.port ?? (http!.address() as { port: number }).port;
    const url = `http://127.0.0.1:${port}`;
    const triggers = startTriggerHost(
      {
        timers: FUNCTIONS.filter((f): f is TimerFunction => f.trigger === 'timer'),
        queues: FUNCTIONS.filter((f): f is QueueFunction => f.trigger === 'serviceBusQueue'),
        queue: services.embeddedQueue!,
        scheduleTimers: options.timers !== false,
        invoker: workers?.invoker,
      },
      services,
    );
    const demo = settings.demo.enabled ? await startDemo(services, url, settings.demo.records) : undefined;
    return {
      url,
      demo,
      settings,
      services,
      triggers,
      workers,
      adminKeyFile,
      stop: async () => {
        if (http) await closeServer(http);
        // Triggers first: no message is taken any more, and the invocations dispatched to workers finish. Then
        // the workers: their last writes still reach the queue and the secret store in this process.
        await triggers.stop();
        await workers?.stop();
        await demo?.stop();
        await services.close();
        await Promise.all(embedded.map((service) => service.stop()));
      },
    };
  } catch (error) {
    await Promise.all(embedded.map((service) => service.stop()));
    throw error;
  }
}

async function listen(services: AppServices, port: number): Promise<Server> {
  const http = createHttpHost(
    FUNCTIONS.filter((f): f is HttpFunction => f.trigger === 'http'),
    services,
  );
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(port, '127.0.0.1', () => resolve());
  });
  return http;
}

/** Several workers must share delivery claims, rate limits and locks: a Redis, started here when none is set. */
async function redisForWorkers(workers: number): Promise<RunningService> {
  if (!redisServerAvailable())
    throw new AppError(
      'configuration',
      `LOCAL_WORKERS=${workers} needs a Redis shared by the workers: set REDIS_URL, or install redis-server (Debian/Ubuntu: apt-get install -y redis-server) so the host starts one`,
      { target: 'LOCAL_WORKERS' },
    );
  return startEmbeddedRedis();
}
