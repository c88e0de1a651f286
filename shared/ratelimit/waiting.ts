/**
 * Waiting for a turn. Rate levels need no queue of ours: the backend reserves turns in arrival order
 * (GCRA scheduling), so callers across all instances are served first come, first served. A full
 * semaphore cannot be reserved ahead, so callers in this process wait in a FIFO line per key; only the head
 * asks the backend again, woken early when a lease of this process is released.
 */
import { AppError } from '../core/app-error';

/** Resolves after `ms`, or rejects with the abort reason; never keeps the process alive by itself. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError());
    const timer = setTimeout(done, ms);
    function done(): void {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }
    function onAbort(): void {
      clearTimeout(timer);
      reject(abortError());
    }
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function abortError(): AppError {
  return new AppError('transient', 'waiting for a rate-limit turn was aborted');
}

interface Waiter {
  wake: () => void;
}

/** FIFO lines per key: `turn` resolves when the caller is at the head; `leave` hands the head on. */
export class WaitingLines {
  private readonly lines = new Map<string, Waiter[]>();
  private readonly heads = new Map<string, () => void>();

  /** Joins the line for `key`; resolves once every earlier caller has left. */
  async join(key: string, signal?: AbortSignal): Promise<() => void> {
    let line = this.lines.get(key);
    if (!line) this.lines.set(key, (line = []));
    let wake!: () => void;
    const atHead = new Promise<void>((resolve) => (wake = resolve));
    const waiter: Waiter = { wake };
    line.push(waiter);
    if (line.length === 1) wake();
    const leave = (): void => this.leave(key, waiter);
    try {
      await raceAbort(atHead, signal);
    } catch (error) {
      leave();
      throw error;
    }
    return leave;
  }

  /** Sleeps the head of `key`'s line for up to `ms`, ending early when `poke(key)` is called. */
  async pause(key: string, ms: number, signal?: AbortSignal): Promise<void> {
    const controller = new AbortController();
    this.heads.set(key, () => controller.abort());
    const combined = signal ? AbortSignal.any([signal, controller.signal]) : controller.signal;
    try {
      await sleep(ms, combined);
    } catch (error) {
      if (signal?.aborted) throw error;
    } finally {
      this.heads.delete(key);
    }
  }

  /** Something was freed on `key`: let the head look again now. */
  poke(key: string): void {
    this.heads.get(key)?.();
  }

  private leave(key: string, waiter: Waiter): void {
    const line = this.lines.get(key);
    if (!line) return;
    const index = line.indexOf(waiter);
    if (index < 0) return;
    line.splice(index, 1);
    if (line.length === 0) this.lines.delete(key);
    else if (index === 0) line[0]!.wake();
  }
}

function raceAbort(promise: Promise<void>, signal?: AbortSignal): Promise<void> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(abortError());
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(abortError());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, reject);
  });
}
