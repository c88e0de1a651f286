/**
 * `npm start`: the whole system on one machine with embedded defaults. Ctrl-C drains in-flight work and exits.
 */
import { startLocalHost } from './local-host';
import { wantsFresh } from './local-data';
import { isAppError } from '../../shared/core/app-error';

async function main(): Promise<void> {
  const started = Date.now();
  // What was created survives a restart (LOCAL_DATA_DIR/data); --fresh starts empty.
  const fresh = wantsFresh(process.argv.slice(2));
  const host = await startLocalHost({ persist: { fresh } });
  const log = host.services.logger;
  log.info(`local host ready in ${Date.now() - started} ms`, {
    url: `${host.url}/api`,
    health: `${host.url}/api/health`,
    admin: `${host.url}/api/admin`,
    adminUi: `${host.url}/admin`,
    ...(host.workers ? { httpWorkers: host.workers.pids().length } : {}),
  });
  log.info(
    fresh
      ? `started empty (--fresh); data is kept in ${host.settings.localDataDir}/data from now on`
      : `data kept across restarts in ${host.settings.localDataDir}/data (npm start -- --fresh starts empty)`,
  );
  log.info(`admin UI: open ${host.url}/admin and sign in with the admin API key`);
  if (host.demo) {
    log.info(`demo mode: tenant "demo" has one integration per provider, each backed by a local sandbox`, {
      sandboxes: Object.fromEntries(host.demo.sandboxes.map((sandbox) => [sandbox.provider, sandbox.url])),
    });
  }
  if (host.adminKeyFile)
    log.info(`admin API key (for the admin UI's sign-in and the x-api-key header): stored in ${host.adminKeyFile}`);
  else log.info('admin API key: the ADMIN_API_KEY setting (or your identity provider, with ADMIN_AUTH_MODE=entra)');
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: draining in-flight work`);
    host.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error('shutdown failed', { error });
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  // A bad setting names itself; anything else gets its message.
  console.error(
    isAppError(error) ? `start-up failed: ${error.message}` : `start-up failed: ${(error as Error).message ?? error}`,
  );
  process.exit(1);
});
