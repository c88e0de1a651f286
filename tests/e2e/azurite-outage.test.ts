/**
 * The blob archive through an Azurite outage, against real Azurite processes: a webhook answers 503 with
 * Retry-After within ~2 s while Azurite is down (not a 500 after the SDK's 16 s of retries), and 2xx again
 * once a fresh, empty Azurite is back on the same ports, without restarting the host (the archive container is
 * created again). The embedded Azurite is started again when it dies, and never outlives a host killed with
 * SIGKILL (its watchdog).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { startLocalHost, type LocalHost } from '../../hosts/local/local-host';
import { startEmbeddedAzurite, type EmbeddedAzurite } from '../../hosts/local/embedded-services';
import { openBlobArchive } from '../../shared/stores/blob/blob-archive';
import { testEnv, TEST_ADMIN_KEY } from '../support/test-services';
import { createMemoryLogger } from '../../shared/platform/observability/logger';
import { signGithub } from '../../dev/webhook-signing';

jest.setTimeout(90_000);

const SECRET = 'azurite-outage-secret-0123456789';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Gone: no such process, or a zombie nobody reaped yet (it holds no port and runs nothing). */
function processGone(pid: number): boolean {
  const stat = `/proc/${pid}/stat`;
  if (!existsSync(stat)) return true;
  try {
    return readFileSync(stat, 'utf8').split(') ')[1]?.startsWith('Z') ?? true;
  } catch {
    return true;
  }
}

async function until<T>(
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs: number,
): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined || Date.now() > deadline) return value;
    await sleep(100);
  }
}

describe('webhooks through an Azurite outage', () => {
  let azurite: EmbeddedAzurite;
  let host: LocalHost;
  let integrationId: string;
  let delivery = 0;

  beforeAll(async () => {
    // The test owns this Azurite (no restart on exit): it decides when the outage ends.
    azurite = await startEmbeddedAzurite({ restartOnExit: false });
    host = await startLocalHost({
      env: testEnv({ ...azurite.settings, WEBHOOK_ARCHIVE_CONTAINER: 'outage-archive' }),
      useProcessEnv: false,
      timers: false,
      overrides: { logger: createMemoryLogger('error').logger },
    });
    const admin = (path: string, init: RequestInit) =>
      fetch(`${host.url}/api/admin/${path}`, {
        ...init,
        headers: { 'x-api-key': TEST_ADMIN_KEY, 'content-type': 'application/json' },
      });
    integrationId = (
      (await (
        await admin('tenants/outage/integrations', {
          method: 'POST',
          body: JSON.stringify({ provider: 'github', name: 'gh', providerOptions: { repositories: ['acme/widgets'] } }),
        })
      ).json()) as { id: string }
    ).id;
    expect(
      (
        await admin(`tenants/outage/integrations/${integrationId}/webhook-secret`, {
          method: 'PUT',
          body: JSON.stringify({ secret: SECRET }),
        })
      ).status,
    ).toBe(200);
    await host.triggers.stop();
  });
  afterAll(async () => {
    await host?.stop();
    await azurite?.stop();
  });

  const webhook = async () => {
    delivery++;
    const body = JSON.stringify({
      action: 'edited',
      issue: { id: delivery * 10, number: delivery },
      repository: { full_name: 'acme/widgets' },
    });
    const started = Date.now();
    const response = await fetch(`${host.url}/api/webhooks/github/${integrationId}`, {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/json',
        'x-hub-signature-256': signGithub(body, SECRET),
        'x-github-delivery': `outage-${delivery}`,
        'x-github-event': 'issues',
      },
    });
    await response.text();
    return {
      status: response.status,
      retryAfter: response.headers.get('retry-after'),
      elapsedMs: Date.now() - started,
    };
  };

  it('answers 503 with Retry-After fast while Azurite is down, and 2xx again when a fresh one is back', async () => {
    expect((await webhook()).status).toBe(200);

    await azurite.stop();
    const during = [await webhook(), await webhook(), await webhook()];
    for (const answer of during) {
      expect(answer.status).toBe(503);
      expect(Number(answer.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(answer.elapsedMs).toBeLessThan(2000);
    }

    // A fresh in-memory Azurite on the same ports: the archive container is gone with the old one.
    azurite = await startEmbeddedAzurite({ ports: azurite.ports, restartOnExit: false });
    const recovered = await until(async () => ((await webhook()).status === 200 ? true : undefined), 15_000);
    expect(recovered).toBe(true);
    expect((await webhook()).status).toBe(200);
  });
});

describe('the embedded Azurite', () => {
  it('is started again on the same ports when it dies, and the archive recreates its container', async () => {
    const azurite = await startEmbeddedAzurite();
    try {
      const archive = await openBlobArchive({
        connectionString: azurite.settings.BLOB_CONNECTION_STRING,
        archiveContainer: 'restart-archive',
        requestTimeoutMs: 1000,
      });
      await archive.put('before.json', '{}', 'application/json');
      const first = azurite.pid()!;
      process.kill(first, 'SIGKILL');
      const second = await until(() => {
        const pid = azurite.pid();
        return pid !== undefined && pid !== first ? pid : undefined;
      }, 15_000);
      expect(second).toBeDefined();
      const written = await until(
        async () =>
          await archive.put('after.json', '{}', 'application/json').then(
            () => true,
            () => undefined,
          ),
        20_000,
      );
      expect(written).toBe(true);
      expect((await archive.get('after.json'))?.toString()).toBe('{}');
    } finally {
      await azurite.stop();
    }
  });

  it('does not outlive a host killed with SIGKILL', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, '../support/azurite-child.ts')], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout! }).once('line', resolve);
      child.once('exit', () => reject(new Error('the child host exited before starting Azurite')));
    });
    const { azuritePid } = JSON.parse(line) as { azuritePid: number };
    expect(processGone(azuritePid)).toBe(false);
    child.kill('SIGKILL');
    const started = Date.now();
    const gone = await until(() => (processGone(azuritePid) ? true : undefined), 5000);
    expect(gone).toBe(true);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
