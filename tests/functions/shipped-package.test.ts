/**
 * The package as it ships: staged by infra/stage/stage-package.ts (what deploy.sh and azd deploy), then loaded
 * from its package.json `main` in a child process under a recording stand-in for @azure/functions-core (the
 * worker's module, not on npm; the only thing not real here). Registrations must match functions/manifest.ts
 * in api_key and entra mode; one bad setting must leave every function registered and answering why; every
 * require of the shipped dist/ must resolve inside the package, with neither the local host nor the sandboxes.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { stagePackage } from '../../infra/stage/stage-package';
import { FUNCTIONS } from '../../functions/manifest';
import { parseSettings } from '../../shared/config/settings';
import { SERVICE_BUS_CONNECTION } from '../../shared/stores/queue/queues';
import { requireSites, requiresOutside } from '../support/shipped-package/requires';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');
const SUPPORT = join(__dirname, '..', 'support', 'shipped-package');
const TENANT = '6f1c2d3e-4a5b-4c6d-8e7f-901234567890';
const KEY_VAULT_REFERENCE = '@Microsoft.KeyVault(SecretUri=https://x.vault.azure.net/secrets/redis)';

const BASE_ENV = {
  FUNCTIONS_WORKER_RUNTIME: 'node',
  ServiceBusConnection__fullyQualifiedNamespace: 'sb-test.servicebus.windows.net',
  SYNC_SCHEDULE: '0 */2 * * * *',
  NOTIFY_DIGEST_SCHEDULE: '0 30 7 * * *',
};
const API_KEY_ENV = { ...BASE_ENV, ADMIN_AUTH_MODE: 'api_key', ADMIN_API_KEY: 'k'.repeat(32) };
const ENTRA_ENV = {
  ...BASE_ENV,
  ADMIN_AUTH_MODE: 'entra',
  ENTRA_TENANT_ID: TENANT,
  ENTRA_ISSUER: `https://login.microsoftonline.com/${TENANT}/v2.0`,
  ENTRA_AUDIENCE: 'api://isync-shipped-package-test',
};

interface Binding {
  type: string;
  direction: string;
  [key: string]: unknown;
}
interface LoadReport {
  programmingModel?: string;
  registrations: Array<{ name: string; bindings: Record<string, Binding> }>;
  invocations?: Record<
    'health' | 'admin' | 'timer' | 'queue',
    { value?: { status: number; jsonBody: any }; error?: { message: string } }
  >;
}

let work: string;
let app: string;

/** Loads the staged `main` in a fresh Node process with exactly `env` as its environment. */
async function load(env: Record<string, string>, mode?: 'invoke'): Promise<{ report: LoadReport; stderr: string }> {
  const { stdout, stderr } = await run(process.execPath, [join(work, 'load-main.js'), app, ...(mode ? [mode] : [])], {
    cwd: work,
    env,
    timeout: 60_000,
  });
  return { report: JSON.parse(stdout.trim().split('\n').pop()!) as LoadReport, stderr };
}

/** One comparable row per function: the trigger binding's options that the host acts on. */
function triggerRows(report: LoadReport) {
  return report.registrations
    .map(({ name, bindings }) => {
      const trigger = Object.values(bindings).find(
        (binding) => binding.direction === 'in' && /Trigger$/.test(binding.type),
      )!;
      return {
        name,
        type: trigger.type,
        route: trigger.route,
        methods: trigger.methods,
        authLevel: trigger.authLevel,
        schedule: trigger.schedule,
        queueName: trigger.queueName,
        connection: trigger.connection,
        isSessionsEnabled: trigger.isSessionsEnabled,
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** What functions/manifest.ts says the host must see, with the given settings. */
function expectedRows(env: Record<string, string>) {
  const settings = parseSettings(env);
  return FUNCTIONS.filter((definition) => !(definition.trigger === 'http' && definition.localOnly))
    .map((definition) => {
      const row = {
        name: definition.name,
        type: '',
        route: undefined as unknown,
        methods: undefined as unknown,
        authLevel: undefined as unknown,
        schedule: undefined as unknown,
        queueName: undefined as unknown,
        connection: undefined as unknown,
        isSessionsEnabled: undefined as unknown,
      };
      if (definition.trigger === 'http')
        Object.assign(row, {
          type: 'httpTrigger',
          route: definition.route,
          methods: definition.methods,
          authLevel: 'anonymous',
        });
      if (definition.trigger === 'timer')
        Object.assign(row, { type: 'timerTrigger', schedule: definition.schedule(settings) });
      if (definition.trigger === 'serviceBusQueue') {
        Object.assign(row, {
          type: 'serviceBusTrigger',
          queueName: definition.queueName,
          connection: SERVICE_BUS_CONNECTION,
          isSessionsEnabled: definition.isSessionsEnabled,
        });
      }
      return row;
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

beforeAll(() => {
  // Outside the repository, so Node cannot fall back on the repository's node_modules.
  work = mkdtempSync(join(tmpdir(), 'ise-shipped-'));
  app = join(work, 'app');
  stagePackage({ root: ROOT, dest: app, nodeModulesCache: join(ROOT, '.local', 'stage-cache') });
  const core = join(work, 'node_modules', '@azure', 'functions-core');
  mkdirSync(core, { recursive: true });
  copyFileSync(join(SUPPORT, 'functions-core-recorder.js'), join(core, 'index.js'));
  writeFileSync(
    join(core, 'package.json'),
    JSON.stringify({ name: '@azure/functions-core', version: '0.0.0-recorder', main: 'index.js' }),
  );
  copyFileSync(join(SUPPORT, 'load-main.js'), join(work, 'load-main.js'));
  // Compiling takes most of it (about a minute here when other work shares the two cores).
}, 300_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the staged package', () => {
  it('holds the compiled app, the built admin UI and the host files, without the local host, the sandboxes or tests', () => {
    for (const file of [
      'host.json',
      'package.json',
      'package-lock.json',
      'dist/functions/index.js',
      'dist/admin-ui/index.html',
    ])
      expect(existsSync(join(app, file))).toBe(true);
    for (const absent of [
      'dist/hosts/local',
      'dist/dev/sandboxes',
      'dist/tests',
      'local.settings.json',
      'node_modules/azurite',
      'node_modules/@vercel/cosmosdb-server',
      'node_modules/jest',
    ]) {
      expect([absent, existsSync(join(app, absent))]).toEqual([absent, false]);
    }
    expect(JSON.parse(readFileSync(join(app, 'package.json'), 'utf8')).main).toBe('dist/functions/index.js');
  });

  it('resolves every require of dist/ inside the package (jose included), never into the local host or the sandboxes', () => {
    const sites = requireSites(app);
    expect(requiresOutside(app, sites)).toEqual([]);
    expect(
      sites.filter((site) => /[\\/]dist[\\/]shared[\\/](local-host|sandboxes)[\\/]/.test(site.resolved ?? '')),
    ).toEqual([]);
    // Entra mode loads jose lazily (import() compiled to require): the walk must see it, and it must ship.
    expect(sites.find((site) => site.specifier === 'jose')?.resolved).toContain(join(app, 'node_modules', 'jose'));
  });

  it('loads every production dependency from its pruned node_modules, which stays under 100 MB', async () => {
    const dependencies = Object.keys(JSON.parse(readFileSync(join(app, 'package.json'), 'utf8')).dependencies);
    const script = 'for (const name of JSON.parse(process.argv[1])) require(name); process.stdout.write("loaded")';
    const { stdout } = await run(process.execPath, ['-e', script, JSON.stringify(dependencies)], {
      cwd: app,
      env: {},
      timeout: 60_000,
    });
    expect(stdout).toBe('loaded');
    const { stdout: du } = await run('du', ['-sm', join(app, 'node_modules')]);
    expect(Number(du.split('\t')[0])).toBeLessThan(100);
  });

  it.each([
    ['api_key', API_KEY_ENV],
    ['entra', ENTRA_ENV],
  ])('registers every function of the manifest in %s mode', async (_mode, env) => {
    const { report, stderr } = await load(env);
    expect(report.programmingModel).toBe('@azure/functions');
    expect(triggerRows(report)).toEqual(expectedRows(API_KEY_ENV));
    expect(stderr).not.toMatch(/Invalid setting/);
  });

  it('registers every function when a setting is bad; health answers 503 naming it, every invocation fails with it', async () => {
    const { report, stderr } = await load({ ...API_KEY_ENV, REDIS_URL: KEY_VAULT_REFERENCE }, 'invoke');
    expect(triggerRows(report)).toEqual(expectedRows(API_KEY_ENV));
    expect(stderr).toContain('Invalid setting REDIS_URL');
    const { health, admin, timer, queue } = report.invocations!;
    expect(health.value?.status).toBe(503);
    expect(health.value?.jsonBody.checks).toEqual([
      expect.objectContaining({ name: 'settings', ok: false, error: expect.stringContaining('REDIS_URL') }),
    ]);
    expect(admin.value).toEqual({
      status: 503,
      jsonBody: { error: expect.objectContaining({ code: 'configuration', target: 'REDIS_URL' }) },
    });
    expect(timer.error?.message).toContain('Invalid setting REDIS_URL');
    expect(queue.error?.message).toContain('Invalid setting REDIS_URL');
    // The setting is named, its value (here a secret's address) never shown.
    expect(JSON.stringify(report.invocations) + stderr).not.toContain('vault.azure.net');
  });

  it('registers a timer whose own schedule is bad on the default schedule, and keeps the other schedules', async () => {
    const { report } = await load({ ...API_KEY_ENV, SYNC_SCHEDULE: 'every minute' }, 'invoke');
    const expected = expectedRows({ ...API_KEY_ENV, SYNC_SCHEDULE: parseSettings({}).schedules.sync });
    expect(triggerRows(report)).toEqual(expected);
    expect(expected.find((row) => row.name === 'NotificationDigest')?.schedule).toBe('0 30 7 * * *');
    expect(report.invocations!.timer.error?.message).toContain('Invalid setting SYNC_SCHEDULE');
  });
});

describe('the require walk', () => {
  it('reports a require that does not resolve inside the package', () => {
    const fixture = mkdtempSync(join(tmpdir(), 'ise-requires-'));
    try {
      mkdirSync(join(fixture, 'dist'));
      writeFileSync(
        join(fixture, 'dist', 'a.js'),
        'require("./b"); require("node:fs"); require("azurite"); Promise.resolve().then(() => require("jose"));',
      );
      writeFileSync(join(fixture, 'dist', 'b.js'), '');
      const outside = requiresOutside(fixture, requireSites(fixture)).map((site) => site.specifier);
      expect(outside).toEqual(['azurite', 'jose']);
    } finally {
      rmSync(fixture, { recursive: true, force: true });
    }
  });
});
