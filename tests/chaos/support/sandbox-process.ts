/**
 * Child-process entry: the GitHub sandbox on the port given as argument (JSON options), owned by the chaos
 * runner so that it outlives a killed host. Faults, records and tokens are driven over its /__sandbox/ routes.
 */
import { startSandbox } from '../../../dev/sandboxes';

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as Record<string, unknown>;
  const sandbox = await startSandbox('github', options);
  console.log(JSON.stringify({ ready: sandbox.url }));
  const stop = () => void sandbox.stop().finally(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
