/**
 * Google API error bodies in the sandbox: {"error": {"code", "message", "errors": [{"domain", "reason",
 * "message", "locationType"?, "location"?}], "status"?}}, the shape Calendar and Drive share. `status` is the
 * canonical name of the code where one exists; the Calendar reference's 410 Gone answers carry none.
 */
import { fail } from '../common/router';
import type { SandboxResponse } from '../common/types';

const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ALREADY_EXISTS',
  412: 'FAILED_PRECONDITION',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};

export function googleError(
  code: number,
  reason: string,
  message: string,
  options: {
    domain?: string;
    headers?: Record<string, string>;
    /** Where the fault lies, as the reference names it (e.g. parameter syncToken, header If-Match). */
    location?: { type: 'parameter' | 'header'; name: string };
  } = {},
): SandboxResponse {
  const detail: Record<string, string> = { domain: options.domain ?? 'global', reason, message };
  if (options.location) {
    detail.locationType = options.location.type;
    detail.location = options.location.name;
  }
  const status = STATUS_NAMES[code];
  return {
    status: code,
    headers: options.headers,
    json: { error: { code, message, errors: [detail], ...(status ? { status } : {}) } },
  };
}

export function googleFail(
  code: number,
  reason: string,
  message: string,
  options?: Parameters<typeof googleError>[3],
): never {
  fail(googleError(code, reason, message, options));
}

/** Calendar's 410 for a sync token it no longer honours, as its errors reference spells it. */
export function fullSyncRequired(): SandboxResponse {
  return googleError(410, 'fullSyncRequired', 'Sync token is no longer valid, a full sync is required.', {
    domain: 'calendar',
    location: { type: 'parameter', name: 'syncToken' },
  });
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
