/**
 * A stand-in for a local host that owns an embedded Azurite (run by tests/e2e/azurite-lifecycle.test.ts in a
 * child process, which it then kills with SIGKILL): starts Azurite, prints its pid as one JSON line, waits.
 */
import { startEmbeddedAzurite } from '../../hosts/local/embedded-services';

void startEmbeddedAzurite().then((azurite) => {
  process.stdout.write(`${JSON.stringify({ azuritePid: azurite.pid(), blobPort: azurite.ports.blob })}\n`);
  setInterval(() => undefined, 60_000);
});
