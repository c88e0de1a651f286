/**
 * Child-process entry for the benchmarks: cosmosdb-server and, optionally, one provider sandbox, so that the
 * benchmark process holds only the local host (its RSS is the "instance" figure, and the stand-ins for Cosmos
 * and the provider, which are remote in Azure, do not share its event loop). Talks to the parent over IPC:
 * it sends `ready` with the settings, answers `stats` with its RSS and `tally` with what the Cosmos stand-in was
 * asked to do (when started with `tally`), and exits on `stop` or when the parent goes.
 */
import { startEmbeddedCosmos } from '../../../hosts/local/embedded-services';
import { startSandbox, type RunningSandbox } from '../../../dev/sandboxes';
import type { ChildReady, ChildRequest, ServicesOptions } from './services-child';
import { cosmosTally, installCosmosTally } from './cosmos-tally';

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as ServicesOptions;
  // Before the stand-in is loaded: the tally wraps its handlers as it builds its routes.
  if (options.tally && !installCosmosTally())
    throw new Error('cosmosdb-server changed: the Cosmos tally cannot wrap it');
  // The same stand-in as the local host's (keep-alive, linear queries, minimal write answers).
  const cosmos = await startEmbeddedCosmos();
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
    if (message.type === 'tally') process.send!({ type: 'tally', tally: cosmosTally() });
    if (message.type === 'stats') {
      const cpu = process.cpuUsage();
      process.send!({
        type: 'stats',
        rssMb: process.memoryUsage().rss / 2 ** 20,
        cpuMs: (cpu.user + cpu.system) / 1000,
        calls: sandbox?.control.calls().total ?? 0,
      });
    }
  });
  const tokens = sandbox?.control.issueToken({ expiresInMs: 24 * 3600_000 });
  const ready: ChildReady = {
    type: 'ready',
    cosmos: cosmos.settings,
    ...(sandbox && tokens ? { sandbox: { url: sandbox.url, tokens } } : {}),
  };
  process.send!(ready);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
