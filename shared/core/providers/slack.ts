/**
 * Slack: the Web API (facts: /work/shared/design/PROVIDERS.md and Slack's Web API reference). Slack limits
 * per method in tiers, so its 429s land on the operation, not the whole token.
 */
import { defineProvider, MINUTE_MS } from './define';
import type { OperationRule, RateRule } from './types';

const slackTier = (perMinute: number, burst: number): RateRule => ({
  kind: 'rate',
  limit: perMinute,
  windowMs: MINUTE_MS,
  burst,
});

/**
 * How the Slack app is distributed, which Slack's rate limits tell apart (Web API rate-limit docs, 2025-05-29
 * change): apps distributed outside the Slack Marketplace get conversations.history and conversations.replies
 * at 1 request a minute with at most (and by default) 15 messages a call; Marketplace apps and internal,
 * customer-built apps keep Tier 3 and Slack's own page sizes. An integration names its app's distribution in
 * providerOptions.appDistribution; without it the stricter limits apply.
 */
export const SLACK_APP_DISTRIBUTIONS = ['non_marketplace', 'marketplace', 'internal'] as const;
export type SlackAppDistribution = (typeof SLACK_APP_DISTRIBUTIONS)[number];
export const DEFAULT_SLACK_APP_DISTRIBUTION: SlackAppDistribution = 'non_marketplace';
/** The methods whose limits depend on the distribution. */
export const SLACK_READ_METHODS = ['conversations.history', 'conversations.replies'] as const;

/**
 * Per distribution, for SLACK_READ_METHODS: calls a minute, and messages a call. conversations.history accepts
 * up to 999 and conversations.replies 1000, but Slack recommends no more than 200 per page.
 */
export const SLACK_READ_LIMITS: Record<SlackAppDistribution, { perMinute: number; maxPerCall: number }> = {
  non_marketplace: { perMinute: 1, maxPerCall: 15 },
  marketplace: { perMinute: 50, maxPerCall: 200 },
  internal: { perMinute: 50, maxPerCall: 200 },
};

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

/** Per distribution, the read methods' rule (one budget per method), checked before the tiers below. */
const readRules = (distribution: SlackAppDistribution): OperationRule[] => {
  const { perMinute } = SLACK_READ_LIMITS[distribution];
  return [
    {
      match: [...SLACK_READ_METHODS],
      keyBy: 'operation',
      // One a minute admits no burst; Tier 3 keeps its usual one.
      rule: slackTier(perMinute, perMinute < 2 ? 1 : 5),
    },
  ];
};

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
    tiers: {
      option: 'appDistribution',
      default: DEFAULT_SLACK_APP_DISTRIBUTION,
      operations: {
        non_marketplace: readRules('non_marketplace'),
        marketplace: readRules('marketplace'),
        internal: readRules('internal'),
      },
    },
  },
  webhook: { scheme: 'slack-signing-secret' },
});
