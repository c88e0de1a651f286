/**
 * Google API error bodies in the sandbox: {"error": {"code", "message", "errors": [{"domain", "reason",
 * "message"}], "status"}}, the shape Calendar and Drive share.
 */
import { fail } from '../common/router';
import type { SandboxResponse } from '../common/types';

const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ALREADY_EXISTS',
  410: 'NOT_FOUND',
  412: 'FAILED_PRECONDITION',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};

export function googleError(
  code: number,
  reason: string,
  message: string,
  options: { domain?: string; headers?: Record<string, string> } = {},
): SandboxResponse {
  return {
    status: code,
    headers: options.headers,
    json: {
      error: {
        code,
        message,
        errors: [{ domain: options.domain ?? 'global', reason, message }],
        status: STATUS_NAMES[code] ?? 'UNKNOWN',
      },
    },
  };
}

export function googleFail(code: number, reason: string, message: string): never {
  fail(googleError(code, reason, message));
}

/** Google etags are quoted strings that change with every write. */
export const etagOf = (modifiedMs: number, salt = 0): string => `"${modifiedMs}${String(salt).padStart(3, '0')}"`;

/** A page or sync token: opaque base64 text to clients, a small JSON state to the sandbox. */
export function encodeToken(state: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(state)).toString('base64url');
}

export function decodeToken(token: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
