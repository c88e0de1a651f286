/**
 * Salesforce's wire shapes in the sandbox: error arrays `[{message, errorCode, fields}]`, record attributes,
 * and the API usage counter behind `Sforce-Limit-Info` and REQUEST_LIMIT_EXCEEDED.
 */
import { fail } from '../common/router';
import type { SandboxResponse } from '../common/types';
import type { SObjectRow } from './schema';

export function sfError(status: number, errorCode: string, message: string, fields: string[] = []): SandboxResponse {
  return { status, json: [{ message, errorCode, fields }] };
}

export function sfFail(status: number, errorCode: string, message: string, fields: string[] = []): never {
  fail(sfError(status, errorCode, message, fields));
}

/** A row as the REST API returns it: `attributes` first, then the requested fields. */
export function wireRecord(
  object: string,
  version: string,
  row: SObjectRow,
  fields?: readonly string[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {
    attributes: { type: object, url: `/services/data/${version}/sobjects/${object}/${row.Id}` },
  };
  for (const name of fields ?? Object.keys(row)) out[name] = row[name] ?? null;
  return out;
}

/** The org's rolling API allocation: every authenticated data call counts, like the real daily limit. */
export class ApiUsage {
  used = 0;
  constructor(readonly max: number) {}

  header(): string {
    return `api-usage=${this.used}/${this.max}`;
  }

  /** Counts a call; false when the allocation is already spent. */
  take(): boolean {
    if (this.used >= this.max) return false;
    this.used += 1;
    return true;
  }
}
