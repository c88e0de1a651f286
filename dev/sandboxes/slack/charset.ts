/**
 * Slack's charset check on JSON bodies, in the sandbox. Slack accepts a JSON POST whose Content-Type names no
 * charset but adds a `missing_charset` warning to the answer (top-level `warning` and
 * `response_metadata.warnings`); the sandbox does the same and keeps the method names so tests can see that
 * our own requests never earn it.
 */
import type { RequestContext } from '../common/router';
import type { SandboxResponse } from '../common/types';

export const MISSING_CHARSET = 'missing_charset';

/** True for a JSON body sent without `charset=` in its Content-Type. */
export function jsonWithoutCharset(ctx: RequestContext): boolean {
  if (ctx.method !== 'POST' || ctx.rawBody === '') return false;
  const type = String(ctx.headers['content-type'] ?? '').toLowerCase();
  return type.includes('application/json') && !/;\s*charset=/.test(type);
}

/** Adds the warning to a successful answer, and records the method, when the request earned it. */
export function withCharsetWarning(ctx: RequestContext, response: SandboxResponse, seen: string[]): SandboxResponse {
  if (!jsonWithoutCharset(ctx)) return response;
  seen.push(ctx.path.replace(/^\/api\//, ''));
  const json = response.json as Record<string, unknown> | undefined;
  if (response.status !== 200 || !json || json.ok !== true) return response;
  const metadata = (json.response_metadata as Record<string, unknown> | undefined) ?? {};
  const warnings = Array.isArray(metadata.warnings)
    ? [...(metadata.warnings as string[]), MISSING_CHARSET]
    : [MISSING_CHARSET];
  const warning = typeof json.warning === 'string' ? `${json.warning},${MISSING_CHARSET}` : MISSING_CHARSET;
  return { ...response, json: { ...json, warning, response_metadata: { ...metadata, warnings } } };
}
