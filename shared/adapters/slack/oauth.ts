/**
 * Slack's refresh-token exchange (oauth.v2.access, grant_type=refresh_token, token rotation). Every refresh
 * revokes the refresh token it used, so callers must store the new one and refresh single-flight. Slack answers
 * failures as HTTP 200 {"ok": false, "error": …}: invalid_refresh_token and friends mean reconnect (auth_revoked).
 */
import { AppError, isAppError } from '../../core/app-error';
import { requestToken, type TokenSet } from '../../credentials/oauth/token-client';
import { SLACK_ERROR_CODES, SLACK_FACTS } from './facts';

export interface SlackRefreshRequest {
  /** https://slack.com, or a sandbox's URL. */
  apiUrl: string;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

export async function refreshSlackToken(request: SlackRefreshRequest): Promise<TokenSet> {
  try {
    return await requestToken(
      {
        tokenEndpoint: new URL(SLACK_FACTS.tokenPath, request.apiUrl).toString(),
        clientId: request.clientId,
        clientSecret: request.clientSecret,
        clientAuth: 'body',
        provider: 'slack',
        params: { grant_type: 'refresh_token', refresh_token: request.refreshToken },
      },
      { timeoutMs: request.timeoutMs, signal: request.signal },
    );
  } catch (error) {
    // The generic client does not know Slack's spellings (invalid_refresh_token, bad_client_secret, …).
    const slackCode =
      isAppError(error) && typeof error.details?.oauthError === 'string' ? error.details.oauthError : undefined;
    const revoked =
      slackCode !== undefined &&
      (SLACK_ERROR_CODES[slackCode] === 'auth_revoked' ||
        ['bad_client_secret', 'invalid_client_id', 'invalid_grant_type'].includes(slackCode));
    if (revoked)
      throw new AppError('auth_revoked', `Slack token refresh refused: ${slackCode}`, {
        details: { oauthError: slackCode },
      });
    throw error;
  }
}
