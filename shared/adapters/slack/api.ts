/**
 * One Slack Web API call: reads as GET with query arguments, writes as POST with a JSON body, through the shared
 * HTTP client. Slack reports an expired token as HTTP 200 `token_expired`, never 401, so the refresh-once step
 * the client does for 401 is repeated here for that error.
 */
import { isAppError } from '../../core/app-error';
import type { AdapterContext } from '../contract';
import { createProviderHttpClient, type ProviderHttpClient } from '../http';
import { SLACK_PROFILE } from './http-profile';

export type SlackBody = Record<string, unknown> & { ok: boolean };

export class SlackApi {
  private readonly http: ProviderHttpClient;

  constructor(private readonly context: AdapterContext) {
    this.http = createProviderHttpClient(context, SLACK_PROFILE);
  }

  async call<T extends SlackBody = SlackBody>(
    method: string,
    args: Record<string, string | number | boolean | undefined>,
    options: { write?: boolean; signal?: AbortSignal } = {},
  ): Promise<T> {
    const request = options.write
      ? { operation: method, method: 'POST' as const, path: `/api/${method}`, json: args, signal: options.signal }
      : { operation: method, path: `/api/${method}`, query: args, signal: options.signal };
    try {
      return (await this.http.request<T>(request)).body;
    } catch (error) {
      const refresh = this.context.auth.onUnauthorized;
      if (!isAppError(error) || error.code !== 'auth_expired' || !refresh) throw error;
      if (!(await refresh.call(this.context.auth, options.signal))) throw error;
      return (await this.http.request<T>(request)).body;
    }
  }
}
