/** Build real @azure/functions trigger objects for handler tests, as the Functions host would. */
import { HttpRequest, InvocationContext, type HttpResponseInit } from '@azure/functions';
import { randomUUID } from 'node:crypto';

export function httpRequest(
  method: string,
  path: string,
  options: {
    body?: unknown;
    rawBody?: string | Buffer;
    headers?: Record<string, string>;
    params?: Record<string, string>;
  } = {},
): HttpRequest {
  const raw = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  return new HttpRequest({
    method,
    url: `http://localhost:7071/api/${path}`,
    headers: { ...(raw !== undefined ? { 'content-type': 'application/json' } : {}), ...options.headers },
    params: options.params ?? {},
    ...(raw !== undefined ? { body: typeof raw === 'string' ? { string: raw } : { bytes: raw } } : {}),
  });
}

export function invocation(functionName: string, triggerMetadata: Record<string, unknown> = {}): InvocationContext {
  return new InvocationContext({ invocationId: randomUUID(), functionName, triggerMetadata });
}

export function bodyOf(response: HttpResponseInit): unknown {
  if (response.jsonBody !== undefined) return response.jsonBody;
  return typeof response.body === 'string' ? response.body : undefined;
}
