/**
 * The error taxonomy every part of the product speaks. A code from a closed union says what went wrong,
 * `retryable` says whether doing the same thing again can help, and `httpStatus` is what the edge answers.
 * Errors from SDKs and providers are translated into these at the boundary where they occur.
 */

export const ERROR_CODES = [
  'bad_request',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'precondition_failed',
  'payload_too_large',
  'rate_limited',
  'auth_expired',
  'auth_revoked',
  'validation',
  'transient',
  'dependency_unavailable',
  'configuration',
  'not_implemented',
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

const DEFAULT_STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  precondition_failed: 412,
  payload_too_large: 413,
  rate_limited: 429,
  auth_expired: 401,
  auth_revoked: 401,
  validation: 400,
  transient: 503,
  dependency_unavailable: 503,
  configuration: 500,
  not_implemented: 501,
  internal: 500,
};

const RETRYABLE: ReadonlySet<ErrorCode> = new Set([
  'rate_limited',
  'transient',
  'dependency_unavailable',
  'auth_expired',
  'precondition_failed',
]);

export interface AppErrorOptions {
  /** Where the problem is: a setting name, a body field, a record id. */
  target?: string;
  retryAfterMs?: number;
  httpStatus?: number;
  details?: Record<string, unknown>;
  cause?: unknown;
}

export class AppError extends Error {
  override readonly name = 'AppError';
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly httpStatus: number;
  readonly target?: string;
  readonly retryAfterMs?: number;
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retryable = RETRYABLE.has(code);
    this.httpStatus = options.httpStatus ?? DEFAULT_STATUS[code];
    this.target = options.target;
    this.retryAfterMs = options.retryAfterMs;
    this.details = options.details;
  }

  /** The shape sent to API callers and stored on run documents: never a stack, never a cause chain. */
  toJSON(): {
    code: ErrorCode;
    message: string;
    target?: string;
    retryAfterMs?: number;
    details?: Record<string, unknown>;
  } {
    return {
      code: this.code,
      message: this.message,
      target: this.target,
      retryAfterMs: this.retryAfterMs,
      details: this.details,
    };
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof Error && error.name === 'AppError' && 'code' in error;
}

/** A step that a later piece of work will build: fails loudly instead of pretending to succeed. */
export function notImplemented(step: string): AppError {
  return new AppError('not_implemented', `not implemented: ${step}`, { target: step });
}

/** Anything thrown becomes an AppError; unknown errors are `internal` and keep only a safe message. */
export function toAppError(error: unknown): AppError {
  if (isAppError(error)) return error;
  if (error instanceof Error && error.name === 'AbortError')
    return new AppError('transient', 'operation aborted or timed out', { cause: error });
  return new AppError('internal', error instanceof Error ? error.message : 'unexpected error', { cause: error });
}
