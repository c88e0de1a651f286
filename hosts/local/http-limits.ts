/**
 * The local host's protection of its own memory and sockets: a body limit applied while the body arrives
 * (413 from Content-Length alone, or as soon as the streamed bytes pass it, without buffering the rest),
 * header, request and keep-alive timeouts, and a cap on open connections. The Azure Functions front end does
 * all this in Azure; locally node:http does nothing of it by default (no request timeout checks before 30 s,
 * no connection cap), so one slow or oversized client could hold the host.
 */
import type { IncomingMessage, Server } from 'node:http';
import { AppError } from '../../shared/core/app-error';

export interface HttpHostLimits {
  /** Time for a client to send every request header; slower (slow-loris) connections are closed. */
  headersTimeoutMs: number;
  /** Time for a client to send the whole request, body included. */
  requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this. */
  keepAliveTimeoutMs: number;
  /** Open connections at most; more are refused at accept (each may hold up to one body in memory). */
  maxConnections: number;
}

export const DEFAULT_HTTP_HOST_LIMITS: HttpHostLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  // Above the webhooks benchmark's 128 keep-alive connections; times the 1 MB webhook limit bounds body memory.
  maxConnections: 256,
};

/** How long the rest of a refused (413) body is read and discarded before the connection is cut. */
export const TOO_LARGE_LINGER_MS = 1000;

/** Sets the limits on a node:http server (createServer's connectionsCheckingInterval is set by the caller). */
export function applyServerLimits(server: Server, limits: HttpHostLimits): void {
  server.headersTimeout = limits.headersTimeoutMs;
  server.requestTimeout = limits.requestTimeoutMs;
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.maxConnections = limits.maxConnections;
}

/** How often node checks header and request timeouts: often enough that a timeout is kept to within a second. */
export function connectionsCheckingIntervalMs(limits: HttpHostLimits): number {
  return Math.max(50, Math.min(1000, Math.floor(Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs) / 4)));
}

const tooLarge = (maxBytes: number) => new AppError('payload_too_large', `body is larger than ${maxBytes} bytes`);

/**
 * Reads a request body of at most maxBytes. A Content-Length above it is refused before a byte is read; a
 * body that streams past it (chunked, or lying about its length) is refused at the chunk that passes it.
 * Either way nothing more is kept: the caller answers 413 and discards the rest for a moment (the request is
 * paused, not destroyed, so the answer can still be written).
 */
export function readLimitedBody(request: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) return Promise.reject(tooLarge(maxBytes));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const settle = (action: () => void) => {
      request.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
      action();
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) chunks.push(chunk);
      else settle(() => (request.pause(), reject(tooLarge(maxBytes))));
    };
    const onEnd = () => settle(() => resolve(ownBuffer(chunks, size)));
    const onError = (error: Error) => settle(() => reject(error));
    const onClose = () =>
      settle(() =>
        reject(new AppError('bad_request', 'body: the connection closed before the body ended', { target: 'body' })),
      );
    request.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
  });
}

/**
 * The body in a Buffer of its own (not a slice of node's shared pool, where Buffer.concat puts small ones), so the
 * lean request can hand its ArrayBuffer to the handler without copying it again (lean-request.ts).
 */
function ownBuffer(chunks: Buffer[], size: number): Buffer {
  const bytes = Buffer.allocUnsafeSlow(size);
  let offset = 0;
  for (const chunk of chunks) offset += chunk.copy(bytes, offset);
  return bytes;
}

/**
 * Decodes a path value once, as the Functions host (ASP.NET Core) does: every valid escape except "%2F", which
 * stays encoded so that it never becomes a separator; a malformed escape ("%ZZ", a lone "%", bytes that are not
 * UTF-8) is left as it is, for the router to refuse.
 */
export function decodePathOnce(raw: string): string {
  return raw.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) =>
    run
      .split(/(%2F)/i)
      .map((part) => (/^%2F$/i.test(part) ? part : safeDecode(part)))
      .join(''),
  );
}

function safeDecode(escapes: string): string {
  try {
    return decodeURIComponent(escapes);
  } catch {
    return escapes;
  }
}
