/**
 * Child-process entry: the Cosmos stand-in (@vercel/cosmosdb-server, with the local host's two Azure-like
 * behaviours) on the port given as argument, owned by the chaos runner so its data outlives a killed host.
 * IPC `pause` cuts every connection and stops listening; `resume` listens again on the same port with the
 * same data: a restart of the endpoint as a durable Cosmos account has it (restarting the in-memory process
 * itself would erase the account, which Azure never does).
 */
import type { Server } from 'node:https';
import { makeCosmosQueriesLinear } from '../../../dev/cosmos-stand-in/linear-cosmos-queries';
import { answerMinimalWrites } from '../../../dev/cosmos-stand-in/minimal-write-responses';

async function main(): Promise<void> {
  const port = Number(process.argv[2]);
  makeCosmosQueriesLinear();
  answerMinimalWrites();
  const { createHttpsServer } = await import('@vercel/cosmosdb-server');
  const server: Server = createHttpsServer({ keepAlive: true });
  const listen = () => new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  await listen();
  process.on('message', (message: { type: string }) => {
    if (message.type === 'pause') {
      server.close();
      server.closeAllConnections();
      process.send!({ type: 'paused' });
    }
    if (message.type === 'resume') {
      // The server builds a fresh (empty) account on every 'listening': keep the one it has.
      server.removeAllListeners('listening');
      void listen().then(() => process.send!({ type: 'resumed' }));
    }
  });
  process.on('disconnect', () => process.exit(0));
  process.send!({ type: 'ready' });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
