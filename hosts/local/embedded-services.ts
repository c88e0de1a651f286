/**
 * Local stand-ins for Azure services, started when no real endpoint is configured:
 * an in-memory Cosmos DB (@vercel/cosmosdb-server, in-process) and Azurite (a child process, started again
 * when it dies, and never outliving the host: see the watchdog).
 * Used by `npm start`, the test set-up and the benchmarks; never in Azure.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitForPort } from './free-port';
import { makeCosmosQueriesLinear } from '../../dev/cosmos-stand-in/linear-cosmos-queries';
import { answerMinimalWrites } from '../../dev/cosmos-stand-in/minimal-write-responses';
import { attachPersistence, preparePersistence } from '../../dev/cosmos-stand-in/persistence';

export interface RunningService {
  /** Settings that point the app at this service. */
  settings: Record<string, string>;
  stop(): Promise<void>;
}

/** The well-known Azurite development account (public, documented, local only). */
const AZURITE_ACCOUNT = 'devstoreaccount1';
const AZURITE_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface EmbeddedCosmosOptions {
  /** Keep the data in this folder across restarts (write-ahead log and snapshots); in memory only without one. */
  dataDir?: string;
}

export async function startEmbeddedCosmos(options: EmbeddedCosmosOptions = {}): Promise<RunningService> {
  // Two behaviours of the stand-in made to match Azure Cosmos, before the server module builds its routes:
  // queries cost O(N) in a container's documents, not O(N²) (Azure answers from its index), and writes sent
  // with Prefer: return=minimal come back without their documents.
  if (!makeCosmosQueriesLinear())
    console.warn('cosmosdb-server: its query engine changed; queries may cost O(N²) in a container');
  if (!answerMinimalWrites()) console.warn('cosmosdb-server: its batch handler changed; writes echo their documents');
  if (options.dataDir) preparePersistence();
  const { createHttpsServer } = await import('@vercel/cosmosdb-server');
  const port = await freePort();
  // Without keepAlive the server closes every connection, and each Cosmos call pays a new TLS handshake.
  const server = createHttpsServer({ keepAlive: true });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  // Restored before anyone can connect: the app sees the data the previous run left.
  const persistence = options.dataDir ? await attachPersistence({ dir: options.dataDir }) : undefined;
  return {
    settings: {
      COSMOS_ENDPOINT: `https://127.0.0.1:${port}`,
      // cosmosdb-server accepts any base64 key; this one opens nothing else.
      COSMOS_KEY: Buffer.from('local-cosmosdb-server').toString('base64'),
      COSMOS_ALLOW_SELF_SIGNED_LOCAL: 'true',
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
        // The last snapshot: the next start reads it instead of replaying the log.
        persistence?.close();
      }),
  };
}

/**
 * Loaded into Azurite before its own code: it exits when the host that started it is gone (its stdin pipe
 * closes when the host dies, even by kill -9; the parent pid changing is the second sign), so Azurite never
 * outlives the host.
 */
const WATCHDOG_SOURCE = `'use strict';
const parent = process.ppid;
// Azurite's own SIGTERM handler closes its servers and saves its metadata (it matters with --location); a
// second look after 5 s makes sure it is gone.
const leave = () => { process.kill(process.pid, 'SIGTERM'); setTimeout(() => process.exit(0), 5000).unref(); };
process.stdin.on('end', leave);
process.stdin.on('error', leave);
process.stdin.resume();
// Azurite's own handler closes its servers on these; the open pipe must not keep the process alive after them.
for (const signal of ['SIGTERM', 'SIGINT']) process.once(signal, () => process.stdin.destroy());
setInterval(() => { if (process.ppid !== parent) leave(); }, 500).unref();
`;

export interface EmbeddedAzuriteOptions {
  /** Reuse these ports (a test restarting "the same" Azurite); free ports by default. */
  ports?: { blob: number; queue: number; table: number };
  /** Start Azurite again on the same ports when it dies while the host runs (default true). */
  restartOnExit?: boolean;
  /** Keep blobs in this folder across restarts (Azurite's --location); in memory only without one. */
  dataDir?: string;
}

export interface EmbeddedAzurite extends RunningService {
  ports: { blob: number; queue: number; table: number };
  /** The running Azurite's pid (it changes after a restart). */
  pid(): number | undefined;
}

export async function startEmbeddedAzurite(options: EmbeddedAzuriteOptions = {}): Promise<EmbeddedAzurite> {
  const ports = options.ports ?? { blob: await freePort(), queue: await freePort(), table: await freePort() };
  const workDir = mkdtempSync(join(tmpdir(), 'azurite-'));
  const watchdog = join(workDir, 'watchdog.cjs');
  writeFileSync(watchdog, WATCHDOG_SOURCE);
  const entry = require.resolve('azurite/dist/src/azurite.js');
  const spawnAzurite = (): ChildProcess => {
    const started = spawn(
      process.execPath,
      [
        '--require',
        watchdog,
        entry,
        ...(options.dataDir ? ['--location', options.dataDir] : ['--inMemoryPersistence']),
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
      // stdin is the watchdog's pipe to this process; nothing is written to it.
      { cwd: workDir, stdio: ['pipe', 'ignore', 'ignore'] },
    );
    // The pipe only has to exist; it must not keep this process's event loop alive.
    (started.stdin as { unref?: () => void } | null)?.unref?.();
    return started;
  };
  let stopping = false;
  let restarts = 0;
  let child = spawnAzurite();
  // An Azurite that died while the host runs is started again (in memory: its containers are gone, and the
  // blob archive creates what it misses). Restarts back off, so one that cannot start does not spin.
  const supervise = (running: ChildProcess): void => {
    running.once('exit', () => {
      if (stopping || options.restartOnExit === false) return;
      const delayMs = Math.min(10_000, 250 * 2 ** Math.min(restarts, 6));
      restarts++;
      setTimeout(() => {
        if (stopping) return;
        child = spawnAzurite();
        supervise(child);
        // A healthy restart resets the backoff.
        waitForPort(ports.blob, 20_000).then(
          () => (restarts = 0),
          () => undefined,
        );
      }, delayMs).unref();
    });
  };
  supervise(child);
  // Loading a --location folder takes longer than starting empty, more so on a busy machine.
  await waitForPort(ports.blob, options.dataDir ? 60_000 : 20_000);
  const connectionString =
    `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};` +
    `BlobEndpoint=http://127.0.0.1:${ports.blob}/${AZURITE_ACCOUNT};QueueEndpoint=http://127.0.0.1:${ports.queue}/${AZURITE_ACCOUNT};` +
    `TableEndpoint=http://127.0.0.1:${ports.table}/${AZURITE_ACCOUNT};`;
  return {
    settings: { BLOB_CONNECTION_STRING: connectionString },
    ports,
    pid: () => (child.exitCode === null && child.signalCode === null ? child.pid : undefined),
    stop: async () => {
      stopping = true;
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3000).unref())]);
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }
      rmSync(workDir, { recursive: true, force: true });
    },
  };
}
