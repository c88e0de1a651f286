/**
 * Slack: the Web API (facts: /work/shared/design/PROVIDERS.md and Slack's Web API reference). Slack limits
 * per method in tiers, so its 429s land on the operation, not the whole token.
 */
import { defineProvider, MINUTE_MS } from './define';
import type { RateRule } from './types';

const slackTier = (perMinute: number, burst: number): RateRule => ({
  kind: 'rate',
  limit: perMinute,
  windowMs: MINUTE_MS,
  burst,
});

/** Slack methods by tier (Web API docs); unknown methods fall back to tier 3. */
const SLACK_TIERS: { methods: string[]; rule: RateRule }[] = [
  { methods: ['admin.*', 'team.accessLogs', 'team.integrationLogs'], rule: slackTier(1, 1) },
  {
    methods: ['conversations.list', 'users.list', 'files.list', 'usergroups.list', 'search.*'],
    rule: slackTier(20, 3),
  },
  {
    methods: [
      'conversations.history',
      'conversations.replies',
      'conversations.members',
      'chat.update',
      'chat.delete',
      'reactions.*',
      'pins.*',
      '*',
    ],
    rule: slackTier(50, 5),
  },
];

export const SLACK_PROVIDER = defineProvider({
  id: 'slack',
  label: 'Slack',
  entities: { supported: ['messages', 'users'], defaults: ['messages', 'users'] },
  api: { baseUrl: 'https://slack.com', hosts: ['slack.com', 'hooks.slack.com'] },
  oauth: {
    authorizeUrl: 'https://slack.com/oauth/v2/authorize',
    tokenUrl: 'https://slack.com/api/oauth.v2.access',
    clientAuth: 'body',
    scopes: ['channels:history', 'chat:write', 'users:read'],
    scopeSeparator: ',',
    extraAuthorizeParams: {},
    // oauth.v2.access takes a form; failures are HTTP 200 {"ok":false,"error":…}.
    tokenWire: {
      body: 'form',
      reauthErrors: ['invalid_refresh_token', 'token_revoked', 'invalid_grant', 'invalid_code'],
    },
  },
  limits: {
    integration: { kind: 'rate', limit: 300, windowMs: MINUTE_MS, burst: 20 },
    app: { kind: 'rate', limit: 100, windowMs: 1000, burst: 200 },
    operations: [
      // chat.postMessage: about one a second (per channel; we hold the whole token to it, conservatively).
      { match: ['chat.postMessage'], keyBy: 'operation', rule: { kind: 'rate', limit: 1, windowMs: 1000, burst: 1 } },
      ...SLACK_TIERS.map(({ methods, rule }) => ({ match: methods, keyBy: 'operation' as const, rule })),
    ],
    signalLevel: 'operation',
    noRetryAfterBlockMs: 1000,
  },
  webhook: { scheme: 'slack-signing-secret' },
});
