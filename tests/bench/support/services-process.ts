/**
 * Child-process entry for the benchmarks: cosmosdb-server and, optionally, one provider sandbox, so that the
 * benchmark process holds only the local host (its RSS is the "instance" figure, and the stand-ins for Cosmos
 * and the provider, which are remote in Azure, do not share its event loop). Talks to the parent over IPC:
 * it sends `ready` with the settings, answers `stats` with its RSS, and exits on `stop` or when the parent goes.
 */
import { createHttpsServer } from '@vercel/cosmosdb-server';
import { startEmbeddedCosmos } from '../../../shared/local-host/embedded-services';
import { freePort } from '../../../shared/local-host/free-port';
import { startSandbox, type RunningSandbox } from '../../../shared/sandboxes';
import type { ChildReady, ChildRequest, ServicesOptions } from './services-child';

/**
 * cosmosdb-server answers every request with `connection: close` unless created with `keepAlive: true`, so
 * each Cosmos call would pay a new TLS handshake on both sides (real Cosmos keeps connections open).
 */
async function startKeepAliveCosmos(): Promise<{ settings: Record<string, string>; stop(): Promise<void> }> {
  const server = createHttpsServer({ keepAlive: true });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    settings: { COSMOS_ENDPOINT: `https://127.0.0.1:${port}`, COSMOS_KEY: Buffer.from('local-cosmosdb-server').toString('base64'), COSMOS_ALLOW_SELF_SIGNED_LOCAL: 'true' },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as ServicesOptions;
  const cosmos = options.cosmosConnectionClose ? await startEmbeddedCosmos() : await startKeepAliveCosmos();
  let sandbox: RunningSandbox | undefined;
  if (options.sandbox) {
    const { provider, ...rest } = options.sandbox;
    sandbox = await startSandbox(provider, rest);
  }
  const stop = async () => {
    await sandbox?.stop();
    await cosmos.stop();
    process.exit(0);
  };
  process.on('disconnect', () => void stop());
  process.on('message', (message: ChildRequest) => {
    if (message.type === 'stop') void stop();
    if (message.type === 'stats') {
      const cpu = process.cpuUsage();
      process.send!({ type: 'stats', rssMb: process.memoryUsage().rss / 2 ** 20, cpuMs: (cpu.user + cpu.system) / 1000, calls: sandbox?.control.calls().total ?? 0 });
    }
  });
  const tokens = sandbox?.control.issueToken({ expiresInMs: 24 * 3600_000 });
  const ready: ChildReady = { type: 'ready', cosmos: cosmos.settings, ...(sandbox && tokens ? { sandbox: { url: sandbox.url, tokens } } : {}) };
  process.send!(ready);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
