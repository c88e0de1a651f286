/**
 * A private redis-server on a loopback port (no persistence), for the local host's HTTP workers
 * (LOCAL_WORKERS > 1: delivery claims, rate limits and locks must be shared by every worker), the tests and the
 * benchmarks. redis-server cannot watch its parent, so a shell beside it does: the host holds the shell's stdin,
 * and when the host is gone (even by kill -9) the pipe closes and the shell stops Redis.
 */
import { spawn, spawnSync } from 'node:child_process';
import { freePort, waitForPort } from './free-port';
import type { RunningService } from './embedded-services';

export const REDIS_MISSING_MESSAGE =
  'redis-server was not found on PATH. Install it (Debian/Ubuntu: `apt-get update && apt-get install -y redis-server`) or set REDIS_URL to a Redis the tests may use.';

export function redisServerAvailable(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

const GUARD = 'redis-server "$@" & pid=$!; trap \'kill $pid\' TERM; read _closed; kill $pid 2>/dev/null; wait $pid';

export async function startEmbeddedRedis(port?: number): Promise<RunningService & { port: number }> {
  if (!redisServerAvailable()) throw new Error(REDIS_MISSING_MESSAGE);
  const chosen = port ?? (await freePort());
  const args = ['--port', String(chosen), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  // Its own process group: Ctrl-C reaches the host, which stops its workers (still using Redis) before Redis.
  const guard = spawn('sh', ['-c', GUARD, 'redis-guard', ...args], {
    stdio: ['pipe', 'ignore', 'ignore'],
    detached: true,
  });
  guard.unref();
  // The pipe only has to exist; it must not keep this process's event loop alive.
  (guard.stdin as { unref?: () => void } | null)?.unref?.();
  await waitForPort(chosen, 10_000);
  return {
    port: chosen,
    settings: { REDIS_URL: `redis://127.0.0.1:${chosen}` },
    stop: async () => {
      if (guard.exitCode !== null || guard.signalCode !== null) return;
      // Held again while stopping: an unreferenced child and timer alone would let this process exit mid-stop.
      guard.ref();
      const exited = new Promise((resolve) => guard.once('exit', resolve));
      guard.stdin?.end();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(resolve, 3000)))]);
      clearTimeout(timer);
      if (guard.exitCode === null && guard.signalCode === null) guard.kill('SIGTERM');
    },
  };
}
