/**
 * Official Google clients pointed at a Google sandbox: OAuth2Client with the sandbox's auth and token endpoints,
 * Calendar and Drive clients at its root URL, and the comparable parts of a client error.
 */
import { calendar, type calendar_v3 } from '@googleapis/calendar';
import { drive, type drive_v3 } from '@googleapis/drive';
import { OAuth2Client } from 'google-auth-library';
import { SANDBOX_CLIENT } from '../../../dev/sandboxes/common/oauth';
import type { RunningSandbox } from '../../../dev/sandboxes/common/types';

export const REDIRECT = 'http://localhost:7071/api/oauth/callback';

/**
 * gaxios loads node-fetch through a dynamic import, which Jest's CommonJS runtime cannot run: the clients are given
 * Node's own fetch instead (gaxios' documented fetchImplementation option). Nothing else about them changes.
 */
export const transport = { fetchImplementation: fetch };

/** The parts of a client error a test compares (a GaxiosError also holds its request config, headers and all). */
export function errorOf(error: unknown): Record<string, unknown> {
  const e = error as {
    status?: number;
    code?: unknown;
    message?: string;
    cause?: unknown;
    response?: Response & { data?: unknown };
  };
  return {
    status: e.status,
    code: e.code,
    message: e.message,
    cause: e.cause,
    data: e.response?.data,
    retryAfter: e.response?.headers.get('retry-after') ?? undefined,
  };
}

export function oauthClient(target: RunningSandbox, options: { forceRefreshOnFailure?: boolean } = {}): OAuth2Client {
  return new OAuth2Client({
    ...options,
    transporterOptions: transport,
    clientId: SANDBOX_CLIENT.clientId,
    clientSecret: SANDBOX_CLIENT.clientSecret,
    redirectUri: REDIRECT,
    endpoints: {
      oauth2AuthBaseUrl: `${target.url}/o/oauth2/v2/auth`,
      oauth2TokenUrl: `${target.url}/token`,
      oauth2RevokeUrl: `${target.url}/revoke`,
    },
  });
}

export function clientsFor(target: RunningSandbox): {
  cal: calendar_v3.Calendar;
  drv: drive_v3.Drive;
  auth: OAuth2Client;
} {
  const auth = oauthClient(target);
  const issued = target.control.issueToken();
  // With expiry_date known (as after getToken) the client does not take a 403 for an expired token and refresh.
  auth.setCredentials({
    access_token: issued.accessToken,
    refresh_token: issued.refreshToken,
    expiry_date: issued.expiresAt,
  });
  const rootUrl = `${target.url}/`;
  return {
    cal: calendar({ version: 'v3', auth, rootUrl, ...transport }),
    drv: drive({ version: 'v3', auth, rootUrl, ...transport }),
    auth,
  };
}
