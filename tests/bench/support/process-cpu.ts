/**
 * CPU time of this process's descendants (the services children, Azurite, redis-server, the load generator),
 * read from /proc, so a benchmark can say what each process cost per unit of work on a shared machine.
 */
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_S = 100; // USER_HZ: 100 on Linux for every architecture Node runs on

interface ProcessCpu {
  pid: number;
  name: string;
  cpuMs: number;
}

function stat(pid: number): { ppid: number; cpuMs: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may hold spaces: the fields start after the last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(fields[1]), cpuMs: ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_S };
  } catch {
    return undefined;
  }
}

function commandOf(pid: number): string {
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    const script = argv.find((arg) => /\.(ts|js|mjs|cjs)$/.test(arg) || arg.endsWith('redis-server'));
    return (script ?? argv[0] ?? String(pid)).split('/').slice(-2).join('/');
  } catch {
    return String(pid);
  }
}

/** Every live descendant of this process with its CPU time so far (user + system, ms). */
export function descendantsCpu(): ProcessCpu[] {
  const parents = new Map<number, number>();
  const cpu = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const s = stat(pid);
    if (!s) continue;
    parents.set(pid, s.ppid);
    cpu.set(pid, s.cpuMs);
  }
  const isDescendant = (pid: number): boolean => {
    for (let parent = parents.get(pid); parent !== undefined && parent > 1; parent = parents.get(parent))
      if (parent === process.pid) return true;
    return false;
  };
  return [...cpu].filter(([pid]) => isDescendant(pid)).map(([pid, cpuMs]) => ({ pid, name: commandOf(pid), cpuMs }));
}

/** CPU each descendant used between two readings (processes that appeared in between count from zero). */
export function cpuSince(before: ProcessCpu[], after: ProcessCpu[]): ProcessCpu[] {
  const start = new Map(before.map((p) => [p.pid, p.cpuMs]));
  return after.map((p) => ({ ...p, cpuMs: p.cpuMs - (start.get(p.pid) ?? 0) }));
}
