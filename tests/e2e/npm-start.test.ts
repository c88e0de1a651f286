/**
 * `npm start` as a newcomer runs it: no settings at all, embedded services started by the host itself,
 * health answering within 30 s, and a clean exit on Ctrl-C (SIGINT). Runs the TypeScript entry through tsx
 * so the test does not depend on a previous build.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../hosts/local/free-port';

jest.setTimeout(60_000);

it('starts on embedded defaults, serves health, and exits cleanly on SIGINT', async () => {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'ise-start-'));
  // Only what a fresh shell has: no Cosmos, blob, Redis or admin settings.
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, PORT: String(port), LOCAL_DATA_DIR: dataDir };
  const child = spawn(process.execPath, [require.resolve('tsx/cli'), 'hosts/local/main.ts'], {
    cwd: join(__dirname, '../..'),
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const started = Date.now();
  try {
    let status = 0;
    while (Date.now() - started < 30_000 && status !== 200) {
      status = await fetch(`http://127.0.0.1:${port}/api/health`).then(
        (r) => r.status,
        () => 0,
      );
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(status).toBe(200);
    // Demo mode finishes starting its sandboxes just after the HTTP side answers.
    while (Date.now() - started < 30_000 && !output.includes('local host ready'))
      await new Promise((resolve) => setTimeout(resolve, 100));
    const keyFile = join(dataDir, 'admin-api-key');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(output).toContain('local host ready');
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
});

it('refuses to start with an invalid setting and names it', async () => {
  const child = spawn(process.execPath, [require.resolve('tsx/cli'), 'hosts/local/main.ts'], {
    cwd: join(__dirname, '../..'),
    env: { PATH: process.env.PATH, SYNC_SCHEDULE: 'every minute' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr.on('data', (chunk) => (output += chunk));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  expect(code).toBe(1);
  expect(output).toContain('Invalid setting SYNC_SCHEDULE');
});
