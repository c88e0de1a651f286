/**
 * A private redis-server on a free port for tests and benchmarks, so nothing touches a shared database.
 * A missing binary gives one clear message saying how to install it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { freePort, waitForPort } from '../../hosts/local/free-port';
import type { RunningService } from '../../hosts/local/embedded-services';

export const REDIS_MISSING_MESSAGE =
  'redis-server was not found on PATH. Install it (Debian/Ubuntu: `apt-get update && apt-get install -y redis-server`) or set REDIS_URL to a Redis the tests may use.';

export function redisServerAvailable(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

export async function startRedisServer(port?: number): Promise<RunningService & { port: number }> {
  if (!redisServerAvailable()) throw new Error(REDIS_MISSING_MESSAGE);
  const chosen = port ?? (await freePort());
  const child = spawn(
    'redis-server',
    ['--port', String(chosen), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  await waitForPort(chosen, 10_000);
  return {
    port: chosen,
    settings: { REDIS_URL: `redis://127.0.0.1:${chosen}` },
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3000).unref())]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}
