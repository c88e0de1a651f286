/**
 * HTTP answers in one shape: JSON bodies, errors as {"error": {code, message, target}} with the status the
 * error taxonomy gives, and Retry-After when the error knows it. Internal errors never leak their message.
 */
import type { HttpResponseInit } from '@azure/functions';
import { toAppError } from '../../core/app-error';
import type { Logger } from '../observability/logger';
import type { z } from 'zod';
import { AppError } from '../../core/app-error';
import { bodyTooLarge, exceedsJsonDepth, MAX_JSON_DEPTH, readLimitedText } from './body-limits';

export function json(status: number, body: unknown, headers: Record<string, string> = {}): HttpResponseInit {
  return { status, jsonBody: body, headers: { 'content-type': 'application/json; charset=utf-8', ...headers } };
}

export function errorResponse(thrown: unknown, logger?: Logger): HttpResponseInit {
  const error = toAppError(thrown);
  const internal =
    error.httpStatus >= 500 && error.code !== 'not_implemented' && error.code !== 'dependency_unavailable';
  if (internal) logger?.error('request failed', { error });
  const body = internal ? { code: error.code, message: 'internal error' } : error.toJSON();
  const headers: Record<string, string> = {};
  if (error.retryAfterMs !== undefined)
    headers['retry-after'] = String(Math.max(1, Math.ceil(error.retryAfterMs / 1000)));
  return json(error.httpStatus, { error: body }, headers);
}

/** Validate a parsed body; the error names the first bad field (e.g. "provider: Invalid option…"). */
export function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = issue.path.length ? issue.path.join('.') : 'body';
  throw new AppError('bad_request', `${field}: ${issue.message}`, { target: field });
}

/**
 * Read a JSON body with a size limit (from Content-Length, else while it streams in: never buffered past the
 * limit) and a nesting limit (MAX_JSON_DEPTH); an empty, too deep or non-JSON body is a clear 400.
 */
export async function readJson(
  request: {
    text(): Promise<string>;
    body?: ReadableStream<Uint8Array> | null;
    headers: { get(name: string): string | null };
  },
  maxBytes: number,
): Promise<unknown> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > maxBytes) throw bodyTooLarge(maxBytes);
  const text = request.body ? await readLimitedText(request.body, maxBytes) : await request.text();
  if (Buffer.byteLength(text) > maxBytes) throw bodyTooLarge(maxBytes);
  if (!text.trim()) throw new AppError('bad_request', 'body: a JSON body is required', { target: 'body' });
  if (exceedsJsonDepth(text, MAX_JSON_DEPTH))
    throw new AppError('bad_request', `body: nested deeper than ${MAX_JSON_DEPTH} levels`, { target: 'body' });
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError('bad_request', 'body: not valid JSON', { target: 'body' });
  }
}
