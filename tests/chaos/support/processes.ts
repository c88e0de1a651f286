/**
 * Processes owned by the chaos runner: each in its own process group (detached), so a kill reaches whatever it
 * started too, registered so that every one of them is stopped at the end, on failure, and when the runner
 * itself is interrupted. Keeps the last lines of each one's output for a failure message.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

export interface Owned {
  name: string;
  child: ChildProcess;
  /** The last lines the process wrote (stdout and stderr together). */
  tail(): string;
  /** Signal the whole process group; resolves when the leader has exited (or after timeoutMs). */
  kill(signal: NodeJS.Signals, timeoutMs?: number): Promise<void>;
  exited(): boolean;
}

const owned = new Set<Owned>();
const TAIL_LINES = 40;

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is gone already.
  }
}

export function spawnOwned(
  name: string,
  command: string,
  args: string[],
  options: SpawnOptions & { ipc?: boolean } = {},
): Owned {
  const { ipc, ...rest } = options;
  const child = spawn(command, args, {
    ...rest,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe', ...(ipc ? (['ipc'] as const) : [])],
  });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) lines.push(line.slice(0, 500));
    if (lines.length > TAIL_LINES) lines.splice(0, lines.length - TAIL_LINES);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let done = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => ((done = true), resolve())));
  const handle: Owned = {
    name,
    child,
    tail: () => lines.join('\n'),
    exited: () => done,
    kill: async (signal, timeoutMs = 5000) => {
      if (!done) signalGroup(child, signal);
      // The leader may be gone while others of its group live on: signal the group either way.
      if (done) signalGroup(child, 'SIGKILL');
      await Promise.race([exit, new Promise((resolve) => setTimeout(resolve, timeoutMs).unref())]);
      if (!done) {
        signalGroup(child, 'SIGKILL');
        await Promise.race([exit, new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
      }
      owned.delete(handle);
    },
  };
  owned.add(handle);
  return handle;
}

/** Stops every process still owned: SIGTERM, then SIGKILL to its group. */
export async function stopAll(): Promise<void> {
  await Promise.all([...owned].map((handle) => handle.kill('SIGTERM', 3000)));
}

/** Last resort when the runner exits abruptly: no process group it started outlives it. */
export function killAllNow(): void {
  for (const handle of owned) signalGroup(handle.child, 'SIGKILL');
  owned.clear();
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `check` every intervalMs until it returns a value other than undefined, or gives undefined at the deadline. */
export async function until<T>(
  check: () => Promise<T | undefined>,
  timeoutMs: number,
  intervalMs = 500,
): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() + intervalMs > deadline) return undefined;
    await sleep(intervalMs);
  }
}
