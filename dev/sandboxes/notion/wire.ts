/** Notion's error body, id normalisation and the opaque query cursor of the sandbox. */
import { randomUUID } from 'node:crypto';
import { indexFromUuid, indexedUuid } from '../common/seeded';
import type { SandboxResponse } from '../common/types';

export const NOTION_VERSION = '2025-09-03';

export function nError(
  status: number,
  code: string,
  message: string,
  headers?: Record<string, string>,
): SandboxResponse {
  return { status, json: { object: 'error', status, code, message, request_id: randomUUID() }, headers };
}

/** Notion accepts ids with or without dashes. */
export function normaliseId(id: string): string {
  const hex = id.replace(/-/g, '').toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(hex)) return id;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const CURSOR_SALT = 555;

/** Cursors look like Notion's (UUIDs) and carry the next position of the same query. */
export function encodeQueryCursor(seed: number, position: number): string {
  return indexedUuid(seed, CURSOR_SALT, position);
}

export function decodeQueryCursor(seed: number, cursor: string): number | undefined {
  return indexFromUuid(seed, CURSOR_SALT, normaliseId(cursor));
}

export const SERVER_ERROR_CODES: Record<number, [string, string]> = {
  500: ['internal_server_error', 'Unexpected error occurred.'],
  502: ['bad_gateway', 'Notion encountered an issue while attempting to complete this request.'],
  503: ['service_unavailable', 'Notion is unavailable. Try again later.'],
  504: ['gateway_timeout', 'Notion timed out while attempting to complete this request.'],
  529: ['service_overload', 'Notion is overloaded. Try again later.'],
};
