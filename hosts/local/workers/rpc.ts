/**
 * Calls between the local host's worker processes and the host process (LOCAL_WORKERS > 1), both ways on one
 * channel: workers call the host's embedded queue and local secret store (remote-ports.ts), and the host calls
 * the workers to run queue-triggered invocations (queue-dispatch.ts). Each side answers only calls and hears only
 * the replies to its own. One request, one answer, matched by id, over any message channel:
 * the cluster's IPC between processes (structured-clone serialisation, so Dates and byte arrays survive), or
 * an in-process pair in tests. Errors cross as their code, message, target and retry hint, and come back as
 * AppErrors, so a caller sees the error the other process raised (a handler's error is a message's abandon reason).
 */
import { AppError, isAppError, type ErrorCode } from '../../../shared/core/app-error';

/** Something that carries structured messages both ways (a cluster worker, `process` in a worker). */
export interface MessageChannel {
  send(message: unknown): unknown;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  off(event: 'message', listener: (message: unknown) => void): unknown;
}

type Handler = (...args: unknown[]) => unknown;
/** Served objects by name: `queue.send`, `secrets.get`, … */
export type ServedMethods = Record<string, Record<string, Handler>>;

interface CallMessage {
  rpc: 'call';
  id: number;
  target: string;
  method: string;
  args: unknown[];
}

interface ReplyMessage {
  rpc: 'reply';
  id: number;
  ok: boolean;
  value?: unknown;
  error?: {
    code?: ErrorCode;
    message: string;
    target?: string;
    retryAfterMs?: number;
    httpStatus?: number;
    details?: Record<string, unknown>;
  };
}

const isCall = (message: unknown): message is CallMessage => (message as CallMessage | null)?.rpc === 'call';
const isReply = (message: unknown): message is ReplyMessage => (message as ReplyMessage | null)?.rpc === 'reply';

/** Answers the calls arriving on `channel` with `served`; returns the function that stops answering. */
export function serveCalls(channel: MessageChannel, served: ServedMethods): () => void {
  const listener = (message: unknown) => {
    if (!isCall(message)) return;
    const reply = (answer: Omit<ReplyMessage, 'rpc' | 'id'>) => {
      try {
        channel.send({ rpc: 'reply', id: message.id, ...answer });
      } catch {
        // The worker is gone; nobody waits for this answer.
      }
    };
    const method = served[message.target]?.[message.method];
    if (!method) {
      reply({ ok: false, error: { code: 'internal', message: `no method ${message.target}.${message.method}` } });
      return;
    }
    Promise.resolve()
      .then(() => method(...message.args))
      .then(
        (value) => reply({ ok: true, value }),
        (error: unknown) => reply({ ok: false, error: describeError(error) }),
      );
  };
  channel.on('message', listener);
  return () => channel.off('message', listener);
}

export interface Caller {
  call<T>(target: string, method: string, ...args: unknown[]): Promise<T>;
  /** Fail every call still waiting (the host process went away) and stop listening. */
  close(reason: string): void;
}

export function callerOver(channel: MessageChannel): Caller {
  let nextId = 1;
  const waiting = new Map<number, { resolve(value: unknown): void; reject(error: unknown): void }>();
  const listener = (message: unknown) => {
    if (!isReply(message)) return;
    const pending = waiting.get(message.id);
    if (!pending) return;
    waiting.delete(message.id);
    if (message.ok) pending.resolve(message.value);
    else pending.reject(asAppError(message.error!));
  };
  channel.on('message', listener);
  return {
    call<T>(target: string, method: string, ...args: unknown[]): Promise<T> {
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
        try {
          channel.send({ rpc: 'call', id, target, method, args } satisfies CallMessage);
        } catch (error) {
          waiting.delete(id);
          reject(new AppError('dependency_unavailable', 'the local host process does not answer', { cause: error }));
        }
      });
    },
    close(reason: string) {
      channel.off('message', listener);
      for (const pending of waiting.values()) pending.reject(new AppError('dependency_unavailable', reason));
      waiting.clear();
    },
  };
}

function describeError(error: unknown): NonNullable<ReplyMessage['error']> {
  if (isAppError(error))
    return {
      code: error.code,
      message: error.message,
      target: error.target,
      retryAfterMs: error.retryAfterMs,
      httpStatus: error.httpStatus,
      details: error.details,
    };
  return { message: error instanceof Error ? error.message : String(error) };
}

function asAppError(error: NonNullable<ReplyMessage['error']>): AppError {
  const { code, message, ...options } = error;
  return new AppError(code ?? 'internal', message, options);
}
