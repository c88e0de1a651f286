/**
 * Local stand-ins for Azure services, started when no real endpoint is configured:
 * an in-memory Cosmos DB (@vercel/cosmosdb-server, in-process) and Azurite (a child process).
 * Used by `npm start`, the test set-up and the benchmarks; never in Azure.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitForPort } from './free-port';
import { makeCosmosQueriesLinear } from './cosmos-stand-in/linear-cosmos-queries';
import { answerMinimalWrites } from './cosmos-stand-in/minimal-write-responses';

export interface RunningService {
  /** Settings that point the app at this service. */
  settings: Record<string, string>;
  stop(): Promise<void>;
}

/** The well-known Azurite development account (public, documented, local only). */
const AZURITE_ACCOUNT = 'devstoreaccount1';
const AZURITE_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export async function startEmbeddedCosmos(): Promise<RunningService> {
  // Two behaviours of the stand-in made to match Azure Cosmos, before the server module builds its routes:
  // queries cost O(N) in a container's documents, not O(N²) (Azure answers from its index), and writes sent
  // with Prefer: return=minimal come back without their documents.
  if (!makeCosmosQueriesLinear()) console.warn('cosmosdb-server: its query engine changed; queries may cost O(N²) in a container');
  if (!answerMinimalWrites()) console.warn('cosmosdb-server: its batch handler changed; writes echo their documents');
  const { createHttpsServer } = await import('@vercel/cosmosdb-server');
  const port = await freePort();
  // Without keepAlive the server closes every connection, and each Cosmos call pays a new TLS handshake.
  const server = createHttpsServer({ keepAlive: true });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
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
      }),
  };
}

export async function startEmbeddedAzurite(): Promise<RunningService> {
  const [blobPort, queuePort, tablePort] = [await freePort(), await freePort(), await freePort()];
  const workDir = mkdtempSync(join(tmpdir(), 'azurite-'));
  const entry = require.resolve('azurite/dist/src/azurite.js');
  const child: ChildProcess = spawn(
    process.execPath,
    [entry, '--inMemoryPersistence', '--silent', '--skipApiVersionCheck', '--disableTelemetry', '--loose',
      '--blobHost', '127.0.0.1', '--blobPort', String(blobPort), '--queueHost', '127.0.0.1', '--queuePort', String(queuePort),
      '--tableHost', '127.0.0.1', '--tablePort', String(tablePort)],
    { cwd: workDir, stdio: 'ignore' },
  );
  await waitForPort(blobPort, 20_000);
  const connectionString =
    `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};` +
    `BlobEndpoint=http://127.0.0.1:${blobPort}/${AZURITE_ACCOUNT};QueueEndpoint=http://127.0.0.1:${queuePort}/${AZURITE_ACCOUNT};` +
    `TableEndpoint=http://127.0.0.1:${tablePort}/${AZURITE_ACCOUNT};`;
  return {
    settings: { BLOB_CONNECTION_STRING: connectionString },
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3000).unref())]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(workDir, { recursive: true, force: true });
    },
  };
}
