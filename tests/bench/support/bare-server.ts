/**
 * The webhooks benchmark's ceiling server (bare-server-process.ts) in its own process: its URL, its CPU time so
 * far, and stop. The same generator drives it as the host, so requests/s and CPU per request compare directly.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { BareServerRequest, BareServerResponse } from './bare-server-process';

export interface BareServer {
  url: string;
  /** The server process's CPU time so far (user + system, µs). */
  cpuUs(): Promise<number>;
  stop(): Promise<void>;
}

export async function startBareServer(): Promise<BareServer> {
  // The benchmark's own Node flags (fork's default execArgv): same heap settings, tsx's CommonJS hook.
  const child: ChildProcess = fork(join(__dirname, 'bare-server-process.ts'), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = <T extends BareServerResponse['type']>(type: T) =>
    new Promise<Extract<BareServerResponse, { type: T }>>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`bare server exited with ${code}`));
      const onMessage = (message: BareServerResponse) => {
        if (message.type !== type) return;
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(message as Extract<BareServerResponse, { type: T }>);
      };
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  const { port } = await next('ready');
  return {
    url: `http://127.0.0.1:${port}`,
    cpuUs: async () => {
      const answer = next('cpu');
      child.send({ type: 'cpu' } satisfies BareServerRequest);
      return (await answer).cpuUs;
    },
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send({ type: 'stop' } satisfies BareServerRequest);
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3000).unref())]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}
