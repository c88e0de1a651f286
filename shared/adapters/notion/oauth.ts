/**
 * Notion OAuth refresh: POST {baseUrl}/v1/oauth/token with HTTP Basic client auth and a JSON body. The answer
 * may carry a new refresh token (use it) or none (keep the old one); invalid_grant → auth_revoked.
 */
import type { AdapterContext } from '../contract';
import { providerRequest } from '../http/provider-request';
import { NOTION, notionProfile } from './profile';

export interface NotionRefreshRequest {
  /** https://api.notion.com in production; the sandbox URL locally. */
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface NotionTokens {
  accessToken: string;
  refreshToken?: string;
  expiresInMs?: number;
  workspaceId?: string;
  botId?: string;
}

export async function refreshNotionToken(request: NotionRefreshRequest): Promise<NotionTokens> {
  const context: AdapterContext = {
    baseUrl: request.baseUrl,
    options: {},
    requestTimeoutMs: request.timeoutMs,
    auth: { headers: async () => ({}) },
  };
  const basic = Buffer.from(`${request.clientId}:${request.clientSecret}`).toString('base64');
  const { body } = await providerRequest<Record<string, unknown>>(context, notionProfile, {
    operation: 'oauth.refresh',
    method: 'POST',
    path: NOTION.tokenPath,
    auth: false,
    headers: { authorization: `Basic ${basic}` },
    json: { grant_type: 'refresh_token', refresh_token: request.refreshToken },
    signal: request.signal,
  });
  return {
    accessToken: String(body.access_token),
    refreshToken: typeof body.refresh_token === 'string' ? body.refresh_token : request.refreshToken,
    expiresInMs: typeof body.expires_in === 'number' ? body.expires_in * 1000 : undefined,
    workspaceId: typeof body.workspace_id === 'string' ? body.workspace_id : undefined,
    botId: typeof body.bot_id === 'string' ? body.bot_id : undefined,
  };
}
