/**
 * GitHub: REST API v3 with App user tokens (facts: /work/shared/design/PROVIDERS.md and GitHub's REST reference).
 */
import { defineProvider, HOUR_MS, MINUTE_MS } from './define';

export const GITHUB_PROVIDER = defineProvider({
  id: 'github',
  label: 'GitHub',
  entities: { supported: ['issues', 'issue_comments'], defaults: ['issues', 'issue_comments'] },
  api: {
    baseUrl: 'https://api.github.com',
    // REST API and uploads; github.com serves the OAuth token endpoint (login/oauth/access_token).
    hosts: ['api.github.com', 'uploads.github.com', 'github.com'],
  },
  oauth: {
    authorizeUrl: 'https://github.com/login/oauth/authorize',
    tokenUrl: 'https://github.com/login/oauth/access_token',
    clientAuth: 'body',
    scopes: ['repo'],
    scopeSeparator: ' ',
    extraAuthorizeParams: {},
    // Form body, Accept: application/json; a bad or spent refresh token is HTTP 200 {"error":"bad_refresh_token"}.
    tokenWire: { body: 'form', reauthErrors: ['bad_refresh_token', 'bad_verification_code'] },
  },
  limits: {
    // 5,000/h per user token; bursts allowed, but the hour's budget is spread evenly.
    integration: { kind: 'rate', limit: 5000, windowMs: HOUR_MS, burst: 100 },
    app: { kind: 'rate', limit: 100, windowMs: 1000, burst: 200 },
    operations: [
      // Secondary limits: mutations cost 5 of ~900 points/min and at most ~80 content-creating requests/min.
      {
        match: [
          '*.create',
          '*.update',
          '*.delete',
          '*.add*',
          '*.remove*',
          '*.set*',
          '*.lock',
          '*.unlock',
          '*.merge',
          '*.push',
        ],
        keyBy: { group: 'mutations' },
        rule: { kind: 'rate', limit: 80, windowMs: MINUTE_MS, burst: 10 },
      },
      { match: ['*'], keyBy: 'operation', rule: { kind: 'rate', limit: 900, windowMs: MINUTE_MS, burst: 50 } },
    ],
    signalLevel: 'integration',
    // GitHub: without retry-after and with budget left, wait at least a minute.
    noRetryAfterBlockMs: MINUTE_MS,
  },
  webhook: { scheme: 'github-hmac' },
});
