/**
 * Notion wire facts as data and its error mapping. Error bodies are {object:"error", status, code, message};
 * 429 rate_limited carries Retry-After (seconds); 529 service_overload and other 5xx are transient.
 */
import { defaultClassify, providerError } from '../http/classify';
import type { ProviderHttpProfile } from '../http/types';
import { endpointPath, NOTION_PROVIDER } from '../../core/providers';

export const NOTION = {
  apiVersion: '2025-09-03',
  maxPageSize: 100,
  tokenPath: endpointPath(NOTION_PROVIDER.oauth.tokenUrl),
} as const;

const VALIDATION_CODES = new Set([
  'validation_error',
  'invalid_json',
  'invalid_request',
  'invalid_request_url',
  'missing_version',
]);

export const notionProfile: ProviderHttpProfile = {
  provider: 'notion',
  defaultHeaders: { 'notion-version': NOTION.apiVersion },
  classify(info, body, signal) {
    const code = body && typeof body === 'object' ? (body as Record<string, unknown>).code : undefined;
    // Token endpoint: a wrong client id/secret is the operator's app registration, not the user's grant.
    if (body && typeof body === 'object' && (body as Record<string, unknown>).error === 'invalid_client')
      return providerError('configuration', info, body);
    if (info.status === 400 && typeof code === 'string' && VALIDATION_CODES.has(code))
      return providerError('validation', info, body);
    // restricted_resource: the integration lacks a capability or the page is not shared with it.
    if (code === 'restricted_resource') return providerError('validation', info, body);
    return defaultClassify(info, body, signal);
  },
};
