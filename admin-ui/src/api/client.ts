/**
 * The admin UI's only way to the server: JSON over /api/admin with the signed-in API key. Every failure
 * becomes an ApiError carrying the API's error code, message and target field, so forms can show it in place.
 */
import type { ApiErrorBody } from '../../../shared/admin/contracts/common';

const API_ROOT = '/api/admin/';
/** sessionStorage key of the signed-in admin API key (written by state/session.tsx). */
export const API_KEY_STORAGE = 'ise.adminApiKey';

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly target?: string,
    /** Every problem of a validation error, by field path (when the API lists them). */
    readonly issues: Array<{ path: string; message: string }> = [],
  ) {
    super(message);
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof Error && error.name === 'ApiError';
}

/** Any thrown value as an ApiError (a network or programming error gets status 0 and its message). */
export function asApiError(error: unknown): ApiError {
  return isApiError(error) ? error : new ApiError(0, 'error', error instanceof Error ? error.message : String(error));
}

type Method = 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Where the API key comes from; the session sets it on sign-in (kept out of React so the client stays plain). */
let currentKey: () => string | undefined = () => {
  try {
    return sessionStorage.getItem(API_KEY_STORAGE) ?? undefined;
  } catch {
    return undefined;
  }
};
/** Called on a 401 so the session can ask for the key again. */
let onUnauthorized: () => void = () => undefined;

export function configureClient(options: { apiKey: () => string | undefined; onUnauthorized: () => void }): void {
  currentKey = options.apiKey;
  onUnauthorized = options.onUnauthorized;
}

async function toApiError(response: Response): Promise<ApiError> {
  let body: Partial<ApiErrorBody> | undefined;
  try {
    body = (await response.json()) as Partial<ApiErrorBody>;
  } catch {
    body = undefined;
  }
  const error = body?.error;
  if (error && typeof error.message === 'string') {
    const issues = Array.isArray(error.details?.issues)
      ? error.details.issues.filter((issue) => typeof issue?.path === 'string' && typeof issue?.message === 'string')
      : [];
    return new ApiError(response.status, error.code ?? 'error', error.message, error.target, issues);
  }
  return new ApiError(
    response.status,
    'http_error',
    `the server answered ${response.status} ${response.statusText}`.trim(),
  );
}

/** A JSON Web Token's shape: three base64url parts, the header starting `{"` (eyJ). */
const JWT = /^eyJ[\w-]*\.[\w-]+\.[\w-]+$/;

/**
 * How the API is told who calls: an Entra ID access token (the API in ADMIN_AUTH_MODE=entra, as in Azure) goes
 * as `Authorization: Bearer`, anything else is the admin API key (`x-api-key`, the local host's mode).
 */
export function credentialHeaders(credential: string): Record<string, string> {
  return JWT.test(credential) ? { authorization: `Bearer ${credential}` } : { 'x-api-key': credential };
}

async function request<T>(
  method: 'GET' | Method,
  path: string,
  body?: unknown,
  apiKey?: string,
  extraHeaders: Record<string, string> = {},
): Promise<T> {
  const headers: Record<string, string> = { ...extraHeaders, accept: 'application/json' };
  const key = apiKey ?? currentKey();
  if (key) Object.assign(headers, credentialHeaders(key));
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(API_ROOT + path.replace(/^\//, ''), {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  } catch {
    throw new ApiError(0, 'network', 'the server cannot be reached; is the host running?');
  }
  if (!response.ok) {
    const error = await toApiError(response);
    if (response.status === 401 && apiKey === undefined) onUnauthorized();
    throw error;
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** GET with a candidate key instead of the session's (sign-in checks a key before keeping it). */
export function getWithKey<T>(path: string, apiKey: string): Promise<T> {
  return request<T>('GET', path, undefined, apiKey);
}

export const api = {
  get<T>(path: string): Promise<T> {
    return request<T>('GET', path);
  },
  /** `headers`: extra request headers, e.g. If-Match for a guarded write. */
  send<T>(method: Method, path: string, body?: unknown, headers?: Record<string, string>): Promise<T> {
    return request<T>(method, path, body, undefined, headers);
  },
};
